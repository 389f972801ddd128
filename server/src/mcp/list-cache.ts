import type { CacheHint } from '@modelcontextprotocol/server';
import type { McpCaller } from '../services/identity';

type CacheableList = 'tools/list' | 'prompts/list' | 'resources/list' | 'resources/templates/list' | 'server/discover';

/**
 * The cache hints of a caller's 2026-07-28 lists: private to the caller, kept at most `listCacheTtlMs`, and never
 * longer than the caller's token lives (changes are announced on listen streams besides).
 */
export const listCacheHints = (
  caller: McpCaller,
  listCacheTtlMs: number,
  now = Date.now(),
): Partial<Record<CacheableList, CacheHint>> => {
  const expiresIn = typeof caller.claims.exp === 'number' ? caller.claims.exp * 1000 - now : Infinity;
  const hint: CacheHint = {
    ttlMs: Math.max(0, Math.floor(Math.min(listCacheTtlMs, expiresIn))),
    cacheScope: 'private',
  };
  return {
    'tools/list': hint,
    'prompts/list': hint,
    'resources/list': hint,
    'resources/templates/list': hint,
    'server/discover': hint,
  };
};
