/**
 * `npm run bench`: boots the playground in this process (production-like, on a throwaway database), seeds articles,
 * and measures, with the load generator in a separate process, the Document Service floor, a bare SDK MCP server,
 * this plugin (2026-07-28 and 2025-11-25), Strapi's built-in MCP and the REST API; then the heap of idle sessions.
 * `--growth` measures the plugin's read tools as the dataset grows instead. Prints markdown tables, writes
 * bench/results/*.json and stops by itself. How to read it: docs/performance.md.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runComparison } from './compare-run.mjs';
import { runGrowth } from './growth-run.mjs';
import { startLoadGenerator } from './load-generator-link.mjs';
import { bootPlayground } from './playground-app.mjs';
import { formatCompare, formatGrowth } from './report.mjs';
import { describeMachine, describeRevision, writeResults } from './results-file.mjs';
import { USAGE, readSettings } from './settings.mjs';
import { canMeasureHeap } from './session-heap.mjs';

/** The heap phase needs global.gc: run again under --expose-gc, passing the terminal and the exit code through. */
const respawnWithGc = () =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
    });
    // Ctrl-C reaches both processes; the child cleans up (database, load generator) and this one waits for it.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    process.on('SIGTERM', ignore);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

let interrupted = false;

const main = async () => {
  const settings = readSettings(process.argv.slice(2));
  if (settings.help) {
    console.log(USAGE);
    return 0;
  }
  if (settings.mode === 'compare' && !canMeasureHeap()) return respawnWithGc();

  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const log = (text) => console.log(`[bench ${elapsed()}] ${text}`);
  const machine = describeMachine();
  log(`${settings.mode}${settings.quick ? ' (quick)' : ''} on ${settings.database}; ${machine.cores} × ${machine.cpu}`);

  // Ctrl-C: the database is dropped and the processes stopped before exiting, also when it comes during the boot.
  // (Strapi's destroy() removes every process listener, these included, once it has run.)
  let stopOnce;
  const onSignal = (signal) => {
    interrupted = true;
    console.error(`\n[bench] ${signal}: stopping, dropping the database`);
    // During the boot, the boot's end does it.
    stopOnce?.().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const app = await bootPlayground({
    database: settings.database,
    sessionCap: settings.idleSessions + 4 * settings.concurrency + 64,
    concurrency: settings.concurrency,
  });
  const link = startLoadGenerator();
  let stopping;
  stopOnce = () => {
    stopping ??= link.stop().finally(() => app.close());
    return stopping;
  };
  if (interrupted) return stopOnce().then(() => 130);
  log(`Strapi up at ${app.baseUrl} (${app.database.version}, database ${app.database.name})`);

  let outcome;
  try {
    outcome =
      settings.mode === 'growth'
        ? await runGrowth({ app, settings, link, log })
        : await runComparison({ app, settings, link, log });
  } finally {
    await stopOnce();
  }

  const report = {
    mode: settings.mode,
    date: new Date().toISOString(),
    machine,
    revision: describeRevision(),
    database: { client: app.database.client, version: app.database.version },
    settings,
    elapsedSeconds: Math.round((performance.now() - started) / 1000),
    ...outcome,
  };
  console.log(`\n${settings.mode === 'growth' ? formatGrowth(report) : formatCompare(report)}\n`);
  log(`results: ${writeResults(report)}; finished in ${elapsed()}`);
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error) => {
    if (interrupted) process.exit(130);
    console.error(error);
    process.exit(1);
  },
);
