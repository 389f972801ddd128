/**
 * The role × action × content-type matrix of the playground policy, run against the seeded data with tenant org-1.
 * Every cell is checked twice: by the answer (allowed, or refused with a message naming the role and the action, or
 * the tool simply absent for that role) and by the database afterwards. Around it: tools/list per role, unknown and
 * missing role claims, createdBy/updatedBy stamped with the resolved admin user, update-own, locked articles, the
 * Authors' kind condition and the publish right on create and update.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { AUTHOR_TOOLS, MUTATION_TOOLS, READ_TOOLS } from '../helpers/tool-names';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const ARTICLE = 'api::article.article';
const CATEGORY = 'api::category.category';
const HOMEPAGE = 'api::homepage.homepage';

type Role = 'Admin' | 'Publisher' | 'Author' | 'Reader';
type Action = 'find' | 'get' | 'create' | 'update' | 'delete' | 'publish' | 'unpublish';
type TypeName = 'article' | 'category' | 'homepage';
type Doc = Record<string, any>;

const ROLES: Role[] = ['Admin', 'Publisher', 'Author', 'Reader'];
const ACTIONS: Action[] = ['find', 'get', 'create', 'update', 'delete', 'publish', 'unpublish'];
const EMAILS: Record<Role, string> = {
  Admin: 'admin@example.com',
  Publisher: 'publisher@example.com',
  Author: 'author1@example.com',
  Reader: 'reader@example.com',
};
const TOOLS: Record<Action, string> = {
  find: 'find_documents',
  get: 'get_document',
  create: 'create_document',
  update: 'update_document',
  delete: 'delete_document',
  publish: 'publish_document',
  unpublish: 'unpublish_document',
};

const EXPECTED_TOOLS: Record<Role, string[]> = {
  Admin: [...READ_TOOLS, ...MUTATION_TOOLS],
  Publisher: [
    ...READ_TOOLS,
    'create_document',
    'update_document',
    'publish_document',
    'unpublish_document',
    'discard_draft',
    'upload_media',
  ],
  Author: AUTHOR_TOOLS,
  Reader: READ_TOOLS,
};

/** A cell of the matrix: allowed, or the refusal the caller must get. */
type Cell = 'allowed' | RegExp;
const ok: Cell = 'allowed';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The policy's refusal: names the role, the action and what the role may do instead. */
const denied = (role: Role, verb: string, type: TypeName, allowed: string): Cell =>
  new RegExp(`^${escape(`role ${role} may not ${verb} ${type}; allowed actions: ${allowed}`)}$`);
/** tools/list never showed the tool to this role, so it does not exist in the session. */
const noTool = (action: Action): Cell => new RegExp(`Tool ${TOOLS[action]} not found`);

const MATRIX: Record<TypeName, Record<Action, Record<Role, Cell>>> = {
  article: {
    find: { Admin: ok, Publisher: ok, Author: ok, Reader: ok },
    get: { Admin: ok, Publisher: ok, Author: ok, Reader: ok },
    create: { Admin: ok, Publisher: ok, Author: ok, Reader: noTool('create') },
    // The Author's target is an article they created (update-own); the other-author case is tested below.
    update: { Admin: ok, Publisher: ok, Author: ok, Reader: noTool('update') },
    delete: { Admin: ok, Publisher: noTool('delete'), Author: noTool('delete'), Reader: noTool('delete') },
    publish: { Admin: ok, Publisher: ok, Author: noTool('publish'), Reader: noTool('publish') },
    unpublish: { Admin: ok, Publisher: ok, Author: noTool('unpublish'), Reader: noTool('unpublish') },
  },
  category: {
    find: { Admin: ok, Publisher: ok, Author: ok, Reader: ok },
    get: { Admin: ok, Publisher: ok, Author: ok, Reader: ok },
    create: {
      Admin: ok,
      Publisher: ok,
      Author: denied('Author', 'create', 'category', 'read'),
      Reader: noTool('create'),
    },
    update: {
      Admin: ok,
      Publisher: ok,
      Author: denied('Author', 'update', 'category', 'read'),
      Reader: noTool('update'),
    },
    delete: { Admin: ok, Publisher: noTool('delete'), Author: noTool('delete'), Reader: noTool('delete') },
    publish: {
      Admin: /^category has no draft & publish$/,
      Publisher: /^category has no draft & publish$/,
      Author: noTool('publish'),
      Reader: noTool('publish'),
    },
    unpublish: {
      Admin: /^category has no draft & publish$/,
      Publisher: /^category has no draft & publish$/,
      Author: noTool('unpublish'),
      Reader: noTool('unpublish'),
    },
  },
  homepage: {
    find: { Admin: ok, Publisher: ok, Author: ok, Reader: ok },
    get: { Admin: ok, Publisher: ok, Author: ok, Reader: ok },
    create: {
      // A single type exists once per locale: creating it again is refused, pointing at update_document.
      Admin: /^homepage already exists; use update_document$/,
      Publisher: denied('Publisher', 'create', 'homepage', 'read, update, publish'),
      Author: denied('Author', 'create', 'homepage', 'read'),
      Reader: noTool('create'),
    },
    update: {
      Admin: ok,
      Publisher: ok,
      Author: denied('Author', 'update', 'homepage', 'read'),
      Reader: noTool('update'),
    },
    delete: { Admin: ok, Publisher: noTool('delete'), Author: noTool('delete'), Reader: noTool('delete') },
    publish: { Admin: ok, Publisher: ok, Author: noTool('publish'), Reader: noTool('publish') },
    unpublish: { Admin: ok, Publisher: ok, Author: noTool('unpublish'), Reader: noTool('unpublish') },
  },
};

