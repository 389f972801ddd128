import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../services/get-service';

/** How long one dependency may take to answer a probe before it counts as down. */
const PROBE_TIMEOUT_MS = 3_000;
const OUTAGE_LOG_INTERVAL_MS = 60_000;

const withinTimeout = (probe: Promise<boolean>): Promise<boolean> =>
  Promise.race([
    probe.catch(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PROBE_TIMEOUT_MS).unref()),
  ]);

/**
 * `GET /api/mcp-server/health`, for load balancers and orchestrators: 200 when the database answers, tokens can be
 * verified (the signing keys are at hand) and a Redis rate-limit store that fails closed answers; 503 otherwise. A
 * configured Redis that is down while limits fail open still serves (200) but says `degraded`: limits are counted per
 * instance and changes are not broadcast meanwhile. No authentication, and nothing said beyond the status: the
 * details are in the server log.
 */
const createHealthController = ({ strapi }: { strapi: Core.Strapi }) => {
  // Anyone may probe: the log hears of a change of state, and of a lasting outage once a minute, not of every probe.
  let last: { down: string; loggedAt: number } = { down: '', loggedAt: 0 };
  const reportChange = (down: string[], unavailable: boolean, now = Date.now()) => {
    const state = down.join(', ');
    if (state === last.down && (state === '' || now - last.loggedAt < OUTAGE_LOG_INTERVAL_MS)) return;
    if (state === '') strapi.log.info('[mcp-server] health: available again');
    else strapi.log.warn(`[mcp-server] health: ${unavailable ? 'unavailable' : 'degraded'} (${state})`);
    last = { down: state, loggedAt: now };
  };

  return {
    async check(ctx: Context) {
      const probes = {
        database: withinTimeout(strapi.db.connection.raw('select 1').then(() => true)),
        keys: withinTimeout(getService(strapi, 'identity').keysAvailable()),
        'rate-limit store': withinTimeout(getService(strapi, 'rate-limits').storeServes()),
      };
      const results = Object.fromEntries(
        await Promise.all(Object.entries(probes).map(async ([name, probe]) => [name, await probe] as const)),
      );
      const down = Object.keys(results).filter((name) => !results[name]);
      // A configured Redis must answer, and this instance must hear the other instances' changes through it.
      const redis = await withinTimeout(
        getService(strapi, 'rate-limits')
          .redisStatus()
          .then(
            ({ configured, status }) =>
              !configured || (status === 'ready' && getService(strapi, 'cluster').status() === 'ready'),
          ),
      );
      if (!redis) down.push('redis');
      const unavailable = down.some((name) => name !== 'redis');
      reportChange(down, unavailable);
      ctx.set('Cache-Control', 'no-store');
      ctx.status = unavailable ? 503 : 200;
      ctx.body = { status: unavailable ? 'unavailable' : down.length > 0 ? 'degraded' : 'ok' };
    },
  };
};

export default createHealthController;
