/**
 * mcp-remote, the bridge Claude Desktop (and Cursor, Windsurf...) start for a remote server: a stdio process per host
 * start, credentials in `--header` flags. Each start opens two sessions (a probe, then the host's) and ends neither.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';
import { expectExpiredTokenShown } from './helpers/expired-token';
import { createMcpRemoteConfigDir, startMcpRemote } from './helpers/mcp-remote';

/** 30 starts (about 3 s each here), each leaving its sessions open: they cross the cap 20 times or more. */
const STARTS = 30;
/** The default per-user cap, set explicitly. */
const MAX_SESSIONS_PER_USER = 10;
const nowSec = () => Math.floor(Date.now() / 1000);

describe('mcp-remote with --header', () => {
  let configDir: string;
  let app: TestApp;
  beforeAll(async () => {
    configDir = createMcpRemoteConfigDir();
    app = await bootTestApp({ pluginConfig: { sessions: { maxPerUser: MAX_SESSIONS_PER_USER } } });
  });
  afterAll(async () => {
    await app?.close();
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  });

  const start = async (token: string, flags: string[] = []) =>
    startMcpRemote({ url: app.mcpUrl, headers: credentials(app, token), configDir, flags });

  it(`starts ${STARTS} times in a row, calls whoami each time, never locked out by the sessions it leaves`, async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    const sessionIds = new Set<string>();
    for (let run = 0; run < STARTS; run += 1) {
      const host = await start(token);
      try {
        const result = await host.client.callTool({ name: 'whoami', arguments: {} });
        expect(result.isError, `start ${run + 1}:\n${host.stderr()}`).toBeFalsy();
        expect(result.structuredContent).toMatchObject({
          user: { email: 'author1@example.com' },
          protocolVersion: '2025-11-25',
        });
        sessionIds.add((result.structuredContent as { sessionId: string }).sessionId);
      } finally {
        await host.close();
      }
    }
    expect(sessionIds.size).toBe(STARTS);
    // Nothing ended by the client: the user sits at the cap, the least recently used session evicted each time.
    expect(app.strapi.plugin('mcp-server').service('sessions').stats().open).toBe(MAX_SESSIONS_PER_USER);
  }, 300_000);

  it('bridges a 2025-11-25 host to MCP 2026-07-28 with --protocol auto', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    const host = await start(token, ['--protocol', 'auto']);
    try {
      const result = await host.client.callTool({ name: 'whoami', arguments: {} });
      expect(result.structuredContent).toMatchObject({
        user: { email: 'author1@example.com' },
        protocolVersion: '2026-07-28',
        sessionId: null,
      });
    } finally {
      await host.close();
    }
  });

  it('with an expired token: what the host shows (mcp-remote’s log) names the reason', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1', { expiresIn: nowSec() - 120 });
    const started = await start(token).then(
      async (host) => {
        await host.close();
        return undefined;
      },
      (error: Error & { stderr?: string }) => error,
    );
    expect(started, 'mcp-remote connected with an expired token').toBeInstanceOf(Error);
    expectExpiredTokenShown('mcp-remote', started!.stderr ?? started!.message);
  });
});
