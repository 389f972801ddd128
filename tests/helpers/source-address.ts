/**
 * Requests from another loopback address (127.0.0.2, 127.0.0.3, ...): Strapi does not trust X-Forwarded-For unless
 * its proxy option says so, so a second caller address must be a second socket address. Linux routes all of
 * 127.0.0.0/8 to loopback.
 */
import http from 'node:http';
import type { RawResponse } from './mcp-client';
import type { TestApp } from './test-app';

export const requestFrom = (
  localAddress: string,
  app: TestApp,
  {
    method = 'POST',
    headers = {},
    body,
    url = app.mcpUrl,
  }: { method?: string; headers?: Record<string, string>; body?: unknown; url?: string },
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(
      url,
      {
        method,
        localAddress,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            const data = text.split('\n').find((line) => line.startsWith('data: ') && line.length > 6);
            json = data ? JSON.parse(data.slice(6)) : undefined;
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') responseHeaders.set(name, value);
          }
          resolve({ status: response.statusCode ?? 0, headers: responseHeaders, text, json });
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
