/**
 * The bench's settings: command-line flags (`npm run bench -- --articles 50000 --database postgres`, `--growth`,
 * `--quick`) over environment knobs (BENCH_*), over the defaults sized to finish in under 6 minutes on 2 cores.
 */
import { parseArgs } from 'node:util';

export const USAGE = `npm run bench -- [options]

  --articles <n>       articles in the dataset (default 1000)
  --database <name>    sqlite (default; a temp file) or postgres (a throwaway database on 127.0.0.1:5432)
  --growth             PostgreSQL, 1k -> 10k -> 50k articles: p50 of the plugin's read tools at each size
  --quick              a smoke run of about a minute (also BENCH_QUICK=1)
  --help               this text

Environment: BENCH_ROUNDS, BENCH_SEQUENTIAL_MS, BENCH_CONCURRENT_MS, BENCH_CONCURRENCY, BENCH_IDLE_SESSIONS,
BENCH_GROWTH_SIZES (e.g. 1000,10000,50000), BENCH_GROWTH_ROUNDS, BENCH_GROWTH_SEQUENTIAL_MS, DATABASE_HOST,
DATABASE_PORT, DATABASE_USERNAME, DATABASE_PASSWORD (docs/performance.md).`;

const DATABASES = ['sqlite', 'postgres'];

/** Full run / quick run, per knob. Times are per contender and round. */
const DEFAULTS = {
  full: {
    rounds: 5,
    sequentialMs: 700,
    concurrentMs: 1000,
    warmupMs: 400,
    concurrency: 16,
    idleSessions: 1000,
    growthRounds: 4,
    growthSequentialMs: 1200,
  },
  quick: {
    rounds: 1,
    sequentialMs: 300,
    concurrentMs: 400,
    warmupMs: 150,
    // Fewer clients to open (the built-in MCP's take long) and to drain after each phase.
    concurrency: 4,
    idleSessions: 100,
    growthRounds: 2,
    growthSequentialMs: 300,
  },
};

const positiveInteger = (name, text) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return value;
};

const fromEnv = (env, name, fallback) =>
  env[name] === undefined || env[name] === '' ? fallback : positiveInteger(name, env[name]);

const isOn = (value) => ['1', 'true', 'yes', 'on'].includes(String(value ?? '').toLowerCase());

/** Reads argv (without node and the script) and env; throws with a message naming the flag or variable. */
export const readSettings = (argv, env = process.env) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      articles: { type: 'string' },
      database: { type: 'string' },
      growth: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const quick = values.quick || isOn(env.BENCH_QUICK);
  const defaults = quick ? DEFAULTS.quick : DEFAULTS.full;
  // The growth run is a PostgreSQL run unless told otherwise.
  const database = values.database ?? env.DATABASE_CLIENT ?? (values.growth ? 'postgres' : 'sqlite');
  if (!DATABASES.includes(database))
    throw new Error(`--database must be one of ${DATABASES.join(', ')}, got "${database}"`);
  const growthSizes = (env.BENCH_GROWTH_SIZES ?? (quick ? '1000,3000' : '1000,10000,50000'))
    .split(',')
    .map((size) => positiveInteger('BENCH_GROWTH_SIZES', size.trim()));
  return {
    help: values.help,
    mode: values.growth ? 'growth' : 'compare',
    quick,
    database,
    articles:
      values.articles === undefined
        ? fromEnv(env, 'BENCH_ARTICLES', 1000)
        : positiveInteger('--articles', values.articles),
    rounds: fromEnv(env, 'BENCH_ROUNDS', defaults.rounds),
    sequentialMs: fromEnv(env, 'BENCH_SEQUENTIAL_MS', defaults.sequentialMs),
    concurrentMs: fromEnv(env, 'BENCH_CONCURRENT_MS', defaults.concurrentMs),
    warmupMs: fromEnv(env, 'BENCH_WARMUP_MS', defaults.warmupMs),
    concurrency: fromEnv(env, 'BENCH_CONCURRENCY', defaults.concurrency),
    idleSessions: fromEnv(env, 'BENCH_IDLE_SESSIONS', defaults.idleSessions),
    growthSizes: [...growthSizes].sort((a, b) => a - b),
    growthRounds: fromEnv(env, 'BENCH_GROWTH_ROUNDS', defaults.growthRounds),
    growthSequentialMs: fromEnv(env, 'BENCH_GROWTH_SEQUENTIAL_MS', defaults.growthSequentialMs),
  };
};
