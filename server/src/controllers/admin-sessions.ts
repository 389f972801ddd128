import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { getService } from '../services/get-service';

/** Settings → MCP Server → Sessions: the open 2025-era sessions (2026-07-28 has none), and ending them. */
const createAdminSessionsController = ({ strapi }: { strapi: Core.Strapi }) => {
  const sessions = () => getService(strapi, 'sessions');

  return {
    async list(ctx: Context) {
      const { limits } = sessions().stats();
      ctx.body = {
        data: {
          sessions: sessions()
            .list()
            .map((session) => ({
              id: session.id,
              adminUserId: session.adminUserId,
              email: session.email,
              clientName: session.client.name,
              clientVersion: session.client.version,
              protocolVersion: session.client.protocolVersion,
              credential: session.credential,
              openedAt: new Date(session.createdAt).toISOString(),
              lastActivityAt: new Date(session.lastSeenAt).toISOString(),
              calls: session.calls,
              busy: session.inFlight > 0,
            })),
          max: limits.max,
          maxPerUser: limits.maxPerUser,
        },
      };
    },

    async end(ctx: Context) {
      const id = String(ctx.params.id);
      // Wherever it lives: the page lists this instance's sessions, another may hold it.
      const here = (await sessions().close(id, 'ended-by-admin')) ? 1 : 0;
      const elsewhere = await getService(strapi, 'cluster').publish(
        { type: 'end-session', sessionId: id },
        { wait: true },
      );
      if (here + elsewhere.result === 0) throw new errors.NotFoundError('no open session with this id');
      ctx.body = { data: { ended: here + elsewhere.result } };
    },

    async endForUser(ctx: Context) {
      if (!/^[1-9]\d{0,15}$/.test(String(ctx.params.userId))) {
        throw new errors.ValidationError('userId must be an admin user id');
      }
      const userId = Number(ctx.params.userId);
      const here = await sessions().closeForUser(userId, 'ended-by-admin');
      const elsewhere = await getService(strapi, 'cluster').publish(
        { type: 'end-sessions', adminUserId: userId },
        { wait: true },
      );
      ctx.body = { data: { ended: here + elsewhere.result } };
    },
  };
};

export default createAdminSessionsController;
