import type { ServerResponse } from 'node:http';
import type { McpCaller } from '../services/identity';

/** The filter of a 2026-07-28 `subscriptions/listen` request, or undefined for any other message. */
export const readListenFilter = (body: unknown): { resourceSubscriptions?: unknown } | undefined => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const message = body as { method?: unknown; params?: { notifications?: unknown } };
  if (message.method !== 'subscriptions/listen') return undefined;
  const filter = message.params?.notifications;
  return filter && typeof filter === 'object' ? (filter as { resourceSubscriptions?: unknown }) : {};
};

/** How long a stream may stay open for this caller: until the token expires, and never past the lifetime. */
export const streamDeadlineMs = (caller: McpCaller, maxLifetimeMs: number, now = Date.now()): number => {
  const expiresIn = typeof caller.claims.exp === 'number' ? caller.claims.exp * 1000 - now : Infinity;
  return Math.max(0, Math.min(expiresIn, maxLifetimeMs));
};

/**
 * Ends a long-lived stream (a 2026-07-28 listen stream, a 2025 GET stream) when its credentials run out: identity is
 * checked when a stream opens, so a stream must not outlive the token it was opened with. The client reconnects with
 * a fresh token.
 */
export const closeStreamAfter = (res: ServerResponse, ms: number) => {
  // Writes racing the close must not become an uncaught error.
  res.on('error', () => undefined);
  const timer = setTimeout(() => res.destroy(), ms);
  timer.unref();
  res.once('close', () => clearTimeout(timer));
};
