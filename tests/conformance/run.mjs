/**
 * `npm run conformance`: runs the official MCP conformance suite (@modelcontextprotocol/conformance) against the
 * plugin, once per MCP revision the endpoint serves: `--requirements 2025-11-25` (initialize handshake, sessions) and
 * `--requirements 2026-07-28` (stateless, per-request `_meta`). Each run is the suite's frozen requirement set for that
 * revision plus what it runs without scoring (pending scenarios, the tasks extension); here every scenario counts,
 * scored or not, except those listed in NOT_OFFERED (see docs/conformance.md).
 * It compiles the playground, boots it in a child process on a fresh temp SQLite database with the conformance
 * fixtures plugin enabled, signs a dev JWT for the seeded Super Admin, puts a loopback proxy in front that adds the
 * credentials, runs the suite through npx (it needs Node 22), then stops everything.
 * Exits non-zero when any scenario fails. Results land in tests/conformance/results/<run>/<revision>/ (git-ignored).
 */
import { fork, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { SignJWT, importJWK } from 'jose';
import { startProxy } from './proxy.mjs';

/**
 * Pinned to a pre-release on purpose: the 2026-07-28 scenarios (server-stateless, caching, input-required-result-*,
 * sep-2164-resource-not-found, ...) and the per-revision requirement sets (`--requirements`) exist only in the
 * 0.2.0-alpha.x line; 0.1.16, the latest stable release, has none and tests 2025-11-25 only. alpha.12 is the newest
 * release checked; bump it deliberately (a new alpha can add scenarios or checks).
 */
const SUITE = '@modelcontextprotocol/conformance@0.2.0-alpha.12';
/** The revisions the endpoint serves, each run at its own wire: a pass on one says nothing about the other. */
const REVISIONS = ['2025-11-25', '2026-07-28'];
/**
 * Scenarios the suite runs (unscored) for a feature this plugin does not offer: they run and are reported, but their
 * failures do not fail `npm run conformance`. A listed scenario that passes fails the run, so the list stays true.
 */
const TASKS_NOT_OFFERED =
  'the io.modelcontextprotocol/tasks extension (SEP-2663) is not offered: @modelcontextprotocol/server 2.4.0 has no ' +
  'tasks support and the plugin does not advertise the extension';
const NOT_OFFERED = Object.fromEntries(
  [
    'tasks-lifecycle',
    'tasks-capability-negotiation',
    'tasks-wire-fields',
    'tasks-request-state-removal',
    'tasks-mrtr-input',
    'tasks-request-headers',
    'tasks-dispatch-and-envelope',
    'tasks-status-notifications',
    'tasks-required-task-error',
    'tasks-mrtr-composition',
  ].map((scenario) => [scenario, TASKS_NOT_OFFERED]),
);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const PLAYGROUND = path.join(ROOT, 'playground');
const MCP_PATH = '/api/mcp-server/mcp';
const BOOT_TIMEOUT_MS = 3 * 60 * 1000;
const SUITE_TIMEOUT_MS = 10 * 60 * 1000;

const require = createRequire(import.meta.url);
const random = (bytes = 32) => crypto.randomBytes(bytes).toString('base64url');
const log = (message) => process.stdout.write(`[conformance] ${message}\n`);

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Everything this run created, undone in reverse order; safe to call twice. */
const cleanups = [];
const cleanUp = async () => {
  while (cleanups.length > 0)
    await cleanups
      .pop()()
      .catch((error) => log(`cleanup: ${error.message}`));
};

const signDevJwt = async () => {
  const { ensureKeys, ISSUER, AUDIENCE, ALGORITHM } = require(
    path.join(PLAYGROUND, 'scripts', 'dev-identity-provider.js'),
  );
  const privateJwk = ensureKeys();
  const token = await new SignJWT({ email: 'admin@example.com', role: 'Admin' })
    .setProtectedHeader({ alg: ALGORITHM, kid: privateJwk.kid, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('admin@example.com')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(await importJWK(privateJwk, ALGORITHM));
  return { token, issuer: ISSUER, audience: AUDIENCE };
};

/** The child's environment: the parent's, minus stray MCP_/DATABASE_ settings, plus a complete explicit set. */
const strapiEnv = ({ tempDir, port, secret, issuer, audience }) => {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(MCP_|DATABASE_|STRAPI_)/.test(name)),
  );
  return {
    ...inherited,
    NODE_ENV: 'development',
    ENV_PATH: path.join(tempDir, '.env'), // an empty file: no .env from any working directory leaks in
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: path.join(tempDir, 'data.db'),
    APP_KEYS: [random(), random(), random(), random()].join(','),
    API_TOKEN_SALT: random(),
    ADMIN_JWT_SECRET: random(),
    TRANSFER_TOKEN_SALT: random(),
    JWT_SECRET: random(),
    ENCRYPTION_KEY: random(),
    MCP_SECRET_KEY: secret,
    MCP_JWT_ISSUER: issuer,
    MCP_JWT_AUDIENCE: audience,
    MCP_CONFORMANCE_FIXTURES: 'true',
    MCP_SESSIONS_MAX_PER_USER: '200',
    // One test client calling as fast as it can, not a user: rate limits off.
    MCP_RATE_LIMIT_PER_MINUTE: '0',
    MCP_RATE_LIMIT_FAILED_AUTH_PER_MINUTE: '0',
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_STARTUP_BANNER: 'false',
    STRAPI_NATIVE_MCP: 'false',
    PLAYGROUND_QUIET: 'true',
    PLAYGROUND_AUTHORIZATION_SERVER: 'false',
  };
};

const bootStrapi = async (env, tempDir, logFile) => {
  const out = fs.openSync(logFile, 'a');
  const child = fork(path.join(HERE, 'start-strapi.cjs'), [], {
    cwd: tempDir,
    env,
    stdio: ['ignore', out, out, 'ipc'],
  });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Strapi did not start within ${BOOT_TIMEOUT_MS / 1000} s`)),
      BOOT_TIMEOUT_MS,
    );
    child.once('message', (message) => {
      clearTimeout(timer);
      if (message?.ready) resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Strapi exited during boot (code ${code})`));
    });
  });
};

