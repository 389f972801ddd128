import type { Context, Next } from 'koa';
import { LRUCache } from 'lru-cache';
import type { Refusal } from '../../outcome';

/** How long a refused token is remembered, to explain the sign-in attempt its client makes next. */
const REMEMBER_MS = 2 * 60_000;
/** Bounds the memory whoever sends refused tokens can fill (one entry per address). */
const MAX_ADDRESSES = 10_000;

/** Status codes Strapi's own OAuth fallback answers: nothing else handled the request. */
const UNHANDLED = new Set([404, 405]);

export interface RegistrationProbeOptions {
  /** Whether OAuth discovery is on: then clients register with the configured authorization server, not here. */
  oauthEnabled: () => boolean;
  /** The MCP endpoint: its configured URL, else its path (never built from the request's Host header). */
  endpoint: () => string;
}

/**
 * Real MCP clients (mcp-remote, the MCP Inspector) that meet a 401 start an OAuth sign-in, even with a pasted token.
 * While no authorization server is configured, their discovery finds none and they end at dynamic client registration
 * at the site root, `POST /register`, whose answer is the only thing they show: Strapi's "OAuth is not supported",
 * never why the token was refused. This answers that probe, only when no route of the app matched it, with what the endpoint takes instead and the reason of the last 401 sent to the same address within two
 * minutes. That reason names no user or secret and was already in the client's 401.
 */
export const createRegistrationProbe = ({ oauthEnabled, endpoint }: RegistrationProbeOptions) => {
  const refusedTokens = new LRUCache<string, string>({ max: MAX_ADDRESSES, ttl: REMEMBER_MS });

  const explain = (ctx: Context) => {
    const reason = refusedTokens.get(ctx.request.ip);
    return (
      `OAuth sign-in is not offered here: the MCP endpoint ${endpoint()} takes a bearer token in the ` +
      'Authorization header (a JWT from your identity provider, or a Strapi admin token). ' +
      (reason === undefined
        ? 'Its 401 answer says why a token was refused.'
        : `It refused the last request from your address: ${reason}.`)
    );
  };

  return {
    /** Remembers why a request from this address got a 401. */
    noteRefusal(address: string | null, refusal: Refusal, status: number) {
      if (status !== 401 || !address) return;
      refusedTokens.set(address, refusal.credentials === 'absent' ? 'no bearer token was sent' : refusal.reason);
    },

    /** Koa middleware: answers an unhandled `POST /register` while OAuth discovery is off. */
    middleware: async (ctx: Context, next: Next) => {
      await next();
      if (ctx.method !== 'POST' || ctx.path !== '/register' || !UNHANDLED.has(ctx.status) || oauthEnabled()) return;
      // A route of the app answered (even 404): its answer stands.
      if ((ctx as Context & { _matchedRoute?: unknown })._matchedRoute !== undefined) return;
      ctx.status = 404;
      ctx.remove('Allow');
      ctx.set('Content-Type', 'application/json');
      ctx.body = { error: 'not_found', error_description: explain(ctx) };
    },
  };
};

export type RegistrationProbe = ReturnType<typeof createRegistrationProbe>;
