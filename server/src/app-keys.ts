import { hkdfSync, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';

/** What a derived key signs; each purpose has a key of its own, so one kind of token never passes for another. */
export type KeyPurpose = 'request state' | 'cursor' | 'mutation confirmation';

const derived = new WeakMap<Core.Strapi, Map<KeyPurpose, Buffer>>();

/**
 * A signing key derived from the app's first key (`APP_KEYS`, the one Strapi signs with), so that every replica of the
 * app verifies what another one signed: a `requestState`, a list cursor, a confirmation token. Keys listed after the
 * first (older ones kept for a rotation) change nothing; a new first key invalidates what was signed before, all of it
 * short-lived. An app without keys gets a key of its own process; what it signs is then good in that process only.
 */
export const deriveAppKey = (strapi: Core.Strapi, purpose: KeyPurpose): Buffer => {
  let keys = derived.get(strapi);
  if (!keys) derived.set(strapi, (keys = new Map()));
  let key = keys.get(purpose);
  if (!key) {
    const appKeys = strapi.config.get<string[] | string | undefined>('server.app.keys');
    const material = (Array.isArray(appKeys) ? appKeys[0] : appKeys?.split(',')[0]) ?? '';
    key = material
      ? Buffer.from(hkdfSync('sha256', material, 'strapi-plugin-mcp-server', `mcp ${purpose}`, 32))
      : randomBytes(32);
    keys.set(purpose, key);
  }
  return key;
};
