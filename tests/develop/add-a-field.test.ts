/**
 * The developer-mode story end to end, in a real `strapi develop` process (without the admin panel's build) on a copy
 * of the playground in .test-runs/: an Admin agent adds a field to `article` through MCP, Strapi restarts, the agent
 * reconnects, sees the field, and writes to it. Run once, by npm run test:develop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_PASSWORD } from '../helpers/admin-panel';
import { appEnvironment, randomSecret } from '../helpers/app-environment';
import { startIdentityProvider, type TestIdentityProvider } from '../helpers/identity-provider';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { expectOk, unique } from '../helpers/results';
import type { TestApp } from '../helpers/test-app';
import { freePort } from '../scale/helpers/free-port';

const ROOT = path.resolve(__dirname, '..', '..');
const PLAYGROUND = path.join(ROOT, 'playground');
const STRAPI_BIN = path.join(path.dirname(require.resolve('@strapi/strapi/package.json')), 'bin', 'strapi.js');

const waitUntil = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};

describe('an Admin agent adds a field under strapi develop', () => {
  let runDir: string;
  let child: ChildProcess;
  let idp: TestIdentityProvider;
  let app: TestApp;
  let output = '';
  const clients: ConnectedClient[] = [];

  const connectAdmin = async () => {
    const client = await connectClient(app, await idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
    clients.push(client);
    return client;
  };
  const healthy = async () => (await fetch(`${app.baseUrl}/api/mcp-server/health`)).ok || undefined;

  beforeAll(async () => {
    runDir = path.join(ROOT, '.test-runs', `develop-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`);
    fs.mkdirSync(runDir, { recursive: true });
    for (const entry of ['package.json', 'tsconfig.json', 'config', 'src', 'public', 'database']) {
      const source = path.join(PLAYGROUND, entry);
      if (fs.existsSync(source)) fs.cpSync(source, path.join(runDir, entry), { recursive: true });
    }
    fs.rmSync(path.join(runDir, 'public', 'uploads'), { recursive: true, force: true });
    fs.mkdirSync(path.join(runDir, 'public', 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(runDir, '.env'), '');
    idp = await startIdentityProvider();
    const secret = randomSecret();
    const port = await freePort();
    child = spawn(process.execPath, [STRAPI_BIN, 'develop', '--no-watch-admin', '--no-build-admin'], {
      cwd: runDir,
      env: {
        ...process.env,
        ...appEnvironment(idp, secret),
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_CLIENT: 'sqlite',
        DATABASE_FILENAME: path.join(runDir, 'data.db'),
        PLAYGROUND_AUTHORIZATION_SERVER: 'false',
        ENV_PATH: path.join(runDir, '.env'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const baseUrl = `http://127.0.0.1:${port}`;
    app = { baseUrl, mcpUrl: `${baseUrl}/api/mcp-server/mcp`, secret } as TestApp;
    await waitUntil('strapi develop to answer', healthy).catch((error) => {
      throw new Error(`${error.message}\n${output.slice(-4000)}`);
    });
  });

  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    if (child && child.exitCode === null) {
      // strapi develop runs a cluster: its worker goes with the process group.
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          process.kill(-child.pid!, 'SIGKILL');
          resolve(undefined);
        }, 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
    await idp?.close();
    if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('adds subtitle to article, sees it after the restart, and writes to it', async () => {
    const before = await connectAdmin();
    const tools = (await before.client.listTools()).tools.map((tool) => tool.name);
    expect(tools).toContain('update_content_type');

    const preview = expectOk(
      await before.callTool('update_content_type', {
        uid: 'article',
        add: { subtitle: { type: 'string' } },
        dryRun: true,
      }),
    );
    expect(preview.schema.after.attributes.subtitle).toEqual({ type: 'string' });

    const changed = expectOk(
      await before.callTool('update_content_type', { uid: 'article', add: { subtitle: { type: 'string' } } }),
    );
    expect(changed.restart).toMatchObject({ restarting: true, message: expect.stringMatching(/restarting/) });
    expect(changed.exposure).toMatch(/api::article.article is exposed/);
    expect(fs.readFileSync(path.join(runDir, 'src/api/article/content-types/article/schema.json'), 'utf8')).toContain(
      '"subtitle"',
    );

    // The restart: the server goes away, then answers with the new field.
    await waitUntil(
      'the restart to begin',
      async () => ((await healthy().catch(() => false)) ? undefined : true),
      60_000,
    ).catch(() => undefined);
    const after = await waitUntil('the restarted server to show subtitle', async () => {
      if (!(await healthy())) return undefined;
      const client = await connectAdmin();
      const described = await client.callTool('describe_content_type', { contentType: 'article' });
      const fields = (described.structuredContent as { fields?: Record<string, unknown> } | undefined)?.fields;
      return fields && 'subtitle' in fields ? client : undefined;
    });

    const title = unique('develop article');
    const created = expectOk(
      await after.callTool('create_document', {
        contentType: 'article',
        data: { title, kind: 'news', subtitle: 'Written through MCP after the schema change' },
      }),
    );
    expect(created.data).toMatchObject({ title, subtitle: 'Written through MCP after the schema change' });
    const read = expectOk(
      await after.callTool('find_documents', {
        contentType: 'article',
        filters: { title },
        fields: ['title', 'subtitle'],
      }),
    );
    expect(read.data).toEqual([
      expect.objectContaining({ title, subtitle: 'Written through MCP after the schema change' }),
    ]);

    // The change's audit row outlived the restart, with the schema before and after.
    const login = await fetch(`${app.baseUrl}/admin/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: PLAYGROUND_PASSWORD }),
    });
    const adminJwt = ((await login.json()) as { data: { token: string } }).data.token;
    const adminGet = async (route: string) => {
      const response = await fetch(`${app.baseUrl}/mcp-server${route}`, {
        headers: { Authorization: `Bearer ${adminJwt}` },
      });
      return ((await response.json()) as { data: any }).data;
    };
    const { results } = await adminGet('/audit?tool=update_content_type&decision=allowed');
    expect(results).toHaveLength(1);
    const row = await adminGet(`/audit/${results[0].id}`);
    expect(row).toMatchObject({ action: 'schema.update-content-type', contentType: 'api::article.article' });
    expect(row.diff.schema.before.attributes).not.toHaveProperty('subtitle');
    expect(row.diff.schema.after.attributes.subtitle).toEqual({ type: 'string' });
  });
});