let app: TestApp;
const sessions = {} as Record<Role, ConnectedClient>;
const userIds = {} as Record<string, number>;
let homepageId: string;

const HOMEPAGE_SEED: Record<'en' | 'fr', Doc> = {
  en: { title: 'Welcome to the playground', intro: 'News, guides and stories.', heroCta: 'Read the latest' },
  fr: {
    title: 'Bienvenue sur le playground',
    intro: 'Actualités, guides et histoires.',
    heroCta: 'Lire les nouveautés',
  },
};

const documents = (uid: string) => (app.strapi as any).documents(uid);
const textOf = (result: CallToolResult) => (result.content[0] as { text: string }).text;
const data = (result: CallToolResult) => result.structuredContent as Doc;
const call = (role: Role, action: Action, args: Record<string, unknown>) =>
  sessions[role].callTool(TOOLS[action], args);

let counter = 0;
const uniqueTitle = (label: string) => `role-matrix ${label} ${(counter += 1)}`;

/** Every row (draft and published, every locale) of a document, with its creator and last editor. */
const rowsOf = (uid: string, where: Doc): Promise<Doc[]> =>
  app.strapi.db.query(uid as never).findMany({ where, populate: ['createdBy', 'updatedBy'], orderBy: { id: 'asc' } });
const draftOf = async (uid: string, documentId: string, locale?: string) =>
  (await rowsOf(uid, { documentId, publishedAt: null, ...(locale ? { locale } : {}) }))[0];
const publishedOf = async (uid: string, documentId: string, locale?: string) =>
  (await rowsOf(uid, { documentId, publishedAt: { $notNull: true }, ...(locale ? { locale } : {}) }))[0];

/** An article of org-1 created directly in Strapi, as if its owner had written it. */
const createArticle = async (
  options: { owner?: string; tenant?: string; published?: boolean; locked?: boolean; kind?: string } = {},
): Promise<Doc> => {
  const owner = userIds[options.owner ?? 'author1@example.com'];
  return documents(ARTICLE).create({
    data: {
      title: uniqueTitle('fixture'),
      kind: options.kind ?? 'news',
      locked: options.locked ?? false,
      tenantId: options.tenant ?? 'org-1',
      createdBy: owner,
      updatedBy: owner,
    },
    status: options.published ? 'published' : 'draft',
  });
};
const createCategory = async (): Promise<Doc> =>
  documents(CATEGORY).create({ data: { name: uniqueTitle('category') } });

/** Puts the homepage back as seeded: one document, en and fr, each published with its seed values. */
const resetHomepage = async () => {
  const rows = await app.strapi.db.query(HOMEPAGE).findMany({ select: ['documentId'] });
  for (const stray of new Set(rows.map((row: Doc) => row.documentId).filter((id: string) => id !== homepageId))) {
    await documents(HOMEPAGE).delete({ documentId: stray, locale: '*' });
  }
  for (const locale of ['en', 'fr'] as const) {
    await documents(HOMEPAGE).update({ documentId: homepageId, locale, data: HOMEPAGE_SEED[locale] });
    await documents(HOMEPAGE).publish({ documentId: homepageId, locale });
  }
};

/** Calls the tool as the role and returns the answer with a check of the database for that outcome. */
type Scenario = (role: Role) => Promise<{ result: CallToolResult; verify: (allowed: boolean) => Promise<void> }>;

