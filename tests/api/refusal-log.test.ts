/**
 * Refused requests reach Strapi's log, one line each at the configured level, bounded per minute: whoever runs the
 * server sees why a client cannot connect, and a flood does not flood the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, openingRequest } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const captureLog = (app: TestApp, level: 'info' | 'warn' | 'debug') => {
  const lines: string[] = [];
  const original = app.strapi.log[level].bind(app.strapi.log);
  app.strapi.log[level] = ((message: string) => {
    if (String(message).startsWith('[mcp-server]')) lines.push(String(message));
    return original(message);
  }) as never;
  return lines;
};

describe('refusals in the server log', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { logging: { refusals: 'warn', maxRefusalLinesPerMinute: 3 } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('logs why a request was refused, without the token or the secret, at most 3 lines a minute', async () => {
    const lines = captureLog(app, 'warn');
    const expired = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1', { expiresIn: -120 });
    const response = await openingRequest(app, credentials(app, expired));
    expect(response.status).toBe(401);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[mcp-server\] refused \(401 token\): token expired — from \S+$/);
    expect(lines[0]).not.toContain(expired);

    await openingRequest(app, credentials(app, expired, 'not-the-secret-but-long-enough-to-look-real'));
    expect(lines[1]).toMatch(/^\[mcp-server\] refused \(403 secret\): internal secret does not match/);
    expect(lines.join('\n')).not.toContain(app.secret);

    for (let i = 0; i < 5; i += 1) await openingRequest(app, credentials(app, expired));
    // Two more lines fill the minute's budget of three; the rest are only counted.
    expect(lines).toHaveLength(3);
  });
});
