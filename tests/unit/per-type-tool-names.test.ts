/**
 * Names of the typed per-type tools: `<verb>_<stem>`, never a registered tool's name, never another type's, always
 * within MCP's tool-name pattern, whatever role asks and whatever order the types are configured in.
 */
import { describe, expect, it } from 'vitest';
import { perTypeToolNames, PER_TYPE_VERBS } from '../../server/src/tools/per-type/names';
import { READ_TOOLS, MUTATION_TOOLS } from '../helpers/tool-names';

const BUILT_IN = new Set([...READ_TOOLS, ...MUTATION_TOOLS]);
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const type = (uid: string, singularName = uid.slice(uid.lastIndexOf('.') + 1)) => ({ uid, singularName });
const stemsOf = (names: ReturnType<typeof perTypeToolNames>) =>
  Object.fromEntries([...names].map(([uid, byVerb]) => [uid, byVerb.get.slice('get_'.length)]));

describe('typed per-type tool names', () => {
  it('names a type by its singular name when nothing else claims it', () => {
    const names = perTypeToolNames([type('api::article.article'), type('api::category.category')], BUILT_IN);
    expect(names.get('api::article.article')).toEqual({
      list: 'list_article',
      get: 'get_article',
      create: 'create_article',
      update: 'update_article',
      delete: 'delete_article',
      publish: 'publish_article',
    });
    expect(names.get('api::category.category')?.list).toBe('list_category');
  });

  it('a type named document does not take get_document or any built-in tool', () => {
    const names = perTypeToolNames([type('api::document.document'), type('api::media.media')], BUILT_IN);
    expect(stemsOf(names)).toEqual({
      'api::document.document': 'document_document',
      'api::media.media': 'media_media',
    });
    for (const byVerb of names.values())
      for (const name of Object.values(byVerb)) expect(BUILT_IN.has(name)).toBe(false);
  });

  it("yields to another plugin's registered tool of the same name", () => {
    const names = perTypeToolNames([type('api::article.article')], new Set([...BUILT_IN, 'publish_article']));
    expect(names.get('api::article.article')?.get).toBe('get_article_article');
  });

  it('two tag types of different APIs or plugins are both qualified, not first come first served', () => {
    const names = perTypeToolNames([type('api::blog.tag'), type('plugin::shop.tag')], BUILT_IN);
    expect(stemsOf(names)).toEqual({ 'api::blog.tag': 'blog_tag', 'plugin::shop.tag': 'shop_tag' });
  });

  it('two tag types of an API and a plugin of the same name get a hash of their uid', () => {
    const names = perTypeToolNames([type('api::shop.tag'), type('plugin::shop.tag')], BUILT_IN);
    const stems = stemsOf(names);
    expect(stems['api::shop.tag']).toMatch(/^shop_tag_[0-9a-f]{8}$/);
    expect(stems['plugin::shop.tag']).toMatch(/^shop_tag_[0-9a-f]{8}$/);
    expect(stems['api::shop.tag']).not.toBe(stems['plugin::shop.tag']);
  });

  it("a qualified name never takes another type's plain one (blog_tag against blog-tag)", () => {
    const names = perTypeToolNames(
      [type('api::blog.tag'), type('plugin::shop.tag'), type('api::blog-tag.blog-tag')],
      BUILT_IN,
    );
    const stems = stemsOf(names);
    expect(stems['api::blog-tag.blog-tag']).toBe('blog_tag');
    expect(stems['api::blog.tag']).toMatch(/^blog_tag_[0-9a-f]{8}$/);
    expect(stems['plugin::shop.tag']).toBe('shop_tag');
  });

  it('turns hyphens into underscores and cuts long names to 64 characters with a hash', () => {
    const long = `api::${'x'.repeat(40)}.${'very-long-name-'.repeat(4)}`;
    const names = perTypeToolNames([type('api::blog-post.blog-post'), type(long)], BUILT_IN);
    expect(names.get('api::blog-post.blog-post')?.list).toBe('list_blog_post');
    for (const byVerb of names.values()) {
      for (const name of Object.values(byVerb)) expect(name).toMatch(TOOL_NAME);
    }
    expect(names.get(long)?.publish).toMatch(/_[0-9a-f]{8}$/);
  });

  it('gives every type a name of its own, the same whatever the order of the configuration', () => {
    const types = [
      type('api::tag.tag'),
      type('plugin::shop.tag'),
      type('api::shop.tag'),
      type('api::get.get'),
      type('api::document.document'),
      type('api::article.article'),
    ];
    const names = perTypeToolNames(types, BUILT_IN);
    const reversed = perTypeToolNames([...types].reverse(), BUILT_IN);
    expect(Object.fromEntries(reversed)).toEqual(Object.fromEntries(names));
    const all = [...names.values()].flatMap((byVerb) => PER_TYPE_VERBS.map((verb) => byVerb[verb]));
    expect(names.size).toBe(types.length);
    expect(new Set(all).size).toBe(all.length);
    for (const name of all) {
      expect(name).toMatch(TOOL_NAME);
      expect(BUILT_IN.has(name)).toBe(false);
    }
  });
});