const SCENARIOS: Record<TypeName, Record<Action, Scenario>> = {
  article: {
    find: async (role) => {
      const result = await call(role, 'find', { contentType: 'article', pageSize: 100 });
      return {
        result,
        verify: async () => {
          const { data: found, meta } = data(result);
          const inTenant = await documents(ARTICLE).count({ filters: { tenantId: 'org-1' } });
          expect(meta.pagination.total).toBe(inTenant);
          expect(found).toHaveLength(inTenant);
          expect(found.every((article: Doc) => article.tenantId === 'org-1')).toBe(true);
        },
      };
    },
    get: async (role) => {
      // Another author's article: reading is not limited to one's own.
      const fixture = await createArticle({ owner: 'author2@example.com' });
      const result = await call(role, 'get', { contentType: 'article', documentId: fixture.documentId });
      return {
        result,
        verify: async () => {
          expect(data(result).data).toMatchObject({ documentId: fixture.documentId, title: fixture.title });
        },
      };
    },
    create: async (role) => {
      const title = uniqueTitle(`create by ${role}`);
      const result = await call(role, 'create', { contentType: 'article', data: { title, kind: 'blog' } });
      return {
        result,
        verify: async (allowed) => {
          const rows = await rowsOf(ARTICLE, { title });
          if (!allowed) return expect(rows).toEqual([]);
          expect(rows).toHaveLength(1);
          expect(rows[0]).toMatchObject({ tenantId: 'org-1', kind: 'blog', publishedAt: null });
          expect(rows[0].createdBy.id).toBe(userIds[EMAILS[role]]);
          expect(rows[0].updatedBy.id).toBe(userIds[EMAILS[role]]);
          expect(data(result).data.documentId).toBe(rows[0].documentId);
        },
      };
    },
    update: async (role) => {
      const fixture = await createArticle();
      const title = uniqueTitle(`update by ${role}`);
      const result = await call(role, 'update', {
        contentType: 'article',
        documentId: fixture.documentId,
        data: { title },
      });
      return {
        result,
        verify: async (allowed) => {
          const draft = await draftOf(ARTICLE, fixture.documentId);
          expect(draft.title).toBe(allowed ? title : fixture.title);
          expect(draft.createdBy.id).toBe(userIds['author1@example.com']);
          expect(draft.updatedBy.id).toBe(allowed ? userIds[EMAILS[role]] : userIds['author1@example.com']);
        },
      };
    },
    delete: async (role) => {
      const fixture = await createArticle({ published: true });
      const result = await call(role, 'delete', { contentType: 'article', documentId: fixture.documentId });
      return {
        result,
        verify: async (allowed) => {
          expect(await rowsOf(ARTICLE, { documentId: fixture.documentId })).toHaveLength(allowed ? 0 : 2);
        },
      };
    },
    publish: async (role) => {
      const fixture = await createArticle();
      const result = await call(role, 'publish', { contentType: 'article', documentId: fixture.documentId });
      return {
        result,
        verify: async (allowed) => {
          const published = await publishedOf(ARTICLE, fixture.documentId);
          if (allowed) expect(published).toMatchObject({ title: fixture.title, tenantId: 'org-1' });
          else expect(published).toBeUndefined();
        },
      };
    },
    unpublish: async (role) => {
      const fixture = await createArticle({ published: true });
      const result = await call(role, 'unpublish', { contentType: 'article', documentId: fixture.documentId });
      return {
        result,
        verify: async (allowed) => {
          if (allowed) expect(await publishedOf(ARTICLE, fixture.documentId)).toBeUndefined();
          else expect(await publishedOf(ARTICLE, fixture.documentId)).toMatchObject({ title: fixture.title });
          // The draft stays either way.
          expect(await draftOf(ARTICLE, fixture.documentId)).toMatchObject({ title: fixture.title });
        },
      };
    },
  },
  category: {
    find: async (role) => {
      const result = await call(role, 'find', { contentType: 'category', pageSize: 100 });
      return {
        result,
        verify: async () => {
          // Not tenant-aware: every category, the same for every tenant.
          const total = await documents(CATEGORY).count({});
          expect(data(result).meta.pagination.total).toBe(total);
          expect(data(result).data.map((category: Doc) => category.slug)).toEqual(
            expect.arrayContaining(['product', 'engineering', 'company', 'guides']),
          );
        },
      };
    },
    get: async (role) => {
      const fixture = await createCategory();
      const result = await call(role, 'get', { contentType: 'category', documentId: fixture.documentId });
      return {
        result,
        verify: async () => {
          expect(data(result).data).toMatchObject({ documentId: fixture.documentId, name: fixture.name });
        },
      };
    },
    create: async (role) => {
      const name = uniqueTitle(`create by ${role}`);
      const result = await call(role, 'create', { contentType: 'category', data: { name } });
      return {
        result,
        verify: async (allowed) => {
          const rows = await rowsOf(CATEGORY, { name });
          if (!allowed) return expect(rows).toEqual([]);
          expect(rows).toHaveLength(1);
          expect(rows[0].createdBy.id).toBe(userIds[EMAILS[role]]);
          expect(rows[0].updatedBy.id).toBe(userIds[EMAILS[role]]);
        },
      };
    },
    update: async (role) => {
      const fixture = await createCategory();
      const name = uniqueTitle(`update by ${role}`);
      const result = await call(role, 'update', {
        contentType: 'category',
        documentId: fixture.documentId,
        data: { name },
      });
      return {
        result,
        verify: async (allowed) => {
          const [row] = await rowsOf(CATEGORY, { documentId: fixture.documentId });
          expect(row.name).toBe(allowed ? name : fixture.name);
          if (allowed) expect(row.updatedBy.id).toBe(userIds[EMAILS[role]]);
        },
      };
    },
    delete: async (role) => {
      const fixture = await createCategory();
      const result = await call(role, 'delete', { contentType: 'category', documentId: fixture.documentId });
      return {
        result,
        verify: async (allowed) => {
          expect(await rowsOf(CATEGORY, { documentId: fixture.documentId })).toHaveLength(allowed ? 0 : 1);
        },
      };
    },
    publish: async (role) => {
      const fixture = await createCategory();
      const before = await rowsOf(CATEGORY, { documentId: fixture.documentId });
      const result = await call(role, 'publish', { contentType: 'category', documentId: fixture.documentId });
      return {
        result,
        verify: async () => {
          expect(await rowsOf(CATEGORY, { documentId: fixture.documentId })).toEqual(before);
        },
      };
    },
    unpublish: async (role) => {
      const fixture = await createCategory();
      const before = await rowsOf(CATEGORY, { documentId: fixture.documentId });
      const result = await call(role, 'unpublish', { contentType: 'category', documentId: fixture.documentId });
      return {
        result,
        verify: async () => {
          expect(await rowsOf(CATEGORY, { documentId: fixture.documentId })).toEqual(before);
        },
      };
    },
  },
  homepage: {
    find: async (role) => {
      const result = await call(role, 'find', { contentType: 'homepage' });
      return {
        result,
        verify: async () => {
          // The default locale only, unless locale is given.
          expect(data(result).data).toEqual([
            expect.objectContaining({ documentId: homepageId, locale: 'en', title: HOMEPAGE_SEED.en.title }),
          ]);
        },
      };
    },
    get: async (role) => {
      const result = await call(role, 'get', { contentType: 'homepage', locale: 'fr' });
      return {
        result,
        verify: async () => {
          expect(data(result).data).toMatchObject({ documentId: homepageId, locale: 'fr', ...HOMEPAGE_SEED.fr });
        },
      };
    },
    create: async (role) => {
      const title = uniqueTitle(`homepage by ${role}`);
      const result = await call(role, 'create', { contentType: 'homepage', data: { title } });
      return {
        result,
        verify: async (allowed) => {
          expect(allowed).toBe(false);
          expect(await rowsOf(HOMEPAGE, { title })).toEqual([]);
          expect(await rowsOf(HOMEPAGE, { documentId: { $ne: homepageId } })).toEqual([]);
        },
      };
    },
    update: async (role) => {
      const title = uniqueTitle(`homepage by ${role}`);
      const result = await call(role, 'update', { contentType: 'homepage', locale: 'fr', data: { title } });
      return {
        result,
        verify: async (allowed) => {
          const draft = await draftOf(HOMEPAGE, homepageId, 'fr');
          expect(draft.title).toBe(allowed ? title : HOMEPAGE_SEED.fr.title);
          if (allowed) expect(draft.updatedBy.id).toBe(userIds[EMAILS[role]]);
          // Only the draft of that locale changes.
          expect((await publishedOf(HOMEPAGE, homepageId, 'fr')).title).toBe(HOMEPAGE_SEED.fr.title);
          expect((await draftOf(HOMEPAGE, homepageId, 'en')).title).toBe(HOMEPAGE_SEED.en.title);
        },
      };
    },
    delete: async (role) => {
      const result = await call(role, 'delete', { contentType: 'homepage', locale: 'fr' });
      return {
        result,
        verify: async (allowed) => {
          expect(await rowsOf(HOMEPAGE, { documentId: homepageId, locale: 'fr' })).toHaveLength(allowed ? 0 : 2);
          expect(await rowsOf(HOMEPAGE, { documentId: homepageId, locale: 'en' })).toHaveLength(2);
        },
      };
    },
    publish: async (role) => {
      const title = uniqueTitle(`homepage draft for ${role}`);
      await documents(HOMEPAGE).update({ documentId: homepageId, locale: 'en', data: { title } });
      const result = await call(role, 'publish', { contentType: 'homepage', locale: 'en' });
      return {
        result,
        verify: async (allowed) => {
          expect((await publishedOf(HOMEPAGE, homepageId, 'en')).title).toBe(allowed ? title : HOMEPAGE_SEED.en.title);
        },
      };
    },
    unpublish: async (role) => {
      const result = await call(role, 'unpublish', { contentType: 'homepage', locale: 'fr' });
      return {
        result,
        verify: async (allowed) => {
          const published = await publishedOf(HOMEPAGE, homepageId, 'fr');
          if (allowed) expect(published).toBeUndefined();
          else expect(published).toMatchObject(HOMEPAGE_SEED.fr);
          expect(await draftOf(HOMEPAGE, homepageId, 'fr')).toMatchObject(HOMEPAGE_SEED.fr);
          expect(await publishedOf(HOMEPAGE, homepageId, 'en')).toMatchObject(HOMEPAGE_SEED.en);
        },
      };
    },
  },
};

