/**
 * Child processes for the real clients: each runs in its own process group, so that a timeout or a stop ends the
 * client and everything it started (npx, a shell, a browser helper), never anything else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs: number;
}

const KILL_GRACE_MS = 3_000;

const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
};

/** Ends the process group: SIGTERM, then SIGKILL if it is still there after a grace period. */
const stopGroup = (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, 'SIGKILL'); // its children, if any outlived it
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const forced = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(forced);
      killGroup(child, 'SIGKILL');
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
};

/** Runs a command to its end (or its timeout) and returns what it printed. */
export const runProcess = (command: string, args: string[], options: ProcessOptions): Promise<ProcessResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      void stopGroup(child);
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });

export interface RunningProcess {
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects when the process exits or time runs out. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Starts a long-running command (a server) and keeps it until `stop()`. */
export const startProcess = (command: string, args: string[], options: Omit<ProcessOptions, 'timeoutMs'>) => {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const running: RunningProcess = {
    output: () => output,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (!match) return false;
          finish();
          resolve(match);
          return true;
        };
        const onExit = () => {
          finish();
          reject(new Error(`${command} exited before printing ${pattern}:\n${output}`));
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${command} did not print ${pattern} within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.stderr!.off('data', check);
          child.off('exit', onExit);
        };
        if (check()) return;
        if (child.exitCode !== null || child.signalCode !== null) return onExit();
        child.stdout!.on('data', check);
        child.stderr!.on('data', check);
        child.once('exit', onExit);
      }),
    stop: () => stopGroup(child),
  };
  return running;
};

/** A TCP port free on loopback right now (for clients that need a fixed port number, such as the Inspector UI). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Quotes one argument for a POSIX shell (for `script -c`, which takes a command line). */
export const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
