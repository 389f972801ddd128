/**
 * HAProxy with the configuration docker-compose.yml ships (playground/deploy/haproxy.cfg), pointed at replicas on
 * loopback: its port and the replicas' addresses are the only lines rewritten.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

export const HAPROXY_CONFIG = path.resolve(__dirname, '..', '..', '..', 'playground', 'deploy', 'haproxy.cfg');

export interface RunningHaproxy {
  url: string;
  close(): Promise<void>;
}

export const startHaproxy = async (upstreams: string[]): Promise<RunningHaproxy> => {
  const port = await freePort();
  let index = 0;
  const config = fs
    .readFileSync(HAPROXY_CONFIG, 'utf8')
    .replace(/^(\s*bind ):\d+$/m, `$1127.0.0.1:${port}`)
    .replace(/^(\s*server \S+ )\S+:\d+/gm, (_line, head: string) => `${head}${new URL(upstreams[index++]).host}`);
  if (index !== upstreams.length) throw new Error(`haproxy.cfg has ${index} servers, the test ${upstreams.length}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-haproxy-'));
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, config);
  const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let attempt = 0; ; attempt += 1) {
    const health = await fetch(`${url}/api/mcp-server/health`).catch(() => undefined);
    if (health?.ok) break;
    if (attempt > 100 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`haproxy did not serve the replicas: ${stderr.slice(-1000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    close: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};