const expectRefused = (result: CallToolResult, message: RegExp) => {
  expect(result.isError).toBe(true);
  expect(result.structuredContent).toBeUndefined();
  expect(textOf(result)).toMatch(message);
};

describe('default playground policy', () => {
  beforeAll(async () => {
    app = await bootTestApp();
    for (const user of await app.strapi.db.query('admin::user').findMany({ select: ['id', 'email'] })) {
      userIds[user.email] = user.id;
    }
    for (const role of ROLES) {
      sessions[role] = await connectClient(app, await app.idp.tokenFor(EMAILS[role], role, 'org-1'));
    }
    homepageId = (await documents(HOMEPAGE).findFirst({ locale: 'en' })).documentId;
  });
  afterAll(async () => {
    for (const session of Object.values(sessions)) await session?.close();
    await app?.close();
  });

  describe('tools/list per role', () => {
    it.each(ROLES)('%s sees exactly the tools of its role', async (role) => {
      const { tools } = await sessions[role].client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([...EXPECTED_TOOLS[role]].sort());
    });

    it.each([
      ['an unknown role claim', 'Superuser'],
      ['a role claim naming an object property', '__proto__'],
      ['no role claim', null],
    ])('%s gets whoami only, and every content tool is refused', async (_label, claim) => {
      const session = await connectClient(app, await app.idp.tokenFor('admin@example.com', claim, 'org-1'));
      try {
        const { tools } = await session.client.listTools();
        expect(tools.map((tool) => tool.name)).toEqual(['whoami']);
        const whoami = await session.callTool('whoami');
        expect(whoami.structuredContent).toMatchObject({
          user: { email: 'admin@example.com' },
          role: null,
          roleClaim: claim,
          permissions: [],
        });
        const before = await documents(ARTICLE).count({});
        const title = uniqueTitle('no role');
        for (const [tool, args] of [
          ['list_content_types', {}],
          ['find_documents', { contentType: 'article' }],
          ['get_document', { contentType: 'homepage' }],
          ['create_document', { contentType: 'article', data: { title } }],
          ['delete_document', { contentType: 'article', documentId: 'whatever' }],
        ] as const) {
          expectRefused(await session.callTool(tool, args), new RegExp(`Tool ${tool} not found`));
        }
        expect(await documents(ARTICLE).count({})).toBe(before);
        expect(await rowsOf(ARTICLE, { title })).toEqual([]);
      } finally {
        await session.close();
      }
    });
  });

  describe.each(['article', 'category', 'homepage'] as TypeName[])('matrix: %s', (typeName) => {
    if (typeName === 'homepage') afterEach(resetHomepage);

    for (const action of ACTIONS) {
      for (const role of ROLES) {
        const cell = MATRIX[typeName][action][role];
        const outcome = cell === 'allowed' ? 'allowed' : `refused (${cell.source.replace(/\\/g, '')})`;
        it(`${role} × ${action} ${typeName} → ${outcome}`, async () => {
          const { result, verify } = await SCENARIOS[typeName][action](role);
          if (cell === 'allowed') {
            expect(result.isError, textOf(result)).toBeFalsy();
            expect(result.structuredContent).toBeDefined();
          } else {
            expectRefused(result, cell);
          }
          await verify(cell === 'allowed');
        });
      }
    }
  });

  describe('tenant scope of the matrix', () => {
    it.each(ROLES)('%s of org-1 cannot read or change an org-2 article: it is "not found"', async (role) => {
      const other = await createArticle({ tenant: 'org-2', owner: 'author1@example.com' });
      const got = await call(role, 'get', { contentType: 'article', documentId: other.documentId });
      expectRefused(got, new RegExp(`document ${other.documentId} of article not found`));
      if (EXPECTED_TOOLS[role].includes('update_document')) {
        const updated = await call(role, 'update', {
          contentType: 'article',
          documentId: other.documentId,
          data: { title: 'moved' },
        });
        expectRefused(updated, /not found/);
      }
      expect(await draftOf(ARTICLE, other.documentId)).toMatchObject({ title: other.title, tenantId: 'org-2' });
    });
  });

  describe('createdBy and updatedBy are the resolved admin user', () => {
    it('create stamps both with the caller; an update by someone else changes updatedBy only', async () => {
      // The token's email differs in case from the stored one: the stamp is the admin user it resolves to.
      const author = await connectClient(app, await app.idp.tokenFor('AUTHOR1@Example.com', 'Author', 'org-1'));
      try {
        const title = uniqueTitle('stamped');
        const created = await author.callTool('create_document', { contentType: 'article', data: { title } });
        expect(created.isError, textOf(created)).toBeFalsy();
        const { documentId } = data(created).data;
        let row = await app.strapi.db
          .query(ARTICLE)
          .findOne({ where: { documentId }, populate: ['createdBy', 'updatedBy'] });
        expect(row.createdBy).toMatchObject({ id: userIds['author1@example.com'], email: 'author1@example.com' });
        expect(row.updatedBy).toMatchObject({ id: userIds['author1@example.com'] });

        const updated = await call('Publisher', 'update', {
          contentType: 'article',
          documentId,
          data: { title: `${title}!` },
        });
        expect(updated.isError, textOf(updated)).toBeFalsy();
        row = await app.strapi.db
          .query(ARTICLE)
          .findOne({ where: { documentId }, populate: ['createdBy', 'updatedBy'] });
        expect(row.title).toBe(`${title}!`);
        expect(row.createdBy.id).toBe(userIds['author1@example.com']);
        expect(row.updatedBy.id).toBe(userIds['publisher@example.com']);

        // The Author's own update puts them back as the last editor.
        const own = await author.callTool('update_document', {
          contentType: 'article',
          documentId,
          data: { kind: 'blog' },
        });
        expect(own.isError, textOf(own)).toBeFalsy();
        row = await app.strapi.db
          .query(ARTICLE)
          .findOne({ where: { documentId }, populate: ['createdBy', 'updatedBy'] });
        expect(row.createdBy.id).toBe(userIds['author1@example.com']);
        expect(row.updatedBy.id).toBe(userIds['author1@example.com']);
      } finally {
        await author.close();
      }
    });

    it('refuses a forged createdBy or updatedBy on create and update, and stores nothing', async () => {
      const title = uniqueTitle('forged');
      const forgedCreate = await call('Author', 'create', {
        contentType: 'article',
        data: { title, createdBy: userIds['author2@example.com'] },
      });
      expectRefused(forgedCreate, /^data\.createdBy: createdBy is managed by Strapi and cannot be written$/);
      expect(await rowsOf(ARTICLE, { title })).toEqual([]);

      const fixture = await createArticle();
      const forgedUpdate = await call('Author', 'update', {
        contentType: 'article',
        documentId: fixture.documentId,
        data: { title, updatedBy: userIds['admin@example.com'] },
      });
      expectRefused(forgedUpdate, /^data\.updatedBy: updatedBy is managed by Strapi and cannot be written$/);
      const draft = await draftOf(ARTICLE, fixture.documentId);
      expect(draft.title).toBe(fixture.title);
      expect(draft.updatedBy.id).toBe(userIds['author1@example.com']);
    });
  });

  describe('Author: update-own', () => {
    it('updates an article they created', async () => {
      const own = await createArticle({ owner: 'author1@example.com' });
      const result = await call('Author', 'update', {
        contentType: 'article',
        documentId: own.documentId,
        data: { title: `${own.title} (edited)` },
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(data(result).diff).toEqual({ title: { from: own.title, to: `${own.title} (edited)` } });
      expect((await draftOf(ARTICLE, own.documentId)).title).toBe(`${own.title} (edited)`);
    });

    it("is refused another author's article of the same tenant, which stays unchanged (also in dry run)", async () => {
      const others = await createArticle({ owner: 'author2@example.com' });
      for (const dryRun of [false, true]) {
        const result = await call('Author', 'update', {
          contentType: 'article',
          documentId: others.documentId,
          data: { title: 'taken over' },
          dryRun,
        });
        expectRefused(result, new RegExp(`^document ${others.documentId} of article not found$`));
      }
      const draft = await draftOf(ARTICLE, others.documentId);
      expect(draft.title).toBe(others.title);
      expect(draft.updatedBy.id).toBe(userIds['author2@example.com']);
    });

    it("is refused a seeded article of the other author (article #3, author2's, org-1)", async () => {
      const seeded = await documents(ARTICLE).findFirst({ filters: { slug: 'our-approach-to-accessibility-3' } });
      const before = await rowsOf(ARTICLE, { documentId: seeded.documentId });
      const result = await call('Author', 'update', {
        contentType: 'article',
        documentId: seeded.documentId,
        data: { title: 'mine now' },
      });
      expectRefused(result, /not found/);
      expect(await rowsOf(ARTICLE, { documentId: seeded.documentId })).toEqual(before);
    });

    it("sees both authors' articles when reading (update-own narrows updates, not reads)", async () => {
      const result = await call('Author', 'find', { contentType: 'article', pageSize: 100 });
      const owners: number[] = [];
      for (const article of data(result).data as Doc[]) {
        owners.push((await draftOf(ARTICLE, article.documentId)).createdBy.id);
      }
      expect(owners).toContain(userIds['author1@example.com']);
      expect(owners).toContain(userIds['author2@example.com']);
    });
  });

  describe('locked articles: only an Admin may change or delete them', () => {
    const lockedMessage =
      /^condition "locked-articles-admin-only" failed: this article is locked; only an Admin may change or delete it$/;

    it('Publisher is refused an update of a locked article (seeded #7), and cannot unlock it', async () => {
      const seven = await documents(ARTICLE).findFirst({ filters: { slug: 'migrating-to-postgresql-7' } });
      expect(seven).toMatchObject({ locked: true, tenantId: 'org-1' });
      const before = await rowsOf(ARTICLE, { documentId: seven.documentId });
      for (const change of [{ title: 'edited' }, { locked: false }]) {
        expectRefused(
          await call('Publisher', 'update', { contentType: 'article', documentId: seven.documentId, data: change }),
          lockedMessage,
        );
      }
      expect(await rowsOf(ARTICLE, { documentId: seven.documentId })).toEqual(before);
    });

    it('Author is refused an update of their own locked article (seeded #17)', async () => {
      const seventeen = await documents(ARTICLE).findFirst({ filters: { slug: 'migrating-to-postgresql-17' } });
      expect(seventeen).toMatchObject({ locked: true, tenantId: 'org-1' });
      const before = await rowsOf(ARTICLE, { documentId: seventeen.documentId });
      expect(before[0].createdBy.id).toBe(userIds['author1@example.com']);
      expectRefused(
        await call('Author', 'update', {
          contentType: 'article',
          documentId: seventeen.documentId,
          data: { title: 'x' },
        }),
        lockedMessage,
      );
      expect(await rowsOf(ARTICLE, { documentId: seventeen.documentId })).toEqual(before);
    });

    it('Publisher has no delete at all: the tool is absent and the locked article stays', async () => {
      const locked = await createArticle({ locked: true, published: true });
      expectRefused(
        await call('Publisher', 'delete', { contentType: 'article', documentId: locked.documentId }),
        noTool('delete') as RegExp,
      );
      expect(await rowsOf(ARTICLE, { documentId: locked.documentId })).toHaveLength(2);
    });

    it('Admin may update, unlock and delete a locked article', async () => {
      const locked = await createArticle({ locked: true, published: true });
      const updated = await call('Admin', 'update', {
        contentType: 'article',
        documentId: locked.documentId,
        data: { title: `${locked.title} (admin)` },
      });
      expect(updated.isError, textOf(updated)).toBeFalsy();
      expect(await draftOf(ARTICLE, locked.documentId)).toMatchObject({
        title: `${locked.title} (admin)`,
        locked: true,
      });

      const unlocked = await call('Admin', 'update', {
        contentType: 'article',
        documentId: locked.documentId,
        data: { locked: false },
      });
      expect(unlocked.isError, textOf(unlocked)).toBeFalsy();
      expect((await draftOf(ARTICLE, locked.documentId)).locked).toBe(false);

      const relocked = await call('Admin', 'update', {
        contentType: 'article',
        documentId: locked.documentId,
        data: { locked: true },
      });
      expect(relocked.isError, textOf(relocked)).toBeFalsy();
      const deleted = await call('Admin', 'delete', { contentType: 'article', documentId: locked.documentId });
      expect(deleted.isError, textOf(deleted)).toBeFalsy();
      expect(await rowsOf(ARTICLE, { documentId: locked.documentId })).toEqual([]);
    });
  });

  describe("Authors' kind condition: news or blog only", () => {
    const kindMessage =
      /^condition "authors-write-news-or-blog" failed: Authors may only write news or blog articles \(kind news or blog\)$/;

    it.each(['press', 'guide'])('refuses an Author creating a %s article, naming the condition', async (kind) => {
      const title = uniqueTitle(`author ${kind}`);
      expectRefused(await call('Author', 'create', { contentType: 'article', data: { title, kind } }), kindMessage);
      expect(await rowsOf(ARTICLE, { title })).toEqual([]);
    });

    it.each(['news', 'blog'])('lets an Author create a %s article', async (kind) => {
      const title = uniqueTitle(`author ${kind}`);
      const result = await call('Author', 'create', { contentType: 'article', data: { title, kind } });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(await rowsOf(ARTICLE, { title })).toEqual([expect.objectContaining({ kind })]);
    });

    it('takes the schema default (news) when an Author leaves kind out', async () => {
      const title = uniqueTitle('author default kind');
      const result = await call('Author', 'create', { contentType: 'article', data: { title } });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(await rowsOf(ARTICLE, { title })).toEqual([expect.objectContaining({ kind: 'news' })]);
    });

    it('refuses an Author updating their own article to press; the article keeps its kind', async () => {
      const own = await createArticle({ kind: 'blog' });
      expectRefused(
        await call('Author', 'update', { contentType: 'article', documentId: own.documentId, data: { kind: 'press' } }),
        kindMessage,
      );
      expect((await draftOf(ARTICLE, own.documentId)).kind).toBe('blog');
    });

    it('does not apply to a Publisher, who may write press articles', async () => {
      const title = uniqueTitle('publisher press');
      const result = await call('Publisher', 'create', { contentType: 'article', data: { title, kind: 'press' } });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(await rowsOf(ARTICLE, { title })).toEqual([expect.objectContaining({ kind: 'press' })]);
    });
  });

  describe('publishing needs the publish right, on create and update too', () => {
    const noPublish = /^role Author may not publish or unpublish article; allowed actions: create, read, update-own$/;

    it("refuses an Author's create with status published and creates nothing, not even a draft", async () => {
      const title = uniqueTitle('author published');
      const before = await documents(ARTICLE).count({});
      expectRefused(
        await call('Author', 'create', { contentType: 'article', data: { title, kind: 'news' }, status: 'published' }),
        noPublish,
      );
      expect(await rowsOf(ARTICLE, { title })).toEqual([]);
      expect(await documents(ARTICLE).count({})).toBe(before);
    });

    it("refuses an Author's update with status published and leaves the draft untouched", async () => {
      const own = await createArticle();
      expectRefused(
        await call('Author', 'update', {
          contentType: 'article',
          documentId: own.documentId,
          data: { title: 'published by an author' },
          status: 'published',
        }),
        noPublish,
      );
      expect(await rowsOf(ARTICLE, { documentId: own.documentId })).toEqual([
        expect.objectContaining({ title: own.title, publishedAt: null }),
      ]);
    });

    it('lets a Publisher create straight to published, stamped with the Publisher', async () => {
      const title = uniqueTitle('publisher published');
      const result = await call('Publisher', 'create', {
        contentType: 'article',
        data: { title },
        status: 'published',
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      const rows = await rowsOf(ARTICLE, { title });
      expect(rows).toHaveLength(2);
      expect(rows.filter((row) => row.publishedAt !== null)).toHaveLength(1);
      for (const row of rows) expect(row.createdBy.id).toBe(userIds['publisher@example.com']);
    });
  });

  describe('homepage, a localized single type', () => {
    afterEach(resetHomepage);

    it('re-creating a deleted locale adds it to the one homepage document, not a second document', async () => {
      const deleted = await call('Admin', 'delete', { contentType: 'homepage', locale: 'fr' });
      expect(deleted.isError, textOf(deleted)).toBeFalsy();
      const created = await call('Admin', 'create', {
        contentType: 'homepage',
        locale: 'fr',
        data: { title: 'Bonjour' },
      });
      expect(created.isError, textOf(created)).toBeFalsy();
      const documentIds = new Set(
        (await app.strapi.db.query(HOMEPAGE).findMany({ select: ['documentId'] })).map((row: Doc) => row.documentId),
      );
      // A single type is one document with one version per locale (as Strapi's Content Manager creates it).
      expect([...documentIds]).toEqual([homepageId]);
      expect(data(created).data).toMatchObject({ documentId: homepageId, locale: 'fr', title: 'Bonjour' });
    });
  });
});

describe('the locked condition on delete, for a non-Admin role that may delete', () => {
  // The default Publisher has no delete; give it one (and let the policy alone decide) to reach the condition.
  let deleteApp: TestApp;
  let publisher: ConnectedClient;
  beforeAll(async () => {
    deleteApp = await bootTestApp({
      pluginConfig: {
        enforceAdminPermissions: false,
        roles: {
          Admin: ['*'],
          Publisher: ['create', 'read', 'update', 'publish', 'delete'],
          Author: ['create', 'read', 'update-own'],
          Reader: ['read'],
        },
      },
    });
    publisher = await connectClient(
      deleteApp,
      await deleteApp.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1'),
    );
  });
  afterAll(async () => {
    await publisher?.close();
    await deleteApp?.close();
  });

  it('refuses a Publisher deleting a locked article, which stays; an unlocked one is deleted', async () => {
    const docs = (deleteApp.strapi as any).documents(ARTICLE);
    const locked = await docs.create({ data: { title: 'locked for delete', tenantId: 'org-1', locked: true } });
    const unlocked = await docs.create({ data: { title: 'unlocked for delete', tenantId: 'org-1' } });
    const refused = await publisher.callTool('delete_document', {
      contentType: 'article',
      documentId: locked.documentId,
    });
    expectRefused(
      refused,
      /^condition "locked-articles-admin-only" failed: this article is locked; only an Admin may change or delete it$/,
    );
    expect(await deleteApp.strapi.db.query(ARTICLE).count({ where: { documentId: locked.documentId } })).toBe(1);
    const allowed = await publisher.callTool('delete_document', {
      contentType: 'article',
      documentId: unlocked.documentId,
    });
    expect(allowed.isError, textOf(allowed)).toBeFalsy();
    expect(await deleteApp.strapi.db.query(ARTICLE).count({ where: { documentId: unlocked.documentId } })).toBe(0);
  });
});
