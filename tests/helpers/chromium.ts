/** The system chromium, driven through playwright-core (never `npx playwright install`): the client and browser suites. */
import fs from 'node:fs';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const launchChromium = (): Promise<Browser> => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
};

/** Offline: the pages under test fetch web fonts and telemetry from off this machine, nothing they need. */
export const blockOffMachineRequests = (page: Page) =>
  page.route(
    (target) => !LOOPBACK_HOSTS.has(target.hostname),
    (route: Route) => route.abort(),
  );
