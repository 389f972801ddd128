/**
 * Findings 2, 4 and 9: the media library. A small file that declares a huge image is refused from its header before
 * Strapi decodes it; uploads run outside any database transaction, their audit row follows, and a file whose row
 * cannot be written is removed. Files belong to the uploader's tenant (a folder per tenant): other tenants never list,
 * attach or see them. A media value is a file id and nothing else, so the file checked is the file linked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import {
  ARTICLE,
  auditRows,
  type Doc,
  documents,
  expectOk,
  expectRefused,
  FILE,
  PNG_BASE64,
  seededArticle,
  textOf,
} from '../helpers/results';
import { blackPng } from '../helpers/png';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let author1: ConnectedClient;
let author2: ConnectedClient;
let noTenant: ConnectedClient;
let crossTenant: ConnectedClient;

const uploadsDir = () => path.join(app.strapi.dirs.static.public, 'uploads');
const filesOnDisk = () => (fs.existsSync(uploadsDir()) ? fs.readdirSync(uploadsDir()).length : 0);
const upload = (client: ConnectedClient, filename: string, base64 = PNG_BASE64) =>
  client.callTool('upload_media', { filename, base64 });
const listedNames = async (client: ConnectedClient) =>
  (expectOk(await client.callTool('list_media', { pageSize: 100 })).data as Doc[]).map((file) => file.name);

beforeAll(async () => {
  app = await bootTestApp({ pluginConfig: { crossTenantRoles: ['Admin'] } });
  author1 = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
  author2 = await connectClient(app, await app.idp.tokenFor('author2@example.com', 'Author', 'org-2'));
  noTenant = await connectClient(app, await app.idp.tokenFor('publisher@example.com', 'Publisher'));
  crossTenant = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin'));
});
afterAll(async () => {
  await Promise.all([author1, author2, noTenant, crossTenant].map((client) => client?.close()));
  await app?.close();
});

describe('image bombs', () => {
  it('refuses a 31 KB PNG that declares 16000×16000 pixels before Strapi decodes it: no row, no file', async () => {
    const bomb = blackPng(16_000, 16_000);
    expect(bomb.length).toBeLessThan(32 * 1024);
    expect(bomb.length).toBeGreaterThan(30 * 1024);
    const [rows, disk] = [await app.strapi.db.query(FILE).count(), filesOnDisk()];
    const started = performance.now();
    const result = await upload(author1, 'bomb.png', bomb.toString('base64'));
    expectRefused(result, 'the image declares 16000×16000 pixels, more than the 40000000-pixel limit');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await app.strapi.db.query(FILE).count()).toBe(rows);
    expect(filesOnDisk()).toBe(disk);
  });

  it('refuses an image whose header cannot be read', async () => {
    const truncated = blackPng(10, 10).subarray(0, 20);
    expectRefused(await upload(author1, 'broken.png', truncated.toString('base64')), /header cannot be read/);
  });

  it('runs the upload outside any database transaction, then writes its audit row', async () => {
    const seen: boolean[] = [];
    const subscriber = app.strapi.db.lifecycles.subscribe({
      models: [FILE],
      beforeCreate: () => void seen.push(app.strapi.db.inTransaction()),
    });
    try {
      const file = expectOk(await upload(author1, 'outside.png')).data;
      expect(seen).toEqual([false]);
      const [row] = (await auditRows(app, { tool: 'upload_media' })).filter(
        (entry) => entry.targetDocumentId === file.documentId,
      );
      expect(row).toMatchObject({ decision: 'allowed', action: 'create', contentType: FILE });
    } finally {
      (subscriber as unknown as () => void)();
    }
  });

  it('removes the uploaded file when its audit row cannot be written', async () => {
    const knex = app.strapi.db.connection;
    const rows = await app.strapi.db.query(FILE).count();
    await knex.schema.renameTable('mcp_audit_logs', 'mcp_audit_logs_away');
    try {
      const result = await upload(author1, 'unrecorded.png');
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /^The tool upload_media failed with an internal error \(reference [0-9a-f]{8}\)\.$/,
      );
    } finally {
      await knex.schema.renameTable('mcp_audit_logs_away', 'mcp_audit_logs');
    }
    expect(await app.strapi.db.query(FILE).count()).toBe(rows);
    expect(fs.readdirSync(uploadsDir()).some((name) => name.startsWith('unrecorded'))).toBe(false);
  });
});

describe('files belong to a tenant', () => {
  let own: Doc;
  let foreign: Doc;

  beforeAll(async () => {
    own = expectOk(await upload(author1, 'org1-logo.png')).data;
    foreign = expectOk(await upload(author2, 'org2-logo.png')).data;
  });

  it("lists the caller's tenant's files only", async () => {
    expect(await listedNames(author1)).toContain('org1-logo.png');
    expect(await listedNames(author1)).not.toContain('org2-logo.png');
    expect(await listedNames(author2)).toContain('org2-logo.png');
    expect(await listedNames(author2)).not.toContain('org1-logo.png');
  });

  it('files each tenant in its own folder of the media library', async () => {
    const stored = await app.strapi.db.query(FILE).findMany({
      where: { id: { $in: [own.id, foreign.id] } },
      populate: { folder: { populate: ['parent'] } },
      orderBy: { id: 'asc' },
    });
    expect(stored.map((file: Doc) => [file.folder.name, file.folder.parent.name])).toEqual([
      ['org-1', 'MCP tenants'],
      ['org-2', 'MCP tenants'],
    ]);
  });

  it("refuses to attach another tenant's file, and the article keeps its cover", async () => {
    const article = await seededArticle(app, 1);
    const before = await documents(app, ARTICLE).findOne({ documentId: article.documentId, populate: ['cover'] });
    const result = await author1.callTool('update_document', {
      contentType: 'article',
      documentId: article.documentId,
      data: { cover: foreign.id },
    });
    expectRefused(result, `media file ${foreign.id} not found`);
    const after = await documents(app, ARTICLE).findOne({ documentId: article.documentId, populate: ['cover'] });
    expect(after.cover?.id ?? null).toBe(before.cover?.id ?? null);
  });

  it("never shows another tenant's file through a document's media field", async () => {
    const article = await seededArticle(app, 1);
    await documents(app, ARTICLE).update({ documentId: article.documentId, data: { cover: foreign.id } });
    const read = expectOk(
      await author1.callTool('get_document', { contentType: 'article', documentId: article.documentId }),
    );
    expect(read.data.cover).toBeNull();
    expect(JSON.stringify(read)).not.toContain('org2-logo');
  });

  it('refuses a media value that names one file by id and another by documentId; the cover is unchanged', async () => {
    const article = await seededArticle(app, 5);
    await documents(app, ARTICLE).update({ documentId: article.documentId, data: { cover: own.id } });
    const result = await author1.callTool('update_document', {
      contentType: 'article',
      documentId: article.documentId,
      data: { cover: { id: own.id, documentId: foreign.documentId } },
    });
    expectRefused(result, 'data.cover: media takes file ids (numbers, or { id }) from list_media or upload_media');
    const after = await documents(app, ARTICLE).findOne({ documentId: article.documentId, populate: ['cover'] });
    expect(after.cover.id).toBe(own.id);
  });

  it('closes the media library to a token without a tenant claim', async () => {
    expectRefused(
      await noTenant.callTool('list_media', {}),
      /^the media library is split by tenant and your token carries no tenant claim/,
    );
    expectRefused(await upload(noTenant, 'x.png'), /^the media library is split by tenant/);
  });

  it('shows every file to a role that works across tenants', async () => {
    const names = await listedNames(crossTenant);
    expect(names).toEqual(expect.arrayContaining(['org1-logo.png', 'org2-logo.png']));
  });

  it('keeps files uploaded outside MCP (in no tenant folder) from tenant callers', async () => {
    const filepath = path.join(app.strapi.dirs.app.root, 'admin-upload.png');
    const bytes = Buffer.from(PNG_BASE64, 'base64');
    fs.writeFileSync(filepath, bytes);
    await app.strapi
      .plugin('upload')
      .service('upload')
      .upload({
        data: { fileInfo: { name: 'admin-upload.png' } },
        files: { filepath, originalFilename: 'admin-upload.png', mimetype: 'image/png', size: bytes.length },
      });
    expect(await listedNames(crossTenant)).toContain('admin-upload.png');
    expect(await listedNames(author1)).not.toContain('admin-upload.png');
    expect(await listedNames(author2)).not.toContain('admin-upload.png');
  });
});
