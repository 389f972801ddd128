/**
 * The Inspector web UI driven in a real browser (chromium through playwright-core), the way a person uses it:
 * toggle the server on, open Tools, pick whoami, Execute Tool, read the result; toggle it off.
 */
import type { Browser, Page } from 'playwright-core';
import { blockOffMachineRequests } from '../../helpers/chromium';

const UI_TIMEOUT_MS = 30_000;

export const openInspector = async (browser: Browser, url: string): Promise<Page> => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await blockOffMachineRequests(page);
  await page.goto(url);
  return page;
};

const connectionSwitch = (page: Page) => page.getByRole('switch', { name: /Connect or disconnect/ });

/** Toggles the server on and waits until the card says Connected or Failed. */
export const toggleConnect = async (page: Page): Promise<'Connected' | 'Failed'> => {
  await page.getByText('Servers', { exact: true }).first().click();
  await connectionSwitch(page).click({ force: true });
  const status = page.getByText(/^(Connected|Failed)$/);
  await status.waitFor();
  return (await status.innerText()) as 'Connected' | 'Failed';
};

/** The revision the connected server card shows ("MCP 2025-11-25"). */
export const shownProtocol = async (page: Page) =>
  (await page.getByText(/^MCP \d{4}-\d{2}-\d{2}$/).innerText()).replace('MCP ', '');

export interface WhoamiShown {
  email?: string;
  sessionId?: string | null;
  protocolVersion?: string;
  text: string;
}

/** Runs whoami from the Tools tab and reads the fields the Results panel shows, then closes the panel. */
export const runWhoami = async (page: Page): Promise<WhoamiShown> => {
  await page.getByText('Tools', { exact: true }).click();
  await page.getByRole('button', { name: /whoami/ }).click();
  await page.getByRole('button', { name: 'Execute Tool' }).click();
  // The Results panel shows the tool's structuredContent in its own viewer.
  const structured = page.getByTestId('structured-output');
  await structured.getByText('"protocolVersion"').waitFor();
  const text = await structured.innerText();
  const field = (name: string) => text.match(new RegExp(`"${name}": ("[^"]*"|null)`))?.[1];
  const sessionId = field('sessionId');
  const result = {
    email: field('email')?.slice(1, -1),
    sessionId: sessionId === 'null' ? null : sessionId?.slice(1, -1),
    protocolVersion: field('protocolVersion')?.slice(1, -1),
    text,
  };
  await page.getByRole('button', { name: 'Close results' }).click();
  return result;
};

/** Disconnects from the header button, as a person ends a session, and waits for the card to say so. */
export const disconnect = async (page: Page) => {
  await page.getByRole('button', { name: 'Disconnect from server' }).click();
  await page.getByText('Disconnected', { exact: true }).waitFor();
};

/** The notification the UI raises when a connection fails: what the person sees. */
export const connectionFailureNotice = async (page: Page): Promise<string> => {
  const notice = page
    .getByRole('alert')
    .filter({ hasText: /Failed to connect/ })
    .first();
  await notice.waitFor();
  return notice.innerText();
};
