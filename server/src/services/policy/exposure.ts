import type { Core, Struct } from '@strapi/strapi';
import { ConfigurationError } from '../../config/config-problems';

/** Types no configuration can expose: admin users and roles, Strapi internals, end-user accounts, this plugin's own. */
const INTERNAL_UID_PREFIXES = ['admin::', 'strapi::', 'plugin::users-permissions.', 'plugin::mcp-server.'];

export const isInternalContentType = (uid: string) => INTERNAL_UID_PREFIXES.some((prefix) => uid.startsWith(prefix));

/** Finds a content type by uid (`api::article.article`) or singular name (`article`). */
export const findContentTypeUid = (strapi: Core.Strapi, reference: string): string | undefined => {
  if (Object.hasOwn(strapi.contentTypes, reference)) return reference;
  const matches = Object.values(strapi.contentTypes).filter(
    (contentType) => contentType.info.singularName === reference && !isInternalContentType(contentType.uid),
  );
  return matches.length === 1 ? matches[0].uid : undefined;
};

/**
 * The content types MCP may ever reach: those named in `contentTypes`, resolved to uids.
 * Unknown, internal or duplicate entries stop the boot, naming the key, rather than being silently dropped.
 */
export const resolveExposedContentTypes = (
  strapi: Core.Strapi,
  configured: Record<string, unknown>,
): Array<{ reference: string; uid: string; schema: Struct.ContentTypeSchema }> => {
  const seen = new Set<string>();
  return Object.keys(configured).map((reference) => {
    const uid = findContentTypeUid(strapi, reference);
    if (!uid) throw new ConfigurationError([{ path: ['contentTypes', reference], message: 'no such content type' }]);
    if (isInternalContentType(uid)) {
      throw new ConfigurationError([
        { path: ['contentTypes', reference], message: 'internal types are never exposed' },
      ]);
    }
    if (seen.has(uid)) throw new ConfigurationError([{ path: ['contentTypes', reference], message: 'listed twice' }]);
    seen.add(uid);
    return {
      reference,
      uid,
      schema: strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as Struct.ContentTypeSchema,
    };
  });
};