const runSuite = (url, revision, outputDir) =>
  new Promise((resolve, reject) => {
    const command = `conformance server --url ${url} --requirements ${revision} -o ${JSON.stringify(outputDir)}`;
    const child = spawn('npx', ['-y', '-p', 'node@22', '-p', SUITE, '-c', command], {
      cwd: os.tmpdir(), // no project .npmrc or workspace config gets in the way
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true, // its own process group, so a timeout can stop npx and the suite together
    });
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    cleanups.push(async () => kill('SIGTERM'));
    const timer = setTimeout(() => {
      kill('SIGKILL');
      reject(new Error(`the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`));
    }, SUITE_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal) reject(new Error(`the suite was stopped (${signal})`));
      else resolve(code);
    });
  });

/**
 * Counts scenarios from the suite's checks.json files: a scenario passes when none of its checks failed (warnings, the
 * suite's verdict on a missed SHOULD, are listed but pass). Scenarios in NOT_OFFERED are counted apart: `unexpected`
 * lists those that passed.
 */
const summarize = (outputDir) => {
  const files = fs.existsSync(outputDir)
    ? fs.readdirSync(outputDir, { recursive: true }).filter((file) => path.basename(String(file)) === 'checks.json')
    : [];
  const failed = [];
  const notOffered = [];
  const unexpected = [];
  const warnings = [];
  let checksPassed = 0;
  let checksFailed = 0;
  for (const file of files) {
    const checks = JSON.parse(fs.readFileSync(path.join(outputDir, String(file)), 'utf8'));
    // The suite names each result folder server-<scenario>-<timestamp>; scenario names may contain slashes.
    const scenario = path
      .dirname(String(file))
      .replace(/^server-(.*)-\d{4}-\d\d-\d\dT.*$/, '$1')
      .replaceAll(path.sep, '/');
    const failures = checks.filter((check) => check.status === 'FAILURE');
    if (NOT_OFFERED[scenario]) {
      // A scenario the suite skips (no check passed) does not prove the feature is offered.
      const passes = failures.length === 0 && checks.some((check) => check.status === 'SUCCESS');
      (passes ? unexpected : notOffered).push(scenario);
      continue;
    }
    warnings.push(...checks.filter((check) => check.status === 'WARNING').map((check) => `${scenario}:${check.id}`));
    checksPassed += checks.filter((check) => check.status === 'SUCCESS').length;
    checksFailed += failures.length;
    if (failures.length > 0) failed.push(`${scenario} (${failures.map((check) => check.id).join(', ')})`);
  }
  const total = files.length - notOffered.length - unexpected.length;
  return { total, passed: total - failed.length, failed, notOffered, unexpected, warnings, checksPassed, checksFailed };
};

