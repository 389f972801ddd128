import type { Core } from '@strapi/strapi';
import type { RunningAuthorizationServer } from './authorization-server';
import { startPlaygroundAuthorizationServer } from './authorization-server/start-in-playground';
import { seedPlayground } from './seed';

let authorizationServer: RunningAuthorizationServer | undefined;

const printConnectionHelp = (strapi: Core.Strapi) => {
  const url = `${strapi.config.get('server.url') || `http://localhost:${strapi.config.get('server.port')}`}/api/mcp-server/mcp`;
  strapi.log.info(
    [
      '',
      'MCP server ready. Connect an MCP client (Streamable HTTP) to:',
      `  ${url}`,
      'with the headers:',
      '  X-MCP-Internal-Secret: <MCP_SECRET_KEY from playground/.env>',
      '  Authorization: Bearer $(npm run -s token -- --email author1@example.com --role Author --tenant org-1)',
      ...(authorizationServer
        ? [
            'or, started with MCP_REQUIRE_INTERNAL_SECRET=false MCP_SECRET_KEY= (direct mode), with no headers:',
            `  npx -y mcp-remote@0.15.1 ${url}   (signs in at ${authorizationServer.issuer})`,
          ]
        : []),
      'Seeded admin users (password Playground123!): admin@, publisher@, author1@, author2@, reader@example.com',
      '',
    ].join('\n'),
  );
};

export default {
  register() {},

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await seedPlayground(strapi);
    authorizationServer = await startPlaygroundAuthorizationServer(strapi);
    if (process.env.PLAYGROUND_QUIET !== 'true') printConnectionHelp(strapi);
  },

  async destroy() {
    await authorizationServer?.close();
    authorizationServer = undefined;
  },
};
