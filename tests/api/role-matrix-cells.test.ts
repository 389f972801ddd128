/**
 * The role × action × content-type matrix of the playground policy, run against the seeded data with tenant org-1.
 * Every cell is checked twice: by the answer (allowed, or refused with a message naming the role and the action, or
 * the tool simply absent for that role) and by the database afterwards. Around it: tools/list per role, unknown and
 * missing role claims, and the tenant scope of every role. The matrix and its scenarios live in
 * tests/helpers/role-matrix.ts and tests/helpers/role-matrix-scenarios.ts; the rules around the matrix (stamps,
 * update-own, locked articles, conditions, the publish right) are in role-matrix-rules.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient } from '../helpers/mcp-client';
import { ARTICLE, documents, expectRefused, textOf, unique } from '../helpers/results';
import { ACTIONS, EXPECTED_TOOLS, MATRIX, ROLES, bootRoleMatrix, type TypeName } from '../helpers/role-matrix';
import { scenarios } from '../helpers/role-matrix-scenarios';

describe('default playground policy', () => {
  const matrix = bootRoleMatrix();
  const { sessions, call, rowsOf, draftOf, createArticle, resetHomepage } = matrix;
  const SCENARIOS = scenarios(matrix);

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
      const { app } = matrix;
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
        const before = await documents(app, ARTICLE).count({});
        const title = unique('no role');
        for (const [tool, args] of [
          ['list_content_types', {}],
          ['find_documents', { contentType: 'article' }],
          ['get_document', { contentType: 'homepage' }],
          ['create_document', { contentType: 'article', data: { title } }],
          ['delete_document', { contentType: 'article', documentId: 'whatever' }],
        ] as const) {
          expectRefused(await session.callTool(tool, args), new RegExp(`Tool ${tool} not found`));
        }
        expect(await documents(app, ARTICLE).count({})).toBe(before);
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
});
