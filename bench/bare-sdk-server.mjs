/**
 * The SDK floor: a bare `McpServer` (SDK v2) in the Strapi process, stateful (a session per client, Streamable HTTP,
 * plain Node `http`), one tool running the floor query. No auth, no policy, no audit: what the SDK itself costs.
 * Sessions end on DELETE, like the plugin's.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer, isInitializeRequest } from '@modelcontextprotocol/server';
import { findFloorArticles } from './floor-query.mjs';
import { keepConnectionsAlive } from './playground-app.mjs';

export const BARE_SDK_TOOL = 'find_articles';

const readJson = async (req) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
};

const createSessionServer = (strapi) => {
  const server = new McpServer({ name: 'bench-bare-sdk', version: '1.0.0' });
  server.registerTool(BARE_SDK_TOOL, { description: 'Lists 10 articles of tenant org-1.' }, async () => ({
    content: [{ type: 'text', text: JSON.stringify(await findFloorArticles(strapi)) }],
  }));
  return server;
};

const refuse = (res, status, message) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
};

export const startBareSdkServer = async (strapi) => {
  const transports = new Map();
  const handle = async (req, res) => {
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = transports.get(sessionId);
      if (!transport) return refuse(res, 404, 'session not found');
      return transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) return refuse(res, 400, 'initialize first');
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void transports.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) transports.delete(transport.sessionId);
    };
    await createSessionServer(strapi).connect(transport);
    return transport.handleRequest(req, res, body);
  };
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) refuse(res, 500, String(error?.message ?? error));
      else res.end();
    });
  });
  keepConnectionsAlive(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/mcp`,
    sessionCount: () => transports.size,
    close: async () => {
      await Promise.all([...transports.values()].map((transport) => transport.close()));
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    },
  };
};
