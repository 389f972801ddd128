/**
 * One scenario per cell of the role matrix (tests/helpers/role-matrix.ts): it calls the tool as the role and returns
 * the answer with a check of the database for that outcome (allowed, or refused and nothing changed).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { ARTICLE, CATEGORY, HOMEPAGE, documents, unique, type Doc } from './results';
import { EMAILS, HOMEPAGE_SEED, data, type Action, type Role, type RoleMatrix, type TypeName } from './role-matrix';

/** Calls the tool as the role and returns the answer with a check of the database for that outcome. */
export type Scenario = (role: Role) => Promise<{ result: CallToolResult; verify: (allowed: boolean) => Promise<void> }>;

/** The scenarios of every cell, run against the boot of `matrix` (read when a scenario runs). */
export const scenarios = (matrix: RoleMatrix): Record<TypeName, Record<Action, Scenario>> => {
  const { call, rowsOf, draftOf, publishedOf, createArticle, createCategory, userIds } = matrix;
  const app = () => matrix.app;
  return {
    article: {
      find: async (role) => {
        const result = await call(role, 'find', { contentType: 'article', pageSize: 100, withCount: true });
        return {
          result,
          verify: async () => {
            const { data: found, meta } = data(result);
            const inTenant = await documents(app(), ARTICLE).count({ filters: { tenantId: 'org-1' } });
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
        const title = unique(`create by ${role}`);
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
        const title = unique(`update by ${role}`);
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
        const result = await call(role, 'find', { contentType: 'category', pageSize: 100, withCount: true });
        return {
          result,
          verify: async () => {
            // Not tenant-aware: every category, the same for every tenant.
            const total = await documents(app(), CATEGORY).count({});
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
        const name = unique(`create by ${role}`);
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
        const name = unique(`update by ${role}`);
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
              expect.objectContaining({ documentId: matrix.homepageId, locale: 'en', title: HOMEPAGE_SEED.en.title }),
            ]);
          },
        };
      },
      get: async (role) => {
        const result = await call(role, 'get', { contentType: 'homepage', locale: 'fr' });
        return {
          result,
          verify: async () => {
            expect(data(result).data).toMatchObject({
              documentId: matrix.homepageId,
              locale: 'fr',
              ...HOMEPAGE_SEED.fr,
            });
          },
        };
      },
      create: async (role) => {
        const title = unique(`homepage by ${role}`);
        const result = await call(role, 'create', { contentType: 'homepage', data: { title } });
        return {
          result,
          verify: async (allowed) => {
            expect(allowed).toBe(false);
            expect(await rowsOf(HOMEPAGE, { title })).toEqual([]);
            expect(await rowsOf(HOMEPAGE, { documentId: { $ne: matrix.homepageId } })).toEqual([]);
          },
        };
      },
      update: async (role) => {
        const title = unique(`homepage by ${role}`);
        const result = await call(role, 'update', { contentType: 'homepage', locale: 'fr', data: { title } });
        return {
          result,
          verify: async (allowed) => {
            const draft = await draftOf(HOMEPAGE, matrix.homepageId, 'fr');
            expect(draft.title).toBe(allowed ? title : HOMEPAGE_SEED.fr.title);
            if (allowed) expect(draft.updatedBy.id).toBe(userIds[EMAILS[role]]);
            // Only the draft of that locale changes.
            expect((await publishedOf(HOMEPAGE, matrix.homepageId, 'fr')).title).toBe(HOMEPAGE_SEED.fr.title);
            expect((await draftOf(HOMEPAGE, matrix.homepageId, 'en')).title).toBe(HOMEPAGE_SEED.en.title);
          },
        };
      },
      delete: async (role) => {
        const result = await call(role, 'delete', { contentType: 'homepage', locale: 'fr' });
        return {
          result,
          verify: async (allowed) => {
            expect(await rowsOf(HOMEPAGE, { documentId: matrix.homepageId, locale: 'fr' })).toHaveLength(
              allowed ? 0 : 2,
            );
            expect(await rowsOf(HOMEPAGE, { documentId: matrix.homepageId, locale: 'en' })).toHaveLength(2);
          },
        };
      },
      publish: async (role) => {
        const title = unique(`homepage draft for ${role}`);
        await documents(app(), HOMEPAGE).update({ documentId: matrix.homepageId, locale: 'en', data: { title } });
        const result = await call(role, 'publish', { contentType: 'homepage', locale: 'en' });
        return {
          result,
          verify: async (allowed) => {
            expect((await publishedOf(HOMEPAGE, matrix.homepageId, 'en')).title).toBe(
              allowed ? title : HOMEPAGE_SEED.en.title,
            );
          },
        };
      },
      unpublish: async (role) => {
        const result = await call(role, 'unpublish', { contentType: 'homepage', locale: 'fr' });
        return {
          result,
          verify: async (allowed) => {
            const published = await publishedOf(HOMEPAGE, matrix.homepageId, 'fr');
            if (allowed) expect(published).toBeUndefined();
            else expect(published).toMatchObject(HOMEPAGE_SEED.fr);
            expect(await draftOf(HOMEPAGE, matrix.homepageId, 'fr')).toMatchObject(HOMEPAGE_SEED.fr);
            expect(await publishedOf(HOMEPAGE, matrix.homepageId, 'en')).toMatchObject(HOMEPAGE_SEED.en);
          },
        };
      },
    },
  };
};
