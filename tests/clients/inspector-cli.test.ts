/**
 * The MCP Inspector CLI, as a person or a script runs it: one process per call, Streamable HTTP, the credentials in
 * `--header` flags. It opens a session per call (2025-11-25, its default) and never ends it.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { credentials } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';
import { expectExpiredTokenShown } from './helpers/expired-token';
import { cliFailureMessage, createInspectorHome, headerFlags, runInspectorCli } from './helpers/inspector';

/** Each run starts Node 22 and the Inspector (about 3 s here) and leaves its session open: 30 cross the cap 20 times. */
const REPLAYS = 30;
/** The default per-user cap, set explicitly. */
const MAX_SESSIONS_PER_USER = 10;
const nowSec = () => Math.floor(Date.now() / 1000);

describe('MCP Inspector CLI', () => {
  const inspector = inject('inspector');
  let home: string;
  let app: TestApp;
  beforeAll(async () => {
    home = createInspectorHome();
    app = await bootTestApp({ pluginConfig: { sessions: { maxPerUser: MAX_SESSIONS_PER_USER } } });
  });
  afterAll(async () => {
    await app?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  const callWhoami = (token: string, extra: string[] = [], options: { terminal?: boolean } = {}) =>
    runInspectorCli(
      inspector,
      [
        app.mcpUrl,
        '--transport',
        'http',
        ...headerFlags(credentials(app, token)),
        '--method',
        'tools/call',
        '--tool-name',
        'whoami',
        '--format',
        'json',
        ...extra,
      ],
      { home, ...options },
    );

  it(`calls whoami ${REPLAYS} times in a row, one process each, never locked out by the sessions it leaves`, async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    const sessionIds = new Set<string>();
    for (let run = 0; run < REPLAYS; run += 1) {
      const result = await callWhoami(token);
      expect(result.code, `run ${run + 1}:\n${result.stdout}\n${result.stderr}`).toBe(0);
      const { structuredContent } = JSON.parse(result.stdout).result;
      expect(structuredContent).toMatchObject({
        user: { email: 'author1@example.com' },
        protocolVersion: '2025-11-25',
      });
      sessionIds.add(structuredContent.sessionId);
    }
    // One new session per run, none ended by the client: the user sits at the cap, the oldest evicted each time.
    expect(sessionIds.size).toBe(REPLAYS);
    expect(app.strapi.plugin('mcp-server').service('sessions').stats().open).toBe(MAX_SESSIONS_PER_USER);
  }, 300_000);

  it('speaks MCP 2026-07-28 when asked to negotiate (--protocol-era auto)', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    const result = await callWhoami(token, ['--protocol-era', 'auto']);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(JSON.parse(result.stdout).result.structuredContent).toMatchObject({
      user: { email: 'author1@example.com' },
      protocolVersion: '2026-07-28',
      sessionId: null,
    });
  });

  describe('an expired token', () => {
    const expiredToken = () =>
      app.idp.tokenFor('author1@example.com', 'Author', 'org-1', { expiresIn: nowSec() - 120 });

    it('shows the plugin’s reason with --stored-auth-only (the non-interactive mode for scripts and CI)', async () => {
      const result = await callWhoami(await expiredToken(), ['--stored-auth-only']);
      expect(result.code).not.toBe(0);
      expectExpiredTokenShown('inspector-cli-stored-auth-only', cliFailureMessage(result));
    });

    it('what a person at a terminal sees (the CLI starts the OAuth sign-in on the 401)', async () => {
      const result = await callWhoami(await expiredToken(), [], { terminal: true });
      expect(result.timedOut, result.stdout).toBe(false);
      expect(result.code).not.toBe(0);
      expectExpiredTokenShown('inspector-cli-terminal', cliFailureMessage(result));
    });
  });
});
