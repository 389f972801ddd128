/**
 * A Redis server of the test's own on a free loopback port, keeping nothing on disk, that the test may stop and start
 * again on the same port (the fault tests take it away under Strapi). The machine's shared Redis is never touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { redisAnswers } from '../../helpers/redis-probe';
import { freePort } from './free-port';

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export const startPrivateRedis = async (): Promise<PrivateRedis> => {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    for (let attempt = 0; attempt < 50; attempt += 1) {
      if (await redisAnswers(url, 500)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`redis-server did not answer on ${url}`);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url, start, stop, close: stop };
};
