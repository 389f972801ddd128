/**
 * Media tools (type read from the bytes, size cap, sanitized names, uploaded as the caller) and the built-in
 * resources (strapi://instance, strapi://content-types/{uid}) as each caller sees them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64');
const EXE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00this program cannot be run in DOS mode', 'latin1').toString(
  'base64',
);
const FILE = 'plugin::upload.file';

let app: TestApp;
let author: ConnectedClient;
let reader: ConnectedClient;

const text = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text;
const fileCount = () => app.strapi.db.query(FILE).count();

beforeAll(async () => {
  app = await bootTestApp({ pluginConfig: { media: { maxBytes: 2048 } } });
  author = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
  reader = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
});
afterAll(async () => {
  await author?.close();
  await reader?.close();
  await app?.close();
});

describe('upload_media', () => {
  it('uploads a PNG as the calling admin user, and list_media shows it', async () => {
    const result = await author.callTool('upload_media', {
      filename: 'pixel.png',
      base64: PNG_1X1,
      alternativeText: 'A red pixel',
    });
    expect(result.isError).toBeFalsy();
    const file = (result.structuredContent as { data: Record<string, unknown> }).data;
    expect(file).toMatchObject({ name: 'pixel.png', mime: 'image/png', alternativeText: 'A red pixel' });
    const stored = await app.strapi.db
      .query(FILE)
      .findOne({ where: { id: file.id }, populate: ['createdBy', 'updatedBy'] });
    const author1 = await app.strapi.db.query('admin::user').findOne({ where: { email: 'author1@example.com' } });
    expect(stored.createdBy.id).toBe(author1.id);
    expect(stored.updatedBy.id).toBe(author1.id);
    const listed = await reader.callTool('list_media', { mime: 'image/' });
    const names = (listed.structuredContent as { data: Array<{ name: string }> }).data.map((entry) => entry.name);
    expect(names).toContain('pixel.png');
    expect(JSON.stringify(listed)).not.toMatch(/provider_metadata|createdBy|hash/);
  });

  it('accepts a PDF and fixes an extension that lies about the type', async () => {
    const result = await author.callTool('upload_media', { filename: 'report.png', base64: PDF });
    expect((result.structuredContent as { data: { name: string; mime: string } }).data).toMatchObject({
      name: 'report.pdf',
      mime: 'application/pdf',
    });
  });

  it.each([
    ['an SVG (scripts inside images are off by default)', 'logo.svg', SVG, /not allowed \(image\/svg\+xml\)/],
    ['an executable named .png', 'innocent.png', EXE, /not allowed; allowed:/],
    ['text that is not base64', 'x.png', 'not base64 at all!', /not valid base64/],
  ])('refuses %s, storing nothing', async (_label, filename, base64, message) => {
    const before = await fileCount();
    const result = await author.callTool('upload_media', { filename, base64 });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(message);
    expect(await fileCount()).toBe(before);
  });

  it('refuses a file over the size cap', async () => {
    const big = Buffer.concat([Buffer.from(PNG_1X1, 'base64'), Buffer.alloc(4096)]).toString('base64');
    const result = await author.callTool('upload_media', { filename: 'big.png', base64: big });
    expect(text(result)).toMatch(/exceeds the 2048-byte limit/);
  });

  it('sanitizes the file name: no path, no control or shell characters', async () => {
    const result = await author.callTool('upload_media', {
      filename: '../../etc/pa$$wd;rm -rf\u0000.png',
      base64: PNG_1X1,
    });
    const { name } = (result.structuredContent as { data: { name: string } }).data;
    expect(name).not.toMatch(/[/\\$;]/);
    expect(name.includes('\u0000')).toBe(false);
    expect(name.endsWith('.png')).toBe(true);
    expect(name).toBe('pa-wd-rm -rf.png');
  });

  it('dry run: checks everything and stores nothing', async () => {
    const before = await fileCount();
    const result = await author.callTool('upload_media', { filename: 'pixel.png', base64: PNG_1X1, dryRun: true });
    expect(result.structuredContent).toMatchObject({
      dryRun: true,
      wouldUpload: { name: 'pixel.png', mime: 'image/png', size: 70 },
    });
    expect(await fileCount()).toBe(before);
  });

  it('is not offered to a Reader', async () => {
    const { tools } = await reader.client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain('upload_media');
    expect(tools.map((tool) => tool.name)).toContain('list_media');
  });
});

describe('resources', () => {
  it("strapi://instance tells versions, the caller's content types and the limits", async () => {
    const result = await reader.client.readResource({ uri: 'strapi://instance' });
    const instance = JSON.parse((result.contents[0] as { text: string }).text);
    expect(instance).toMatchObject({
      strapiVersion: '5.54.0',
      plugin: { name: 'strapi-plugin-mcp-server' },
      contentTypes: ['api::article.article', 'api::category.category', 'api::homepage.homepage'],
      readOnly: false,
      limits: { defaultPageSize: 25, maxPageSize: 100, maxPopulateDepth: 2, maxResponseBytes: 524288 },
    });
  });

  it('lists and reads strapi://content-types/{uid} as the caller sees the schema', async () => {
    const { resources } = await reader.client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual(
      expect.arrayContaining(['strapi://instance', 'strapi://content-types/api::article.article']),
    );
    const result = await reader.client.readResource({ uri: 'strapi://content-types/api::article.article' });
    const schema = JSON.parse((result.contents[0] as { text: string }).text);
    expect(schema.fields.title).toMatchObject({ readable: true, writable: false });
    expect(schema.fields).not.toHaveProperty('internalNotes');
    expect(schema.fields).not.toHaveProperty('reviewNotes');
  });

  it('completes content type uids', async () => {
    const completion = await reader.client.complete({
      ref: { type: 'ref/resource', uri: 'strapi://content-types/{uid}' },
      argument: { name: 'uid', value: 'api::c' },
    });
    expect(completion.completion.values).toEqual(['api::category.category']);
  });
});
