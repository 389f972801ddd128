/**
 * A PostgreSQL server of the test's own, in a temp directory on a free port, that the test may stop and start again
 * (the fault tests restart it under load). The machine's shared server is never touched. Needs the PostgreSQL server
 * binaries (`pg_config --bindir`); as root, they run as the `postgres` user, which initdb requires.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

const binDir = () => {
  const fromConfig = (() => {
    try {
      return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  })();
  if (fromConfig && fs.existsSync(path.join(fromConfig, 'initdb'))) return fromConfig;
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort() : [];
  const found = versions.reverse().find((version) => fs.existsSync(`/usr/lib/postgresql/${version}/bin/initdb`));
  if (!found) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found');
  return `/usr/lib/postgresql/${found}/bin`;
};

const asPostgres = (command: string, args: string[]) => {
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
};

export interface PrivatePostgres {
  host: string;
  port: number;
  /** Stops the server at once (`-m immediate`: connections cut, no checkpoint, as a crash would). */
  stop(): void;
  start(): void;
  close(): void;
}

export const startPrivatePostgres = async (): Promise<PrivatePostgres> => {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-private-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  asPostgres(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () =>
    void asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  const stop = () => void asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
  start();
  let closed = false;
  return {
    host: '127.0.0.1',
    port,
    stop,
    start,
    close() {
      if (closed) return;
      closed = true;
      try {
        stop();
      } catch {
        // Already stopped.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};
