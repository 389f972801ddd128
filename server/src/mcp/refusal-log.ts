import type { Core } from '@strapi/strapi';
import type { Refusal } from '../outcome';
import type { SettingsService } from '../services/settings';
import { REFUSALS } from './refusals';

const WINDOW_MS = 60_000;

export interface RefusalLogEntry {
  refusal: Refusal;
  ip: string | null;
  /** The admin user's email, or the email the token claimed; `null` before a token was read. */
  email: string | null;
}

/**
 * One line in Strapi's log per refused request, so that whoever runs the server sees why a client cannot connect
 * without reading the audit table. Bounded: a flood of refusals becomes `maxRefusalLinesPerMinute` lines and a count.
 */
export const createRefusalLog = (strapi: Core.Strapi, settings: SettingsService) => {
  let windowStart = 0;
  let written = 0;
  let suppressed = 0;

  return (entry: RefusalLogEntry, now = Date.now()) => {
    const { refusals: level, maxRefusalLinesPerMinute } = settings.get().logging;
    if (level === 'off') return;
    if (now - windowStart >= WINDOW_MS) {
      if (suppressed > 0) {
        strapi.log[level](`[mcp-server] ${suppressed} more refused request(s) in the last minute were not logged`);
      }
      windowStart = now;
      written = 0;
      suppressed = 0;
    }
    if (written >= maxRefusalLinesPerMinute) {
      suppressed += 1;
      return;
    }
    written += 1;
    const { status } = REFUSALS[entry.refusal.type];
    const who = [entry.email && `user ${entry.email}`, entry.ip && `from ${entry.ip}`].filter(Boolean).join(' ');
    strapi.log[level](
      `[mcp-server] refused (${status} ${entry.refusal.type}): ${entry.refusal.reason}${who ? ` — ${who}` : ''}`,
    );
  };
};
