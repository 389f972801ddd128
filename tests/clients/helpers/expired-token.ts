/**
 * What a person sees when their token has expired: the plugin's reason ("token expired"), in the 401 body and in
 * `WWW-Authenticate: Bearer error_description`, or, for clients that answer a 401 with an OAuth sign-in, in the
 * plugin's answer to their registration attempt at `POST /register`.
 */
import { expect } from 'vitest';

export const PLUGIN_REASON = 'token expired';

/** Strapi's own answer to `POST /register` (core `oauthDiscoveryFallback`), which names no reason. */
export const STRAPI_REGISTRATION_REFUSAL = 'OAuth is not supported';

export type ExpiredTokenView =
  | 'inspector-cli-stored-auth-only'
  | 'inspector-cli-terminal'
  | 'inspector-ui'
  | 'mcp-remote';

/** Checks that `view` showed the plugin's reason for an expired token, not Strapi's fallback. */
export const expectExpiredTokenShown = (view: ExpiredTokenView, shown: string) => {
  expect(shown, `${view} should show the plugin's reason`).toContain(PLUGIN_REASON);
  expect(shown, `${view} shows Strapi's OAuth fallback`).not.toContain(STRAPI_REGISTRATION_REFUSAL);
};
