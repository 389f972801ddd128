/**
 * A second Strapi instance in a child process: Strapi keeps process-wide registries, so two instances cannot boot in
 * one process. It runs the compiled playground (tests/conformance/start-strapi.cjs) on its own temp SQLite
 * database, configured by environment variables only; the tests' raw-request helpers need only its URL and secret.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestApp } from './test-app';

const START_SCRIPT = path.resolve(__dirname, '..', 'conformance', 'start-strapi.cjs');
const BOOT_TIMEOUT_MS = 90_000;

export interface StrapiProcess {
  /** What rawRequest and credentials read of a TestApp: the endpoint and the internal secret. */
  app: TestApp;
  /** The child's heap after a full collection, in bytes (needs `execArgv: ['--expose-gc']`). */
  heapUsed(): Promise<number>;
  /** Whether the child is still running (a test may stop it to see what the others do). */
  readonly running: boolean;
  close(): Promise<void>;
}

export const startStrapiProcess = async (
  env: Record<string, string>,
  options: { execArgv?: string[] } = {},
): Promise<StrapiProcess> => {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-strapi-process-'));
  fs.writeFileSync(path.join(tempDir, '.env'), '');
  const child = fork(START_SCRIPT, [], {
    cwd: tempDir,
    env: {
      ...process.env,
      ENV_PATH: path.join(tempDir, '.env'),
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: path.join(tempDir, 'data.db'),
      CONFORMANCE_STRAPI_LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: options.execArgv ?? [],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(tempDir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the Strapi child process did not start')), BOOT_TIMEOUT_MS);
      child.once('message', (message: { ready?: boolean; port?: number }) => {
        clearTimeout(timer);
        if (message?.ready && message.port) resolve(message.port);
        else reject(new Error(`unexpected message from the Strapi child process: ${JSON.stringify(message)}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the Strapi child process exited during boot (code ${code})`));
      });
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    const secret = env.MCP_SECRET_KEY ?? process.env.MCP_SECRET_KEY!;
    const app = { baseUrl, mcpUrl: `${baseUrl}/api/mcp-server/mcp`, secret };
    const heapUsed = () =>
      new Promise<number>((resolve, reject) => {
        const onMessage = (message: { type?: string; heapUsed?: number; collected?: boolean }) => {
          if (message?.type !== 'heap') return;
          child.off('message', onMessage);
          if (!message.collected) reject(new Error('the Strapi child process runs without --expose-gc'));
          else resolve(message.heapUsed!);
        };
        child.on('message', onMessage);
        child.send({ type: 'heap' });
      });
    return {
      app: app as TestApp,
      heapUsed,
      get running() {
        return child.exitCode === null && child.signalCode === null;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
};
