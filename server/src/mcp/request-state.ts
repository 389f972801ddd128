import { hkdfSync, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { createRequestStateCodec, type CacheHint, type ServerContext } from '@modelcontextprotocol/server';
import type { McpCaller } from '../services/identity';
import { readFacts } from './handler-context';

interface SealedState {
  for: string;
  state: unknown;
}

type CacheableList = 'tools/list' | 'prompts/list' | 'resources/list' | 'resources/templates/list' | 'server/discover';

/**
 * The key that seals `requestState` (multi-round-trip calls). It is derived from the app's keys, so every replica of
 * the app verifies what another one sealed; an app without keys gets a key of its own process.
 */
const deriveStateKey = (strapi: Core.Strapi): Buffer => {
  const appKeys = strapi.config.get<string[] | string | undefined>('server.app.keys');
  const material = Array.isArray(appKeys) ? appKeys.join(',') : (appKeys ?? '');
  if (!material) return randomBytes(32);
  return Buffer.from(hkdfSync('sha256', material, 'strapi-plugin-mcp-server', 'mcp request state', 32));
};

/**
 * What 2026-07-28 adds around one caller's server: the sealed `requestState` a tool hands out when it asks the client
 * for input, and the cache hints of the lists it answers.
 */
export const createRequestStateSealer = (strapi: Core.Strapi, listCacheTtlMs: () => number) => {
  // A state is good for the caller and the method it was sealed for, for ten minutes; `seal` adds the tool's name.
  const codec = createRequestStateCodec<SealedState>({
    key: deriveStateKey(strapi),
    ttlSeconds: 600,
    bind: (ctx) => `${readFacts(ctx.http?.authInfo).caller.identityKey}\0${ctx.mcpReq.method}`,
  });

  return {
    verify: codec.verify,
    /** The `requestState` of an `inputRequired(...)` answer of the tool, prompt or resource `name`. */
    forHandler: (name: string, ctx: ServerContext) => ({
      seal: (state: unknown) => codec.mint({ for: name, state }, ctx),
      read: <T>(): T | undefined => {
        const sealed = ctx.mcpReq.requestState<SealedState>();
        return sealed?.for === name ? (sealed.state as T) : undefined;
      },
    }),
    /** Lists are private to the caller, and never kept longer than the caller's token lives. */
    cacheHints(caller: McpCaller): Partial<Record<CacheableList, CacheHint>> {
      const exp = typeof caller.claims.exp === 'number' ? caller.claims.exp * 1000 - Date.now() : Infinity;
      const ttlMs = Math.max(0, Math.floor(Math.min(listCacheTtlMs(), exp)));
      const hint: CacheHint = { ttlMs, cacheScope: 'private' };
      return {
        'tools/list': hint,
        'prompts/list': hint,
        'resources/list': hint,
        'resources/templates/list': hint,
        'server/discover': hint,
      };
    },
  };
};

export type RequestStateSealer = ReturnType<typeof createRequestStateSealer>;
