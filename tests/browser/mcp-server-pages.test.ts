/**
 * Settings → MCP Server in a real browser, as a CMS admin uses it: each page opens; a field rule changed on the Policy
 * page refuses the next MCP call; a user's MCP access switched off refuses their next call; a session is ended; a
 * call is found in the audit log and exported as CSV; usage shows it. A publisher sees only the pages of their
 * permission. Screenshots of every page go to tests/browser/output/.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { runClientSnippet } from '../helpers/client-snippet';
import {
  connectClient,
  connectLegacyClient,
  credentials,
  openingRequest,
  type ConnectedClient,
} from '../helpers/mcp-client';
import { expectOk, expectRefused } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';
import { loginAsAdmin, openAdminPage, openSettingsPage, screenshot, settingsMenu } from './helpers/admin-page';

/** The section's pages: their path under /admin/settings/mcp-server/ and their link text. */
const PAGES: Array<[string, string]> = [
  ['overview', 'Overview'],
  ['policy', 'Policy'],
  ['access', 'Access'],
  ['sessions', 'Sessions'],
  ['audit', 'Audit log'],
  ['usage', 'Usage'],
];

/** The section's link to one page (Strapi's own settings have an "Overview" link too). */
const sectionLink = (target: Page, path: string) =>
  settingsMenu(target).locator(`a[href$="/settings/mcp-server/${path}"]`);

let app: TestApp;
let browser: Browser;
let page: Page;
const pageErrors: Error[] = [];

const service = (name: string) => app.strapi.plugin('mcp-server').service(name);
const readerToken = () => app.idp.tokenFor('reader@example.com', 'Reader', 'org-1');

