/**
 * `npm run bench`: latency and throughput of this plugin's endpoint against Strapi's built-in MCP endpoint (POST /mcp,
 * admin API token), side by side on the same Strapi, the same data and the same SDK client; ours also with the SDK v2
 * client at MCP 2026-07-28 (no session: every call authenticated and served on its own). Both serve "list 10
 * articles" and "get one article"; ours runs the whole identity and policy pipeline on every call (JWT, admin user,
 * tenant, fields, audit), the built-in one its admin-token RBAC.
 * Writes bench/results/latest.json (git-ignored) and prints a table. Stops by itself.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SignJWT, importJWK } from 'jose';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const PLAYGROUND = path.join(ROOT, 'playground');
const require = createRequire(import.meta.url);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
const SEQUENTIAL = Number(process.env.BENCH_CALLS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const random = () => crypto.randomBytes(24).toString('base64url');

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { mean: +mean.toFixed(2), p50: +percentile(sorted, 50).toFixed(2), p95: +percentile(sorted, 95).toFixed(2) };
};

/** A 2025-11-25 client (SDK 1.x): a session, then one POST per call. */
const connect = async (url, headers) => {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  return { client, transport };
};

/** A 2026-07-28 client (SDK v2): no session; every call is a self-contained request, authenticated anew. */
const connectModern = async (url, headers) => {
  const client = new ModernClient(
    { name: 'bench', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new ModernTransport(new URL(url), { requestInit: { headers } }));
  return { client };
};

const call = async (client, name, args) => {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
  return result;
};

/** Sequential latency, then throughput with CONCURRENCY clients calling in parallel. */
const measure = async (clients, name, args) => {
  for (let i = 0; i < WARMUP; i += 1) await call(clients[0], name, args);
  const latencies = [];
  for (let i = 0; i < SEQUENTIAL; i += 1) {
    const started = performance.now();
    await call(clients[0], name, args);
    latencies.push(performance.now() - started);
  }
  const perClient = Math.ceil(SEQUENTIAL / CONCURRENCY);
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < perClient; i += 1) await call(client, name, args);
    }),
  );
  const elapsed = performance.now() - started;
  return { ...stats(latencies), throughputPerSec: +((perClient * clients.length * 1000) / elapsed).toFixed(1) };
};