const main = async () => {
  const runId = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.join(HERE, 'results', runId);
  fs.mkdirSync(resultsDir, { recursive: true });
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-conformance-'));
  const removeTempDir = () => fs.rmSync(tempDir, { recursive: true, force: true });
  cleanups.push(async () => removeTempDir());
  process.once('exit', removeTempDir); // compileStrapi exits the process on a TypeScript error
  fs.writeFileSync(path.join(tempDir, '.env'), '');
  process.env.ENV_PATH = path.join(tempDir, '.env'); // @strapi/strapi loads dotenv when imported

  log('compiling the playground');
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: PLAYGROUND });

  const { token, issuer, audience } = await signDevJwt();
  const secret = random();
  const port = await freePort();
  const strapiLog = path.join(resultsDir, 'strapi.log');
  log(`booting Strapi on 127.0.0.1:${port} (log: ${path.relative(ROOT, strapiLog)})`);
  await bootStrapi(strapiEnv({ tempDir, port, secret, issuer, audience }), tempDir, strapiLog);

  const proxy = await startProxy({
    target: `http://127.0.0.1:${port}`,
    headers: { 'X-MCP-Internal-Secret': secret, Authorization: `Bearer ${token}` },
  });
  cleanups.push(() => proxy.close());
  const url = `http://localhost:${proxy.port}${MCP_PATH}`;

  let ok = true;
  const summaries = [];
  for (const revision of REVISIONS) {
    const started = Date.now();
    log(`running ${SUITE} --requirements ${revision} against ${url}`);
    const outputDir = path.join(resultsDir, revision);
    const exitCode = await runSuite(url, revision, outputDir);
    if (interrupted) throw new Error('interrupted');
    const summary = summarize(outputDir);
    const seconds = Math.round((Date.now() - started) / 1000);
    summaries.push(
      `${revision}: ${summary.passed}/${summary.total} scenarios passed (${summary.checksPassed} checks passed, ` +
        `${summary.checksFailed} failed) in ${seconds} s` +
        (summary.failed.length ? `; failed: ${summary.failed.join('; ')}` : '') +
        (summary.warnings.length ? `; warnings (SHOULDs missed): ${summary.warnings.join(', ')}` : '') +
        [...new Set(summary.notOffered.map((scenario) => NOT_OFFERED[scenario]))]
          .map((reason) => {
            const scenarios = summary.notOffered.filter((scenario) => NOT_OFFERED[scenario] === reason);
            return `; not offered, failing as expected (${reason}): ${scenarios.join(', ')}`;
          })
          .join('') +
        (summary.unexpected.length
          ? `; listed as not offered but passing, remove from NOT_OFFERED: ${summary.unexpected.join(', ')}`
          : ''),
    );
    // The suite's own exit code scores only the revision's required scenarios; the summary counts all of them.
    ok &&= exitCode === 0 && summary.total > 0 && summary.failed.length === 0 && summary.unexpected.length === 0;
  }
  summaries.forEach((line) => log(line));
  const strapiErrors = stripVTControlCharacters(fs.readFileSync(strapiLog, 'utf8'))
    .split('\n')
    .filter((line) => /\berror:/.test(line));
  if (strapiErrors.length > 0) log(`Strapi logged ${strapiErrors.length} error line(s), first:\n  ${strapiErrors[0]}`);
  log(`results: ${path.relative(ROOT, resultsDir)}`);
  return ok ? 0 : 1;
};

let exitCode = 1;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    interrupted = true;
    void cleanUp().finally(() => process.exit(130));
  });
}
try {
  exitCode = await main();
} catch (error) {
  log(interrupted ? 'interrupted' : `failed: ${error?.stack ?? error}`);
} finally {
  await cleanUp();
}
process.exit(exitCode);