/** Opens one page of the section and waits for its heading. */
const openMcpPage = async (path: string, heading: string) => {
  await openSettingsPage(page, app.baseUrl, `/mcp-server/${path}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
};

const expectNotification = (text: string | RegExp) => page.getByText(text).first().waitFor();

beforeAll(async () => {
  app = await bootTestApp({ adminPanel: true });
  browser = await launchChromium();
  page = await openAdminPage(browser);
  // Tall enough that the screenshots (docs/admin-panel.md) show most of each page.
  await page.setViewportSize({ width: 1400, height: 1500 });
  page.on('pageerror', (error) => pageErrors.push(error));
  await loginAsAdmin(page, app.baseUrl);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('Settings → MCP Server', () => {
  it('lists its six pages in the Settings menu and opens on the overview', async () => {
    await openSettingsPage(page, app.baseUrl, '/mcp-server');
    await page.waitForURL(/\/admin\/settings\/mcp-server\/overview$/);
    for (const [path, name] of PAGES) await expect(sectionLink(page, path).textContent()).resolves.toContain(name);
    await page.getByRole('heading', { name: 'MCP Server', level: 1 }).waitFor();
    // The endpoint of this instance, and snippets filled in with it.
    await page.getByText(app.mcpUrl).first().waitFor();
    await page.getByRole('switch', { name: 'MCP server enabled' }).waitFor();
    await screenshot(page, 'admin-overview');
    expect(pageErrors).toEqual([]);
  });

  it("connects a client with the overview's TypeScript snippet, as shown", async () => {
    await openMcpPage('overview', 'MCP Server');
    const snippet = await page
      .locator('pre, code')
      .filter({ hasText: '@modelcontextprotocol/client' })
      .first()
      .innerText();
    expect(snippet).toContain(app.mcpUrl);
    const stdout = await runClientSnippet(app, 'overview-snippet', snippet);
    expect(stdout).toContain('author1@example.com');
    expect(stdout).not.toContain('isError: true');
  });

  it('refuses the next MCP call after a field rule is changed on the Policy page', async () => {
    const client = await connectClient(app, await readerToken());
    try {
      expectOk(await client.callTool('find_documents', { contentType: 'article', pageSize: 1, fields: ['title'] }));

      await openMcpPage('policy', 'Policy');
      await page
        .getByRole('button', { name: /^Article/ })
        .first()
        .click();
      const titleRow = page.getByRole('row').filter({ has: page.getByText('title', { exact: true }) });
      await titleRow.getByRole('button', { name: 'Restrict' }).click();
      await page.getByRole('checkbox', { name: 'Reader may read title' }).click();
      await page.getByRole('checkbox', { name: 'Reader may write title' }).click();
      await screenshot(page, 'admin-policy');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      // The change is shown as a diff before it applies.
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Article › field title').waitFor();
      await screenshot(page, 'admin-policy-diff');
      await dialog.getByRole('button', { name: 'Apply the changes' }).click();
      await expectNotification('The policy applies from the next MCP request.');

      expectRefused(
        await client.callTool('find_documents', { contentType: 'article', pageSize: 1, fields: ['title'] }),
        /title/,
      );

      await page.getByRole('button', { name: 'Reset to config' }).click();
      await page
        .getByRole('alertdialog')
        .getByRole('button', { name: /confirm|reset/i })
        .click();
      await expectNotification('The configuration file policy applies again.');
      expectOk(await client.callTool('find_documents', { contentType: 'article', pageSize: 1, fields: ['title'] }));

      // A type unticked and ticked again gets its rules back (its per-role overrides): nothing to save.
      const homepage = page.getByRole('checkbox', { name: 'Homepage', exact: true });
      await homepage.click();
      await expect.poll(() => page.getByRole('button', { name: 'Save', exact: true }).isEnabled()).toBe(true);
      await homepage.click();
      await expect.poll(() => page.getByRole('button', { name: 'Save', exact: true }).isEnabled()).toBe(false);
    } finally {
      await client.close();
    }
  });

  it("refuses a user's next MCP call once their access is switched off on the Access page", async () => {
    const token = await readerToken();
    expect((await openingRequest(app, credentials(app, token))).status).toBe(200);

    await openMcpPage('access', 'Access');
    const access = page.getByRole('switch', { name: 'MCP access for reader@example.com' });
    await access.click();
    await expect.poll(() => service('settings').get().access.disabledUsers.length).toBe(1);
    await screenshot(page, 'admin-access');
    try {
      const refused = await openingRequest(app, credentials(app, token));
      expect(refused.status).toBe(403);
      expect(refused.json.error.data.type).toBe('access');
    } finally {
      await access.click();
      await expect.poll(() => service('settings').get().access.disabledUsers.length).toBe(0);
    }
    expect((await openingRequest(app, credentials(app, token))).status).toBe(200);
  });

  it('ends a session from the Sessions page', async () => {
    const session: ConnectedClient = await connectLegacyClient(
      app,
      await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1'),
    );
    try {
      expectOk(await session.callTool('whoami'));
      await openMcpPage('sessions', 'Sessions');
      const row = page.getByRole('row').filter({ hasText: 'publisher@example.com' });
      await row.getByText('mcp-server-tests').waitFor();
      await screenshot(page, 'admin-sessions');
      await row.getByRole('button', { name: 'End session' }).click();
      await expectNotification('1 session ended');
      expect(service('sessions').get(session.sessionId)).toBeUndefined();
      expect(
        await session.client.callTool({ name: 'whoami', arguments: {} }).catch((error: Error) => error),
      ).toBeInstanceOf(Error);
    } finally {
      await session.close().catch(() => undefined);
    }
  });

  it('finds a call in the audit log, shows its details and exports the filtered rows as CSV', async () => {
    const client = await connectClient(app, await readerToken());
    expectOk(await client.callTool('count_documents', { contentType: 'article' }));
    await client.close();
    await service('audit').flush();

    await openMcpPage('audit', 'Audit log');
    await page.getByLabel('User email').fill('reader@example.com');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const row = page.getByRole('row').filter({ hasText: 'count_documents' }).first();
    await row.waitFor();
    await screenshot(page, 'admin-audit');
    await row.click();
    const details = page.getByRole('dialog');
    await details.getByText('Arguments (redacted)').waitFor();
    await details.getByText('"contentType": "article"').waitFor();
    await screenshot(page, 'admin-audit-details');
    await page.keyboard.press('Escape');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^occurredAt,adminUserEmail,/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.includes('reader@example.com'))).toBe(true);
    expect(csv).toContain('count_documents');
  });

  it('shows usage per user and per credential', async () => {
    await openMcpPage('usage', 'Usage');
    await page.getByText('reader@example.com').first().waitFor();
    await screenshot(page, 'admin-usage');
    expect(pageErrors).toEqual([]);
  });

  it('shows the calls of the last 24 hours on the overview', async () => {
    await openMcpPage('overview', 'MCP Server');
    const calls = page.getByText('Calls', { exact: true }).first().locator('xpath=..');
    await expect.poll(async () => Number((await calls.textContent())?.replace(/\D/g, '') || 0)).toBeGreaterThan(0);
    await screenshot(page, 'admin-overview-activity');
  });

  it('shows a publisher only the pages of their permission (audit read)', async () => {
    const publisherPage = await openAdminPage(browser);
    try {
      await loginAsAdmin(publisherPage, app.baseUrl, 'publisher@example.com');
      await openSettingsPage(publisherPage, app.baseUrl, '/mcp-server/audit');
      await publisherPage.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
      await sectionLink(publisherPage, 'usage').waitFor();
      for (const hidden of ['overview', 'policy', 'access', 'sessions']) {
        expect(await sectionLink(publisherPage, hidden).count()).toBe(0);
      }
      // A page of another permission, reached by its URL, is refused.
      await openSettingsPage(publisherPage, app.baseUrl, '/mcp-server/policy');
      await publisherPage
        .getByText(/don't have the permissions|not allowed|permission/i)
        .first()
        .waitFor();
      await screenshot(publisherPage, 'publisher-policy-refused');
    } finally {
      await publisherPage.close();
    }
  });
});
