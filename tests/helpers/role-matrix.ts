/**
 * The role × action × content-type matrix of the playground policy, shared by tests/api/role-matrix-*.test.ts: the
 * roles, their users and tools, the expected cell of every role × action × type, and one boot of the default playground
 * with a session per role (tenant org-1) plus the database reads and fixtures the tests check against.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll } from 'vitest';
import { connectClient, type ConnectedClient } from './mcp-client';
import { ARTICLE, CATEGORY, HOMEPAGE, documents, unique, type Doc } from './results';
import { bootTestApp, type TestApp } from './test-app';
import { AUTHOR_TOOLS, MUTATION_TOOLS, READ_TOOLS } from './tool-names';

export type Role = 'Admin' | 'Publisher' | 'Author' | 'Reader';
export type Action = 'find' | 'get' | 'create' | 'update' | 'delete' | 'publish' | 'unpublish';
export type TypeName = 'article' | 'category' | 'homepage';

export const ROLES: Role[] = ['Admin', 'Publisher', 'Author', 'Reader'];
export const ACTIONS: Action[] = ['find', 'get', 'create', 'update', 'delete', 'publish', 'unpublish'];
export const EMAILS: Record<Role, string> = {
  Admin: 'admin@example.com',
  Publisher: 'publisher@example.com',
  Author: 'author1@example.com',
  Reader: 'reader@example.com',
};
export const TOOLS: Record<Action, string> = {
  find: 'find_documents',
  get: 'get_document',
  create: 'create_document',
  update: 'update_document',
  delete: 'delete_document',
  publish: 'publish_document',
  unpublish: 'unpublish_document',
};

export const EXPECTED_TOOLS: Record<Role, string[]> = {
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
export type Cell = 'allowed' | RegExp;
const ok: Cell = 'allowed';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The policy's refusal: names the role, the action and what the role may do instead. */
const denied = (role: Role, verb: string, type: TypeName, allowed: string): Cell =>
  new RegExp(`^${escape(`role ${role} may not ${verb} ${type}; allowed actions: ${allowed}`)}$`);
/** tools/list never showed the tool to this role, so it does not exist in the session. */
export const noTool = (action: Action): Cell => new RegExp(`Tool ${TOOLS[action]} not found`);

export const MATRIX: Record<TypeName, Record<Action, Record<Role, Cell>>> = {
  article: {
    find: { Admin: ok, Publisher: ok, Author: ok, Reader: ok },
    get: { Admin: ok, Publisher: ok, Author: ok, Reader: ok },
    create: { Admin: ok, Publisher: ok, Author: ok, Reader: noTool('create') },
    // The Author's target is an article they created (update-own); the other-author case is in role-matrix-rules.
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

export const HOMEPAGE_SEED: Record<'en' | 'fr', Doc> = {
  en: { title: 'Welcome to the playground', intro: 'News, guides and stories.', heroCta: 'Read the latest' },
  fr: {
    title: 'Bienvenue sur le playground',
    intro: 'Actualités, guides et histoires.',
    heroCta: 'Lire les nouveautés',
  },
};

/** The structured content of a result, as it is (no check of isError). */
export const data = (result: CallToolResult) => result.structuredContent as Doc;

export interface RoleMatrix {
  readonly app: TestApp;
  /** The one homepage document (en and fr). */
  readonly homepageId: string;
  /** One session per role, tenant org-1. */
  sessions: Record<Role, ConnectedClient>;
  /** Admin user ids by email. */
  userIds: Record<string, number>;
  call(role: Role, action: Action, args: Record<string, unknown>): Promise<CallToolResult>;
  /** Every row (draft and published, every locale) of a document, with its creator and last editor. */
  rowsOf(uid: string, where: Doc): Promise<Doc[]>;
  draftOf(uid: string, documentId: string, locale?: string): Promise<Doc>;
  publishedOf(uid: string, documentId: string, locale?: string): Promise<Doc>;
  /** An article of org-1 created directly in Strapi, as if its owner had written it. */
  createArticle(options?: {
    owner?: string;
    tenant?: string;
    published?: boolean;
    locked?: boolean;
    kind?: string;
  }): Promise<Doc>;
  createCategory(): Promise<Doc>;
  /** Puts the homepage back as seeded: one document, en and fr, each published with its seed values. */
  resetHomepage(): Promise<void>;
}

/**
 * Boots the default playground for the enclosing describe (beforeAll/afterAll), with a session per role in org-1.
 * Call it inside a describe block; `app` and `homepageId` are set once the boot ran.
 */
export const bootRoleMatrix = (): RoleMatrix => {
  let app: TestApp;
  let homepageId: string;
  const sessions = {} as Record<Role, ConnectedClient>;
  const userIds = {} as Record<string, number>;

  beforeAll(async () => {
    app = await bootTestApp();
    for (const user of await app.strapi.db.query('admin::user').findMany({ select: ['id', 'email'] })) {
      userIds[user.email] = user.id;
    }
    for (const role of ROLES) {
      sessions[role] = await connectClient(app, await app.idp.tokenFor(EMAILS[role], role, 'org-1'));
    }
    homepageId = (await documents(app, HOMEPAGE).findFirst({ locale: 'en' })).documentId;
  });
  afterAll(async () => {
    for (const session of Object.values(sessions)) await session?.close();
    await app?.close();
  });

  const rowsOf = (uid: string, where: Doc): Promise<Doc[]> =>
    app.strapi.db.query(uid as never).findMany({ where, populate: ['createdBy', 'updatedBy'], orderBy: { id: 'asc' } });

  return {
    get app() {
      return app;
    },
    get homepageId() {
      return homepageId;
    },
    sessions,
    userIds,
    call: (role, action, args) => sessions[role].callTool(TOOLS[action], args),
    rowsOf,
    draftOf: async (uid, documentId, locale) =>
      (await rowsOf(uid, { documentId, publishedAt: null, ...(locale ? { locale } : {}) }))[0],
    publishedOf: async (uid, documentId, locale) =>
      (await rowsOf(uid, { documentId, publishedAt: { $notNull: true }, ...(locale ? { locale } : {}) }))[0],
    createArticle: async (options = {}) => {
      const owner = userIds[options.owner ?? 'author1@example.com'];
      return documents(app, ARTICLE).create({
        data: {
          title: unique('fixture'),
          kind: options.kind ?? 'news',
          locked: options.locked ?? false,
          tenantId: options.tenant ?? 'org-1',
          createdBy: owner,
          updatedBy: owner,
        },
        status: options.published ? 'published' : 'draft',
      });
    },
    createCategory: async () => documents(app, CATEGORY).create({ data: { name: unique('category') } }),
    resetHomepage: async () => {
      const rows = await app.strapi.db.query(HOMEPAGE).findMany({ select: ['documentId'] });
      for (const stray of new Set(rows.map((row: Doc) => row.documentId).filter((id: string) => id !== homepageId))) {
        await documents(app, HOMEPAGE).delete({ documentId: stray, locale: '*' });
      }
      for (const locale of ['en', 'fr'] as const) {
        await documents(app, HOMEPAGE).update({ documentId: homepageId, locale, data: HOMEPAGE_SEED[locale] });
        await documents(app, HOMEPAGE).publish({ documentId: homepageId, locale });
      }
    },
  };
};
