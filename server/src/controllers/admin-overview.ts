import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { adminTokensRequireSecret } from '../config/admin-tokens-schema';
import type { PluginConfig } from '../config/schema';
import { AUDIT_LOG_UID } from '../content-types';
import { MODERN_PROTOCOL_VERSIONS } from '../mcp/modern-endpoint';
import { LEGACY_PROTOCOL_VERSIONS } from '../mcp/request-guards';
import { endpointPath } from '../routes/endpoint-path';
import { getService } from '../services/get-service';
import { actorOf, asValidationError } from './admin-actor';

const keySourceOf = (jwt: PluginConfig['jwt']) => {
  if (!jwt) return null;
  if (jwt.jwksUri) return 'jwksUri' as const;
  if (jwt.jwks) return 'jwks' as const;
  if (jwt.publicKey) return 'publicKey' as const;
  return 'secret' as const;
};

const SWITCH_ACTIONS = ['switch-on', 'switch-off'];

/** Settings → MCP Server → Overview: the switch, how to connect, what is accepted, and the last 24 hours. */
const createAdminOverviewController = ({ strapi }: { strapi: Core.Strapi }) => {
  const lastSwitch = async () => {
    const row = (await strapi.db.query(AUDIT_LOG_UID).findOne({
      select: ['occurredAt', 'adminUserEmail', 'action'],
      where: { action: { $in: SWITCH_ACTIONS }, credential: 'admin-panel' },
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
    })) as { occurredAt: string; adminUserEmail: string | null } | null;
    return row ? { by: row.adminUserEmail, at: new Date(row.occurredAt).toISOString() } : null;
  };

  const overview = async (ctx: Context) => {
    const config = getService(strapi, 'settings').get();
    const identity = getService(strapi, 'identity');
    const keySource = keySourceOf(config.jwt);
    const [last24h, redis, enabledChange, reachable] = await Promise.all([
      getService(strapi, 'audit').reports.last24Hours(),
      getService(strapi, 'rate-limits').redisStatus(),
      lastSwitch(),
      // Only a JWKS URL can be unreachable; keys held in the configuration always are at hand.
      keySource === 'jwksUri' ? identity.keysAvailable() : Promise.resolve(null),
    ]);
    const lastFetch = identity.lastKeyFetch();
    const sessions = getService(strapi, 'sessions').stats();
    return {
      enabled: config.enabled,
      enabledChange,
      endpoint: { url: getService(strapi, 'oauth').endpointUrl(ctx.request), path: endpointPath(strapi) },
      internalSecret: {
        required: config.requireInternalSecret,
        requiredForAdminTokens: config.adminTokens.enabled && adminTokensRequireSecret(config),
        header: 'X-MCP-Internal-Secret',
      },
      credentials: {
        jwt: config.jwt
          ? {
              issuers: [config.jwt.issuer].flat(),
              audience: [getService(strapi, 'oauth').audience()].flat(),
              keySource,
              jwksUri: config.jwt.jwksUri ?? null,
            }
          : null,
        adminTokens: { enabled: config.adminTokens.enabled },
        oauth: { authorizationServers: config.oauth.authorizationServers },
      },
      protocolVersions: [...MODERN_PROTOCOL_VERSIONS, ...LEGACY_PROTOCOL_VERSIONS],
      sessions: { open: sessions.open, max: sessions.limits.max },
      readOnly: config.readOnly,
      last24h,
      keys: {
        source: keySource,
        reachable,
        lastRefreshAt: lastFetch?.at ?? null,
        error: lastFetch && !lastFetch.ok ? lastFetch.error : null,
      },
      redis,
    };
  };

  return {
    async show(ctx: Context) {
      ctx.body = { data: await overview(ctx) };
    },

    /** Switches the endpoint on or off: off, every MCP request is answered 503 until it is switched on again. */
    async switch(ctx: Context) {
      const { enabled } = (ctx.request.body ?? {}) as { enabled?: unknown };
      if (typeof enabled !== 'boolean') {
        throw new errors.ValidationError('enabled must be true or false', {
          errors: [{ path: ['enabled'], message: 'must be true or false', name: 'ValidationError' }],
        });
      }
      await getService(strapi, 'settings')
        .save({ enabled }, actorOf(ctx), enabled ? 'switch-on' : 'switch-off')
        .catch(asValidationError);
      // Off means off for open sessions too: their streams end now, not at their next request.
      if (!enabled) await getService(strapi, 'sessions').closeEverything('ended-by-admin');
      ctx.body = { data: await overview(ctx) };
    },
  };
};

export default createAdminOverviewController;
