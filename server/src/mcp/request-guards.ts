import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import type { Refusal } from '../outcome';

/** The 2025-era revisions the session leg speaks (2024-10-07 to 2025-11-25). */
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface OriginPolicy {
  allowedOrigins: ReadonlySet<string>;
  allowLoopback: boolean;
}

export const createOriginPolicy = (allowedOrigins: string[], allowLoopback: boolean): OriginPolicy => ({
  allowedOrigins: new Set(allowedOrigins.map((origin) => normalizeOrigin(origin) ?? origin)),
  allowLoopback,
});

const normalizeOrigin = (origin: string): string | undefined => {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
};

/** DNS-rebinding protection: a browser-sent Origin must be one we trust. Requests without Origin pass. */
export const checkOrigin = (origin: string | undefined, policy: OriginPolicy): Refusal | undefined => {
  if (origin === undefined || origin === '') return undefined;
  const normalized = normalizeOrigin(origin);
  if (normalized && policy.allowedOrigins.has(normalized)) return undefined;
  if (normalized && policy.allowLoopback && LOOPBACK_HOSTS.has(new URL(normalized).hostname)) return undefined;
  return { type: 'origin', reason: `origin ${normalized ?? 'value'} is not allowed` };
};

export const checkProtocolVersion = (version: string | undefined): Refusal | undefined => {
  if (version === undefined || version === '' || LEGACY_PROTOCOL_VERSIONS.includes(version)) return undefined;
  return {
    type: 'protocol-version',
    reason:
      `unsupported MCP-Protocol-Version ${version.slice(0, 40)}; supported: 2026-07-28 (with the request _meta), ` +
      LEGACY_PROTOCOL_VERSIONS.join(', '),
  };
};
