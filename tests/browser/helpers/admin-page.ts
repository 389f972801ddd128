/**
 * The Strapi admin panel in a real browser (chromium through playwright-core), driven the way a person uses it:
 * sign in at /admin/auth/login, then navigate. Screenshots go to tests/browser/output/ (not committed).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { blockOffMachineRequests } from '../../helpers/chromium';

const UI_TIMEOUT_MS = 30_000;
const OUTPUT_DIR = path.resolve(__dirname, '..', 'output');

/** Seeded by the playground (src/seed/users.ts): every admin user has this password. */
export const PLAYGROUND_PASSWORD = 'Playground123!';
export const SUPER_ADMIN_EMAIL = 'admin@example.com';

export const openAdminPage = async (browser: Browser): Promise<Page> => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await blockOffMachineRequests(page);
  return page;
};

/** Fills the login form and waits for the home page, which greets the user by first name. */
export const loginAsAdmin = async (
  page: Page,
  baseUrl: string,
  email = SUPER_ADMIN_EMAIL,
  password = PLAYGROUND_PASSWORD,
) => {
  await page.goto(`${baseUrl}/admin/auth/login`);
  // By name: the labels carry a required-field mark, and "Password" also names the show-password button.
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'));
  await page.getByRole('heading', { name: /^Hello / }).waitFor();
};

/** A full-page PNG at tests/browser/output/<name>.png, once dialogs have finished fading in; returns its path. */
export const screenshot = async (page: Page, name: string): Promise<string> => {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));
  const file = path.join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
};

/**
 * Opens a Settings page by URL and waits for the Settings menu beside it. A full load boots the whole app again:
 * the network goes idle well before it renders, so waiting on the network alone screenshots a blank page.
 */
export const openSettingsPage = async (page: Page, baseUrl: string, settingsPath = '') => {
  await page.goto(`${baseUrl}/admin/settings${settingsPath}`);
  await settingsMenu(page).waitFor();
};

/** The Settings sub-navigation (Global settings, Administration panel, one section per plugin's pages). */
export const settingsMenu = (page: Page) => page.getByRole('navigation', { name: 'Settings' });
