/**
 * Smoke test of the browser suite: the playground serves its built admin panel, seeded users sign in through the
 * login form, and the Settings pages render without a crash (the plugin's pages: mcp-server-pages.test.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { bootTestApp, type TestApp } from '../helpers/test-app';
import { loginAsAdmin, openAdminPage, openSettingsPage, screenshot } from './helpers/admin-page';

/** Strapi's error screens, shown in place of a page whose code threw or whose chunk did not load. */
const CRASH_TEXT = /Something went wrong|This screen couldn't be loaded/;

describe('admin panel in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  const pageErrors: Error[] = [];
  beforeAll(async () => {
    app = await bootTestApp({ adminPanel: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A fresh page (no session) for one user, closed after `use`; uncaught errors in it are collected. */
  const withPage = async (use: (page: Page) => Promise<void>) => {
    const page = await openAdminPage(browser);
    page.on('pageerror', (error) => pageErrors.push(error));
    try {
      await use(page);
    } finally {
      await page.close();
    }
  };

  const expectNoCrash = async (page: Page) => {
    expect(await page.getByText(CRASH_TEXT).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  };

  it('serves the admin panel at /admin', async () => {
    const response = await fetch(`${app.baseUrl}/admin`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="strapi">');
  });

  it('signs the super admin in and opens Settings and Settings → MCP Server', async () => {
    await withPage(async (page) => {
      await loginAsAdmin(page, app.baseUrl);
      await screenshot(page, 'home-super-admin');

      await openSettingsPage(page, app.baseUrl);
      await expect(page.getByRole('heading', { name: 'Overview' }).isVisible()).resolves.toBe(true);
      await screenshot(page, 'settings');
      await expectNoCrash(page);

      await openSettingsPage(page, app.baseUrl, '/mcp-server');
      await screenshot(page, 'settings-mcp-server');
      await expectNoCrash(page);
    });
  });

  it('signs in a seeded user who is not a super admin (MCP Publisher)', async () => {
    await withPage(async (page) => {
      await loginAsAdmin(page, app.baseUrl, 'publisher@example.com');
      await expect(page.getByRole('heading', { name: 'Hello Paul' }).isVisible()).resolves.toBe(true);
      await screenshot(page, 'home-publisher');
      await expectNoCrash(page);
    });
  });
});
