/** The plugin's admin routes (Settings → MCP Server), called as the admin panel calls them: with an admin JWT. */
import type { TestApp } from './test-app';

/** Every seeded admin user's password (playground/src/seed/users.ts). */
export const PLAYGROUND_PASSWORD = 'Playground123!';

export interface AdminResponse {
  status: number;
  headers: Headers;
  text: string;
  // Tests read loosely typed JSON.
  json: any;
}

/** Logs in through Strapi's own admin login, as the admin panel does; returns the admin JWT. */
export const adminLogin = async (app: TestApp, email: string, password = PLAYGROUND_PASSWORD): Promise<string> => {
  const response = await fetch(`${app.baseUrl}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { data?: { token?: string } };
  if (!body.data?.token) throw new Error(`admin login of ${email} failed: ${response.status}`);
  return body.data.token;
};

/** A client of /mcp-server/… routes holding one admin JWT (none: an anonymous caller). */
export const adminApi = (app: TestApp, token?: string) => {
  const send = async (method: string, path: string, body?: unknown): Promise<AdminResponse> => {
    const response = await fetch(`${app.baseUrl}/mcp-server${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // CSV and empty bodies stay text.
    }
    return { status: response.status, headers: response.headers, text, json };
  };
  return {
    get: (path: string) => send('GET', path),
    put: (path: string, body: unknown) => send('PUT', path, body),
    post: (path: string, body: unknown = {}) => send('POST', path, body),
    del: (path: string) => send('DELETE', path),
  };
};
