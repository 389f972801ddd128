/**
 * A loopback HTTP proxy for the MCP conformance suite, which sends no headers of its own: it forwards every request
 * to Strapi with the internal secret and a bearer token added, and passes everything else (Host, Origin,
 * Mcp-Session-Id, Accept, Last-Event-ID, bodies, streamed SSE responses) through untouched.
 */
import http from 'node:http';

/**
 * @param {{ target: string, headers: Record<string, string> }} options target is the upstream origin, e.g. http://127.0.0.1:1337
 * @returns {Promise<{ port: number, close(): Promise<void> }>}
 */
export const startProxy = async ({ target, headers: added }) => {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: false });

  const server = http.createServer((req, res) => {
    const headers = { ...req.headers };
    for (const [name, value] of Object.entries(added)) headers[name.toLowerCase()] = value;

    const forward = http.request(
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    // A client that hangs up (e.g. closes an SSE stream) hangs up on Strapi too.
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
};
