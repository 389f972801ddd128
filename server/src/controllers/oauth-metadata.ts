import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../services/get-service';

/** GET /.well-known/oauth-protected-resource/<endpoint path>: the endpoint's RFC 9728 metadata. */
const createOAuthMetadataController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async protectedResource(ctx: Context) {
    const metadata = getService(strapi, 'oauth').metadata(ctx);
    if (!metadata) {
      ctx.status = 404;
      ctx.body = {
        error: 'not_found',
        error_description: 'this MCP endpoint names no authorization server (mcp-server oauth.authorizationServers)',
      };
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = metadata;
  },
});

export default createOAuthMetadataController;
