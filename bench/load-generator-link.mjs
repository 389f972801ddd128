/**
 * The bench's side of the load generator: forks bench/load-generator.mjs and sends it commands over IPC, one
 * promise per command. The child exits when the bench disconnects, however the bench ends.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-generator.mjs');

export const startLoadGenerator = () => {
  const child = fork(SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const pending = new Map();
  let nextId = 0;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', ({ id, ok, result, error }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (ok) waiting?.resolve(result);
    else waiting?.reject(new Error(`load generator: ${error}`));
  });
  child.once('exit', (code, signal) => {
    for (const waiting of pending.values()) {
      waiting.reject(new Error(`load generator exited (code ${code}, signal ${signal})`));
    }
    pending.clear();
  });
  // A send racing the child's exit fails here, not as an unhandled 'error' event.
  child.on('error', (error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  });
  const call = (op, params) =>
    new Promise((resolve, reject) => {
      if (!child.connected) {
        reject(new Error(`load generator: not running (${op})`));
        return;
      }
      nextId += 1;
      pending.set(nextId, { resolve, reject });
      child.send({ id: nextId, op, params });
    });
  const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid,
    call,
    /** Closes the generator's clients (ending their sessions), then the process. */
    stop: async () => {
      if (!isRunning()) return;
      await Promise.race([call('shutdown').catch(() => undefined), delay(10_000)]);
      if (child.connected) child.disconnect();
      await Promise.race([exited, delay(5_000)]);
      if (isRunning()) child.kill();
    },
  };
};
