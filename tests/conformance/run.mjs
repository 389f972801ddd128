/**
 * `npm run conformance`: runs the official MCP conformance suite (@modelcontextprotocol/conformance, default server
 * suite) against the plugin. It compiles the playground, boots it in a child process on a fresh temp SQLite database
 * with the conformance fixtures plugin enabled, signs a dev JWT for the seeded Super Admin, puts a loopback proxy in
 * front that adds the credentials, runs the suite through npx (it needs Node 22), then stops everything.
 * Exits non-zero when any scenario fails. Results land in tests/conformance/results/<run>/ (git-ignored).
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

const SUITE = '@modelcontextprotocol/conformance@0.1.16';
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
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_STARTUP_BANNER: 'false',
    STRAPI_NATIVE_MCP: 'false',
    PLAYGROUND_QUIET: 'true',
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

const runSuite = (url, outputDir) =>
  new Promise((resolve, reject) => {
    const command = `conformance server --url ${url} -o ${JSON.stringify(outputDir)}`;
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

/** Counts scenarios from the suite's checks.json files: a scenario passes when none of its checks failed. */
const summarize = (outputDir) => {
  const files = fs
    .readdirSync(outputDir, { recursive: true })
    .filter((file) => path.basename(String(file)) === 'checks.json');
  const failed = [];
  for (const file of files) {
    const checks = JSON.parse(fs.readFileSync(path.join(outputDir, String(file)), 'utf8'));
    // The suite names each result folder server-<scenario>-<timestamp>.
    const scenario = path.basename(path.dirname(String(file))).replace(/^server-(.*)-\d{4}-\d\d-\d\dT.*$/, '$1');
    if (checks.some((check) => check.status === 'FAILURE')) failed.push(scenario);
  }
  return { total: files.length, passed: files.length - failed.length, failed };
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

  log(`running ${SUITE} against ${url}`);
  const exitCode = await runSuite(url, path.join(resultsDir, 'suite'));
  if (interrupted) throw new Error('interrupted');
  const { total, passed, failed } = summarize(path.join(resultsDir, 'suite'));
  log(`${passed}/${total} scenarios passed${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
  const strapiErrors = stripVTControlCharacters(fs.readFileSync(strapiLog, 'utf8'))
    .split('\n')
    .filter((line) => /\berror:/.test(line));
  if (strapiErrors.length > 0) log(`Strapi logged ${strapiErrors.length} error line(s), first:\n  ${strapiErrors[0]}`);
  log(`results: ${path.relative(ROOT, resultsDir)}`);
  return exitCode === 0 && total > 0 && failed.length === 0 ? 0 : 1;
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
