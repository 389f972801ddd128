/**
 * Developer mode's schema tools, in a Strapi booted as `strapi develop` boots it (autoReload) on a copy of the
 * playground's `src/`: offered to the Admin role only; every dry run leaves the files as they were; real changes write
 * exactly the files the Content-Type Builder's own API writes for the same change; a change that drops stored data is
 * refused without `confirm`; audit rows carry the schema diff. The restart Strapi asks its develop process for is the
 * `reload` message on the process channel, recorded here. The absence of the tools outside developer mode is in
 * schema-tools-absent.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminLogin } from '../helpers/admin-panel';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { expectOk, expectRefused } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const SCHEMA_TOOLS = [
  'create_component',
  'create_content_type',
  'delete_component',
  'delete_content_type',
  'describe_component',
  'list_components',
  'update_component',
  'update_content_type',
];
const AUDIT = 'plugin::mcp-server.audit-log';
/** Audit rows of calls that change nothing are written in batches. */
const AUDIT_FLUSH = { timeout: 15_000, interval: 200 };

type Snapshot = Map<string, string>;

/** Every file of the run folder's model sources (src/api, src/components), by path. */
const snapshot = (app: TestApp): Snapshot => {
  const files: Snapshot = new Map();
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(app.runDir, full), fs.readFileSync(full, 'utf8'));
    }
  };
  for (const tree of ['api', 'components', 'extensions']) walk(path.join(app.runDir, 'src', tree));
  return files;
};

/** Puts the model sources back as a snapshot had them. */
const restore = (app: TestApp, files: Snapshot) => {
  for (const tree of ['api', 'components', 'extensions']) {
    fs.rmSync(path.join(app.runDir, 'src', tree), { recursive: true, force: true });
  }
  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(path.join(app.runDir, file)), { recursive: true });
    fs.writeFileSync(path.join(app.runDir, file), text);
  }
};

const changedPaths = (before: Snapshot, after: Snapshot) =>
  [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file)).sort();