const main = async () => {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-'));
  fs.writeFileSync(path.join(tempDir, '.env'), '');
  const secret = random();
  Object.assign(process.env, {
    ENV_PATH: path.join(tempDir, '.env'),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_CLIENT: process.env.DATABASE_CLIENT ?? 'sqlite',
    DATABASE_FILENAME: path.join(tempDir, 'data.db'),
    APP_KEYS: [random(), random()].join(','),
    API_TOKEN_SALT: random(),
    ADMIN_JWT_SECRET: random(),
    TRANSFER_TOKEN_SALT: random(),
    JWT_SECRET: random(),
    ENCRYPTION_KEY: random(),
    MCP_SECRET_KEY: secret,
    MCP_SESSIONS_MAX_PER_USER: '100',
    // The bench measures throughput: rate limits off.
    MCP_RATE_LIMIT_PER_MINUTE: '0',
    MCP_RATE_LIMIT_FAILED_AUTH_PER_MINUTE: '0',
    STRAPI_NATIVE_MCP: 'true',
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_STARTUP_BANNER: 'false',
    PLAYGROUND_QUIET: 'true',
  });
  delete process.env.MCP_JWKS_URI;
  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  const { distDir } = await compileStrapi({ appDir: PLAYGROUND });
  const strapi = createStrapi({ appDir: PLAYGROUND, distDir, autoReload: false, serveAdminPanel: false });
  strapi.log.level = 'warn';
  try {
    await strapi.load();
    await new Promise((resolve) => strapi.server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${strapi.server.httpServer.address().port}`;

    const { ensureKeys, ISSUER, AUDIENCE, ALGORITHM } = require(
      path.join(PLAYGROUND, 'scripts', 'dev-identity-provider.js'),
    );
    const privateJwk = ensureKeys();
    const jwt = await new SignJWT({ email: 'admin@example.com', role: 'Admin', tenant: 'org-1' })
      .setProtectedHeader({ alg: ALGORITHM, kid: privateJwk.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('admin@example.com')
      .setExpirationTime('1h')
      .sign(await importJWK(privateJwk, ALGORITHM));

    const admin = await strapi.db
      .query('admin::user')
      .findOne({ where: { email: 'admin@example.com' }, populate: ['roles'] });
    const { accessKey } = await strapi.service('admin::api-token-admin').create(
      {
        name: 'bench',
        kind: 'admin',
        lifespan: null,
        adminPermissions: [{ action: 'plugin::content-manager.explorer.read', subject: 'api::article.article' }],
      },
      admin,
    );

    const ourHeaders = { Authorization: `Bearer ${jwt}`, 'X-MCP-Internal-Secret': secret };
    const ours = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => connect(`${base}/api/mcp-server/mcp`, ourHeaders)),
    );
    const oursModern = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => connectModern(`${base}/api/mcp-server/mcp`, ourHeaders)),
    );
    const native = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => connect(`${base}/mcp`, { Authorization: `Bearer ${accessKey}` })),
    );
    const article = await strapi.documents('api::article.article').findFirst({ filters: { tenantId: 'org-1' } });

    const scenarios = [
      {
        name: 'list 10 articles',
        ours: ['find_documents', { contentType: 'article', pageSize: 10 }],
        native: ['list_article', { pageSize: 10 }],
      },
      {
        name: 'get one article',
        ours: ['get_document', { contentType: 'article', documentId: article.documentId }],
        native: ['get_article', { documentId: article.documentId }],
      },
    ];
    const results = [];
    for (const scenario of scenarios) {
      const oursResult = await measure(
        ours.map((entry) => entry.client),
        ...scenario.ours,
      );
      const oursModernResult = await measure(
        oursModern.map((entry) => entry.client),
        ...scenario.ours,
      );
      // BENCH_PLUGIN_ONLY=1 measures the plugin alone, e.g. under a CPU profile.
      if (process.env.BENCH_PLUGIN_ONLY === '1') {
        results.push({ scenario: scenario.name, ours: oursResult, oursModern: oursModernResult });
        continue;
      }
      const nativeResult = await measure(
        native.map((entry) => entry.client),
        ...scenario.native,
      );
      results.push({
        scenario: scenario.name,
        ours: oursResult,
        oursModern: oursModernResult,
        native: nativeResult,
        speedupP50: +(nativeResult.p50 / oursResult.p50).toFixed(2),
        throughputRatio: +(oursResult.throughputPerSec / nativeResult.throughputPerSec).toFixed(2),
      });
    }
    await Promise.all([...ours, ...oursModern, ...native].map(({ client }) => client.close()));

    const report = {
      date: new Date().toISOString(),
      node: process.version,
      database: process.env.DATABASE_CLIENT,
      calls: SEQUENTIAL,
      concurrency: CONCURRENCY,
      results,
    };
    fs.mkdirSync(path.join(HERE, 'results'), { recursive: true });
    fs.writeFileSync(path.join(HERE, 'results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `\n${SEQUENTIAL} sequential calls after ${WARMUP} warm-up, then ${CONCURRENCY} clients in parallel (ms)`,
    );
    console.table(
      results.flatMap(({ scenario, ours: o, oursModern: m, native: n, speedupP50, throughputRatio }) => [
        { scenario, endpoint: 'mcp-server plugin, 2025-11-25 session', ...o },
        { scenario, endpoint: 'mcp-server plugin, 2026-07-28', ...m },
        ...(n ? [{ scenario, endpoint: 'Strapi built-in /mcp', ...n, speedupP50, throughputRatio }] : []),
      ]),
    );
  } finally {
    await strapi.destroy();
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
};

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
