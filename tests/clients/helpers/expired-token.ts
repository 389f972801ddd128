/**
 * What a person sees when their token has expired: the plugin's reason ("token expired", in the 401 body and in
 * `WWW-Authenticate: Bearer error_description`), or whatever the client puts in its place.
 */
import { expect } from 'vitest';

export const PLUGIN_REASON = 'token expired';

/**
 * Strapi's own answer to `POST /register` (core `oauthDiscoveryFallback`): a client that meets a 401 starts the
 * OAuth sign-in, finds no authorization server, tries dynamic client registration at the site root, and shows this.
 */
export const STRAPI_REGISTRATION_REFUSAL =
  'Dynamic Client Registration rejected (HTTP 404): {"error":"not_found","error_description":"OAuth is not supported"}';

export type ExpiredTokenView =
  | 'inspector-cli-stored-auth-only'
  | 'inspector-cli-terminal'
  | 'inspector-ui'
  | 'mcp-remote';

/**
 * The views that still show something else than the plugin's reason, with what they show today (issue 8). A listed
 * view whose output changes fails its test, so this list stays true: remove the entry when the reason shows.
 */
export const SHOWN_INSTEAD_OF_REASON: Partial<Record<ExpiredTokenView, string>> = {
  'inspector-cli-terminal': STRAPI_REGISTRATION_REFUSAL,
  'inspector-ui': STRAPI_REGISTRATION_REFUSAL,
  'mcp-remote': STRAPI_REGISTRATION_REFUSAL,
};

/** Checks what `view` showed for an expired token against the plugin's reason, or against the listed gap. */
export const expectExpiredTokenShown = (view: ExpiredTokenView, shown: string) => {
  const instead = SHOWN_INSTEAD_OF_REASON[view];
  if (instead === undefined) {
    expect(shown, `${view} should show the plugin's reason`).toContain(PLUGIN_REASON);
    return;
  }
  console.warn(`[clients] ${view} shows, for an expired token: ${instead} (not the plugin's reason; issue 8)`);
  expect(shown, `${view} no longer shows the listed text: update SHOWN_INSTEAD_OF_REASON`).toContain(instead);
  expect(shown, `${view} now shows the plugin's reason: remove it from SHOWN_INSTEAD_OF_REASON`).not.toContain(
    PLUGIN_REASON,
  );
};
