/**
 * A load balancer for the tests: each HTTP request goes to the next upstream in turn (no stickiness), streamed both
 * ways, so that consecutive requests of one client land on different replicas. Counts what each upstream served.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** Requests forwarded to each upstream, in the order of `upstreams`. */
  served: number[];
  close(): Promise<void>;
}

export const startRoundRobinProxy = async (upstreams: string[]): Promise<RoundRobinProxy> => {
  const served = upstreams.map(() => 0);
  const agent = new http.Agent({ keepAlive: true });
  let next = 0;
  const server = http.createServer((req, res) => {
    const index = next;
    next = (next + 1) % upstreams.length;
    served[index] += 1;
    const target = new URL(req.url ?? '/', upstreams[index]);
    const forwarded = http.request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host }, agent },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    forwarded.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('upstream unavailable');
    });
    res.on('close', () => forwarded.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
};
