/**
 * The Document Service floor over HTTP: a plain Node `http` server in the Strapi process that answers every request
 * with `findMany` of the floor query as JSON. No routing, no auth, no middleware: what any HTTP endpoint costs at least.
 */
import http from 'node:http';
import { findFloorArticles } from './floor-query.mjs';
import { keepConnectionsAlive } from './playground-app.mjs';

export const startDocumentServiceServer = async (strapi) => {
  const server = http.createServer(async (_req, res) => {
    try {
      const body = JSON.stringify({ data: await findFloorArticles(strapi) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error?.message ?? error));
    }
  });
  keepConnectionsAlive(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
};
