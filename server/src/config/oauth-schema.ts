import { z } from 'zod';
import { env, envList, fromEnv, section } from './env-fallback';

/** An absolute http(s) URL without a fragment (RFC 8707 §2: a resource indicator carries none). */
const absoluteUrl = z
  .url({ protocol: /^https?$/ })
  .refine((value) => !value.includes('#'), 'must not contain a fragment (#)');

/** A scope token as RFC 6749 §3.3 defines it: printable ASCII without space, quote or backslash. */
const scopeToken = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be a scope token (no spaces or quotes)');

/**
 * OAuth discovery for clients that call the endpoint directly (RFC 9728): where they get tokens, and for which
 * resource. Off while `authorizationServers` is empty: then no metadata is served and 401s name no metadata URL.
 */
export const oauthSchema = section(
  z.strictObject({
    /** Issuer URLs of the authorization servers whose tokens this endpoint accepts, exactly as they state `iss`. */
    authorizationServers: fromEnv(z.array(absoluteUrl), () => envList('MCP_OAUTH_AUTHORIZATION_SERVERS'), []),
    /**
     * The canonical URL of the MCP endpoint, as clients name it in `resource` (RFC 8707). Default: Strapi's
     * `server.url` + the endpoint's path; without either, the metadata document names the URL the request came to
     * (never the audience check: see `jwt.audience`).
     */
    resource: fromEnv(absoluteUrl.optional(), () => env('MCP_OAUTH_RESOURCE')),
    /** `scopes_supported` in the metadata; default: `<type>:<operation>` for every exposed type and operation. */
    scopesSupported: z.array(scopeToken).optional(),
  }),
);

export type OAuthConfig = z.output<typeof oauthSchema>;

/**
 * `jwt.audience` may be left out once an authorization server is configured: the audience is then the resource
 * (checked where Strapi's `server.url` is known, at boot).
 */
export const requireAudienceWithoutOAuth = (
  config: { jwt?: { audience?: unknown }; oauth: OAuthConfig },
  ctx: z.RefinementCtx,
) => {
  // Runs even when other jwt options have problems (one message for everything): jwt may be half-parsed then.
  // Left out, jwt is not configured at all (admin tokens only), which is checked elsewhere.
  if (config.jwt === undefined || config.jwt.audience !== undefined || config.oauth.authorizationServers.length > 0) {
    return;
  }
  ctx.addIssue({
    code: 'custom',
    path: ['jwt', 'audience'],
    message: 'is required (env MCP_JWT_AUDIENCE), unless oauth.authorizationServers is set (then it is the resource)',
  });
};