describe('schema tools under strapi develop', () => {
  let app: TestApp;
  let admin: ConnectedClient;
  let publisher: ConnectedClient;
  let original: Snapshot;
  const reloads: unknown[] = [];
  const realSend = process.send;

  // Strapi limits admin logins per address: one for the whole file.
  let jwt: Promise<string> | undefined;
  const adminJwt = () => (jwt ??= adminLogin(app, 'admin@example.com'));

  /** The Content-Type Builder's own admin API, as its admin UI calls it. */
  const builderApi = async (method: string, route: string, body?: unknown) => {
    const token = await adminJwt();
    const response = await fetch(`${app.baseUrl}/content-type-builder${route}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await response.json().catch(() => null)) as any;
    expect(response.status, JSON.stringify(json)).toBeLessThan(300);
    return json;
  };

  /** One call of a Content-Type Builder admin route, whatever it answers. */
  const builderRoute = async (method: string, route: string) => {
    const token = await adminJwt();
    const response = await fetch(`${app.baseUrl}${route}`, { method, headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, text: await response.text() };
  };

  /** The article type as the Content-Type Builder's admin UI sends it back with one new attribute. */
  const articleUpdateAsTheAdminUiSendsIt = async () => {
    const schema = (await builderApi('GET', '/schema')).data;
    const article = schema.contentTypes['api::article.article'];
    return {
      action: 'update',
      uid: article.uid,
      kind: article.kind,
      displayName: article.info.displayName,
      description: article.info.description ?? '',
      draftAndPublish: article.options.draftAndPublish,
      options: article.options,
      pluginOptions: article.pluginOptions,
      attributes: [
        ...article.attributes.map(({ name, ...properties }: any) => ({ action: 'update', name, properties })),
        { action: 'create', name: 'subtitle', properties: { type: 'string', maxLength: 120 } },
      ],
    };
  };

  const auditRows = (where: Record<string, unknown>) =>
    (app.strapi as any).db.query(AUDIT).findMany({ where, orderBy: [{ id: 'asc' }] });

  beforeAll(async () => {
    // Strapi asks its `strapi develop` process to restart with a `reload` message; there is none here.
    process.send = ((message: unknown, ...rest: unknown[]) =>
      message === 'reload' ? (reloads.push(message), true) : (realSend as any)?.call(process, message, ...rest)) as any;
    app = await bootTestApp({ develop: true });
    admin = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
    publisher = await connectClient(app, await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1'));
    original = snapshot(app);
  });
  afterAll(async () => {
    await admin?.close();
    await publisher?.close();
    await app?.close();
    process.send = realSend;
  });

  it('offers the schema tools to the Admin role only', async () => {
    const adminTools = (await admin.client.listTools()).tools.map((tool) => tool.name);
    expect(adminTools).toEqual(expect.arrayContaining(SCHEMA_TOOLS));
    const publisherTools = (await publisher.client.listTools()).tools.map((tool) => tool.name);
    expect(publisherTools.filter((name) => SCHEMA_TOOLS.includes(name))).toEqual([]);
    expectRefused(await publisher.callTool('list_components'), /Tool list_components not found/);
  });

  it('reads the components with where they are used', async () => {
    const { components } = expectOk(await admin.callTool('list_components'));
    expect(components).toEqual([
      expect.objectContaining({
        uid: 'shared.seo',
        attributes: { metaTitle: 'string', metaDescription: 'text' },
        usedBy: [{ model: 'api::article.article', attribute: 'seo' }],
      }),
    ]);
    const seo = expectOk(await admin.callTool('describe_component', { uid: 'shared.seo' }));
    expect(seo.attributes).toEqual({
      metaTitle: { type: 'string', maxLength: 70 },
      metaDescription: { type: 'text', maxLength: 160 },
    });
  });

  it('dry runs show the schema before and after and the files, and change no file', async () => {
    const calls: Array<[string, Record<string, unknown>]> = [
      [
        'create_content_type',
        { singularName: 'faq', pluralName: 'faqs', displayName: 'FAQ', attributes: { question: { type: 'string' } } },
      ],
      ['update_content_type', { uid: 'article', add: { subtitle: { type: 'string' } } }],
      ['delete_content_type', { uid: 'api::homepage.homepage' }],
      ['create_component', { category: 'faq', displayName: 'Entry', attributes: { label: { type: 'string' } } }],
      ['update_component', { uid: 'shared.seo', add: { keywords: { type: 'string' } } }],
      ['delete_component', { uid: 'shared.seo' }],
    ];
    for (const [tool, args] of calls) {
      const result = expectOk(await admin.callTool(tool, { ...args, dryRun: true }));
      expect(result.dryRun, tool).toBe(true);
      expect(result.files.length, tool).toBeGreaterThan(0);
      expect(result.restart, tool).toBeUndefined();
    }
    const update = expectOk(
      await admin.callTool('update_content_type', {
        uid: 'article',
        add: { subtitle: { type: 'string' } },
        dryRun: true,
      }),
    );
    expect(update.schema.before.attributes).not.toHaveProperty('subtitle');
    expect(update.schema.after.attributes.subtitle).toEqual({ type: 'string' });
    // The related category's file is rewritten in the builder's layout, with the same JSON.
    expect(update.files.map(({ path: file, change }: any) => ({ path: file, change }))).toEqual([
      { path: 'src/api/article/content-types/article/schema.json', change: 'modified' },
      { path: 'src/api/category/content-types/category/schema.json', change: 'reformatted' },
    ]);
    const created = expectOk(await admin.callTool('create_content_type', { ...calls[0][1], dryRun: true }));
    expect(created.files.map((file: any) => file.path)).toEqual(
      expect.arrayContaining([
        'src/api/faq/content-types/faq/schema.json',
        expect.stringMatching(/^src\/api\/faq\/routes\//),
      ]),
    );
    expect(created.exposure).toMatch(/api::faq.faq is new and is not exposed/);
    const component = expectOk(
      await admin.callTool('update_component', {
        uid: 'shared.seo',
        add: { keywords: { type: 'string' } },
        dryRun: true,
      }),
    );
    expect(component.schema.before.attributes).not.toHaveProperty('keywords');
    expect(component.schema.after.attributes.keywords).toEqual({ type: 'string' });
    expect(snapshot(app)).toEqual(original);
    expect(reloads).toEqual([]);
  });

  it('refuses a change that drops stored data without confirm, naming the rows', async () => {
    const refused = await admin.callTool('delete_content_type', { uid: 'homepage' });
    expectRefused(
      refused,
      /This change drops stored data: every document \(the type is deleted\) in \d+ row\(s\) of api::homepage.homepage\. Nothing was changed/,
    );
    const removal = await admin.callTool('update_content_type', { uid: 'article', remove: ['kind'] });
    expectRefused(removal, /the values of kind \(removed\) in \d+ row\(s\) of api::article.article/);
    expect(snapshot(app)).toEqual(original);
    expect(reloads).toEqual([]);
    const rows = await vi.waitFor(async () => {
      const found = await auditRows({ tool: 'delete_content_type', decision: 'denied' });
      expect(found.length).toBeGreaterThan(0);
      return found;
    }, AUDIT_FLUSH);
    expect(rows.at(-1)).toMatchObject({ action: 'schema.delete-content-type', contentType: 'api::homepage.homepage' });
    expect(rows.at(-1).diff.dataAtRisk[0]).toMatchObject({ model: 'api::homepage.homepage', rows: expect.any(Number) });
  });

  it('previews relations, localization and draft & publish, and guards the drafts', async () => {
    const related = expectOk(
      await admin.callTool('update_content_type', {
        uid: 'category',
        add: { featuredArticle: { type: 'relation', relation: 'oneToOne', target: 'api::article.article' } },
        dryRun: true,
      }),
    );
    expect(related.schema.after.attributes.featuredArticle).toMatchObject({
      type: 'relation',
      relation: 'oneToOne',
      target: 'api::article.article',
    });
    const localized = expectOk(
      await admin.callTool('update_content_type', { uid: 'article', localized: true, dryRun: true }),
    );
    expect(localized.schema.after.pluginOptions).toEqual({ i18n: { localized: true } });
    expect(localized.schema.after.attributes.title.pluginOptions).toEqual({ i18n: { localized: true } });
    expectRefused(
      await admin.callTool('update_content_type', { uid: 'article', draftAndPublish: false }),
      /draft versions \(draft & publish switched off\) in \d+ row\(s\) of api::article.article/,
    );
    expect(snapshot(app)).toEqual(original);
  });

  it('refuses what the Content-Type Builder refuses, with its reasons', async () => {
    expectRefused(
      await admin.callTool('update_content_type', { uid: 'article', add: { id: { type: 'string' } } }),
      /The Content-Type Builder refused the change: .*reserved/i,
    );
    expectRefused(
      await admin.callTool('update_content_type', {
        uid: 'plugin::mcp-server.audit-log',
        add: { note: { type: 'string' } },
      }),
      /cannot be changed/,
    );
    // Refusals are recorded as schema changes of their model too.
    const refusals = await vi.waitFor(async () => {
      const found = await auditRows({ tool: 'update_content_type', contentType: 'plugin::mcp-server.audit-log' });
      expect(found.length).toBeGreaterThan(0);
      return found;
    }, AUDIT_FLUSH);
    expect(refusals[0]).toMatchObject({ action: 'schema.update-content-type', decision: 'denied' });
    expect(snapshot(app)).toEqual(original);
  });

  it('refuses what Strapi could not boot with, and what drops links without confirm', async () => {
    // The Content-Type Builder's validator lets a missing component through; Strapi would then not start.
    expectRefused(
      await admin.callTool('update_content_type', { uid: 'article', change: { seo: { component: 'shared.nope' } } }),
      /point at models that do not exist .*seo: component shared\.nope/,
    );
    expectRefused(
      await admin.callTool('update_content_type', {
        uid: 'article',
        add: { related: { type: 'relation', relation: 'oneToOne', target: 'api::nothing.nothing' } },
      }),
      /related: content type api::nothing\.nothing/,
    );
    // A relation pointed elsewhere loses its links, though its kind stays `relation`.
    expectRefused(
      await admin.callTool('update_content_type', {
        uid: 'article',
        change: { category: { target: 'plugin::users-permissions.user', targetAttribute: null } },
      }),
      /the values of category \(changed target from "api::category\.category" to "plugin::users-permissions\.user"\) in \d+ row\(s\)/,
    );
    expectRefused(
      await admin.callTool('update_content_type', {
        uid: 'article',
        add: { trail: { type: 'relation', relation: 'manyToOne', target: 'plugin::mcp-server.audit-log' } },
        dryRun: true,
      }),
      /trail: plugin::mcp-server\.audit-log cannot be the target of a relation/,
    );
    expectRefused(
      await admin.callTool('update_component', {
        uid: 'shared.seo',
        add: { nested: { type: 'component', component: 'shared.seo' } },
        dryRun: true,
      }),
      /nested: the component shared\.seo cannot contain itself/,
    );
    // What a plugin locks, the Content-Type Builder keeps: said, not silently dropped.
    expectRefused(
      await admin.callTool('update_content_type', {
        uid: 'plugin::users-permissions.user',
        change: { password: { private: false } },
        dryRun: true,
      }),
      /password cannot be changed, renamed or removed: its plugin locks it/,
    );
    expect(snapshot(app)).toEqual(original);
  });

  it('creates and changes types and components with the same files as the Content-Type Builder API', async () => {
    const faq = {
      singularName: 'faq',
      pluralName: 'faqs',
      displayName: 'FAQ',
      attributes: { question: { type: 'string', required: true }, answer: { type: 'text' } },
    };
    const articleUpdate = await articleUpdateAsTheAdminUiSendsIt();
    // Each change is built on the models Strapi runs with; the restart that loads one is not there in this process,
    // so the files are put back before the next change, and the files each change wrote are gathered.
    const throughMcp: Snapshot = new Map(original);
    const change = async (tool: string, args: Record<string, unknown>) => {
      restore(app, original);
      const result = expectOk(await admin.callTool(tool, args));
      const written = snapshot(app);
      for (const file of changedPaths(original, written)) {
        if (written.has(file)) throughMcp.set(file, written.get(file)!);
        else throughMcp.delete(file);
      }
      return result;
    };
    const created = await change('create_content_type', faq);
    expect(created.restart).toMatchObject({ restarting: true });
    expect(created.exposure).toMatch(/not exposed/);
    // Until Strapi restarts, the next change would be built on stale models: it waits.
    expectRefused(
      await admin.callTool('update_content_type', {
        uid: 'article',
        add: { subtitle: { type: 'string' } },
        dryRun: true,
      }),
      /Strapi has not loaded the model files as they are now \(src\/api\/faq\/content-types\/faq\/schema\.json\): a schema change is waiting for the restart/,
    );
    await change('create_component', {
      category: 'faq',
      displayName: 'Entry',
      attributes: { label: { type: 'string' } },
    });
    // Two changes at once: one is written, the other waits for the restart that would load it.
    restore(app, original);
    const racing = await Promise.all(
      ['first', 'second'].map((name) =>
        admin.callTool('update_content_type', { uid: 'category', add: { [name]: { type: 'string' } } }),
      ),
    );
    expect(racing.filter((result) => !result.isError)).toHaveLength(1);
    expectRefused(racing.find((result) => result.isError)!, /a schema change is waiting for the restart/);
    await vi.waitFor(() => expect(reloads).toHaveLength(3));
    const updated = await change('update_content_type', {
      uid: 'article',
      add: { subtitle: { type: 'string', maxLength: 120 } },
    });
    expect(updated.exposure).toMatch(/api::article.article is exposed/);
    await change('update_component', { uid: 'shared.seo', add: { keywords: { type: 'string' } } });
    await vi.waitFor(() => expect(reloads).toHaveLength(5));
    expect(
      JSON.parse(throughMcp.get('src/api/article/content-types/article/schema.json')!).attributes.subtitle,
    ).toEqual({
      type: 'string',
      maxLength: 120,
    });

    restore(app, original);
    await builderApi('POST', '/update-schema', {
      data: {
        contentTypes: [
          {
            action: 'create',
            uid: 'api::faq.faq',
            kind: 'collectionType',
            singularName: 'faq',
            pluralName: 'faqs',
            displayName: 'FAQ',
            description: '',
            draftAndPublish: true,
            options: {},
            pluginOptions: {},
            attributes: [
              { action: 'create', name: 'question', properties: { type: 'string', required: true } },
              { action: 'create', name: 'answer', properties: { type: 'text' } },
            ],
          },
          articleUpdate,
        ],
        components: [
          {
            action: 'create',
            uid: 'faq.entry',
            category: 'faq',
            displayName: 'Entry',
            description: '',
            config: {},
            attributes: [{ action: 'create', name: 'label', properties: { type: 'string' } }],
          },
          {
            action: 'update',
            uid: 'shared.seo',
            category: 'shared',
            displayName: 'SEO',
            icon: 'search',
            description: 'Search engine metadata',
            attributes: [
              { action: 'update', name: 'metaTitle', properties: { type: 'string', maxLength: 70 } },
              { action: 'update', name: 'metaDescription', properties: { type: 'text', maxLength: 160 } },
              { action: 'create', name: 'keywords', properties: { type: 'string' } },
            ],
          },
        ],
      },
    });
    const throughBuilder = snapshot(app);
    expect(changedPaths(original, throughMcp)).toEqual(changedPaths(original, throughBuilder));
    expect(throughMcp).toEqual(throughBuilder);
    restore(app, original);
  });

  it('deletes a type and a component holding data, with confirm, as the Content-Type Builder API does', async () => {
    for (const [tool, uid, route] of [
      ['delete_content_type', 'api::homepage.homepage', '/content-types/api::homepage.homepage'],
      ['delete_component', 'shared.seo', '/components/shared.seo'],
    ] as const) {
      const deleted = expectOk(await admin.callTool(tool, { uid, confirm: true }));
      expect(deleted.dataAtRisk[0]).toMatchObject({ model: uid, rows: expect.any(Number) });
      expect(deleted.files.some((file: any) => file.change === 'deleted')).toBe(true);
      const throughMcp = snapshot(app);
      restore(app, original);
      await builderApi('DELETE', route);
      expect(throughMcp).toEqual(snapshot(app));
      restore(app, original);
    }
  });

  it("a Content-Type Builder change made during a dry run lands in the app, not in the dry run's copy", async () => {
    restore(app, original);
    const attributes = Object.fromEntries(
      Array.from({ length: 80 }, (_, index) => [`field${index}`, { type: 'string' }]),
    );
    const dryRun = admin.callTool('create_content_type', {
      singularName: 'bulk',
      pluralName: 'bulks',
      displayName: 'Bulk',
      attributes,
      dryRun: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Koa routes the path in any case: the hold matches it so too.
    const deleted = await builderRoute('DELETE', '/Content-Type-Builder/content-types/api::homepage.homepage');
    expect(deleted.status, deleted.text).toBeLessThan(300);
    expectOk(await dryRun);
    expect(fs.existsSync(path.join(app.runDir, 'src/api/homepage'))).toBe(false);
    restore(app, original);
  });

  it("refuses a Content-Type Builder save while a schema tool's change waits for the restart", async () => {
    restore(app, original);
    expectOk(await admin.callTool('update_content_type', { uid: 'category', add: { note: { type: 'string' } } }));
    const refused = await builderRoute('DELETE', '/content-type-builder/content-types/api::homepage.homepage');
    expect(refused.status).toBe(409);
    expect(refused.text).toMatch(/Schema update is already in progress: .*category\/schema\.json/);
    expect(fs.existsSync(path.join(app.runDir, 'src/api/homepage'))).toBe(true);
    expect(
      fs.readFileSync(path.join(app.runDir, 'src/api/category/content-types/category/schema.json'), 'utf8'),
    ).toContain('"note"');
    restore(app, original);
  });

  it('records every schema change with its diff', async () => {
    const rows = await vi.waitFor(async () => {
      const found = await auditRows({
        tool: 'update_content_type',
        decision: 'allowed',
        contentType: 'api::article.article',
      });
      expect(found).toHaveLength(1);
      return found;
    }, AUDIT_FLUSH);
    expect(rows[0]).toMatchObject({ action: 'schema.update-content-type', contentType: 'api::article.article' });
    expect(rows[0].diff.schema.after.attributes.subtitle).toEqual({ type: 'string', maxLength: 120 });
    expect(rows[0].diff.schema.before.attributes).not.toHaveProperty('subtitle');
    expect(rows[0].diff.files).toEqual([
      { path: 'src/api/article/content-types/article/schema.json', change: 'modified' },
      { path: 'src/api/category/content-types/category/schema.json', change: 'reformatted' },
    ]);
    const dryRuns = await auditRows({ tool: 'create_content_type', decision: 'dry-run' });
    expect(dryRuns.length).toBeGreaterThan(0);
    expect(dryRuns[0].diff.files.length).toBeGreaterThan(0);
  });
});
