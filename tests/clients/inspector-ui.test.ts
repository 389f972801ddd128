/**
 * The MCP Inspector web UI in a real browser, connecting over Streamable HTTP with the credentials as custom headers
 * (`--header` at launch, the UI's Custom Headers). The page talks only to the Inspector's own backend, which holds the
 * MCP connection: the browser never calls the MCP endpoint, so no CORS rule of Strapi's is involved.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { credentials } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';
import { expectExpiredTokenShown } from './helpers/expired-token';
import { createInspectorHome, startInspectorWeb } from './helpers/inspector';
import {
  connectionFailureNotice,
  disconnect,
  openInspector,
  runWhoami,
  shownProtocol,
  toggleConnect,
} from './helpers/inspector-page';

const CYCLES = 6;
/** Lowered so that the connect cycles cross the per-user cap several times. */
const MAX_SESSIONS_PER_USER = 3;
const nowSec = () => Math.floor(Date.now() / 1000);

describe('MCP Inspector web UI (Streamable HTTP, custom headers)', () => {
  const inspector = inject('inspector');
  let home: string;
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    home = createInspectorHome();
    app = await bootTestApp({ pluginConfig: { sessions: { maxPerUser: MAX_SESSIONS_PER_USER } } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  /** The UI launched for this endpoint with these credentials, open in a page, stopped after `use`. */
  const withInspectorUi = async (token: string, use: (page: Page) => Promise<void>, protocolEra?: string) => {
    const web = await startInspectorWeb(inspector, {
      home,
      serverUrl: app.mcpUrl,
      headers: credentials(app, token),
      protocolEra,
    });
    const page = await openInspector(browser, web.url);
    try {
      await use(page);
    } finally {
      await page.close();
      await web.stop();
    }
  };

  it(`connects, runs whoami and disconnects ${CYCLES} times in a row without lockout`, async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    const sessionIds = new Set<string>();
    await withInspectorUi(token, async (page) => {
      for (let cycle = 0; cycle < CYCLES; cycle += 1) {
        expect(await toggleConnect(page), `cycle ${cycle + 1}`).toBe('Connected');
        expect(await shownProtocol(page)).toBe('2025-11-25');
        const whoami = await runWhoami(page);
        expect(whoami).toMatchObject({ email: 'author1@example.com', protocolVersion: '2025-11-25' });
        sessionIds.add(whoami.sessionId!);
        await disconnect(page);
      }
    });
    expect(sessionIds.size).toBe(CYCLES);
    // Disconnect does not end the session either: the user sits at the cap, the least recently used one evicted.
    expect(app.strapi.plugin('mcp-server').service('sessions').stats().open).toBe(MAX_SESSIONS_PER_USER);
  }, 240_000);

  it('speaks MCP 2026-07-28 when the server is set to negotiate (--protocol-era auto)', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    await withInspectorUi(
      token,
      async (page) => {
        expect(await toggleConnect(page)).toBe('Connected');
        expect(await shownProtocol(page)).toBe('2026-07-28');
        expect(await runWhoami(page)).toMatchObject({
          email: 'author1@example.com',
          protocolVersion: '2026-07-28',
          sessionId: null,
        });
      },
      'auto',
    );
  });

  it('with an expired token: the notice the person sees names the reason', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1', { expiresIn: nowSec() - 120 });
    await withInspectorUi(token, async (page) => {
      expect(await toggleConnect(page)).toBe('Failed');
      expectExpiredTokenShown('inspector-ui', await connectionFailureNotice(page));
    });
  });
});
