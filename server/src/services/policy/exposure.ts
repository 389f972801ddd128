import type { Core, Struct } from '@strapi/strapi';

/** Types no configuration can expose: admin users and roles, Strapi internals, end-user accounts, this plugin's own. */
const INTERNAL_UID_PREFIXES = ['admin::', 'strapi::', 'plugin::users-permissions.', 'plugin::mcp-server.'];

export const isInternalContentType = (uid: string) => INTERNAL_UID_PREFIXES.some((prefix) => uid.startsWith(prefix));

/** Finds a content type by uid (`api::article.article`) or singular name (`article`). */
export const findContentTypeUid = (strapi: Core.Strapi, reference: string): string | undefined => {
  if (strapi.contentTypes[reference as keyof typeof strapi.contentTypes]) return reference;
  const matches = Object.values(strapi.contentTypes).filter(
    (contentType) => contentType.info.singularName === reference && !isInternalContentType(contentType.uid),
  );
  return matches.length === 1 ? matches[0].uid : undefined;
};

/**
 * The content types MCP may ever reach: those named in `contentTypes`, resolved to uids.
 * Unknown or internal types stop the boot, naming the key, rather than being silently dropped.
 */
export const resolveExposedContentTypes = (
  strapi: Core.Strapi,
  configured: Record<string, unknown>,
): Map<string, Struct.ContentTypeSchema> => {
  const exposed = new Map<string, Struct.ContentTypeSchema>();
  for (const reference of Object.keys(configured)) {
    const uid = findContentTypeUid(strapi, reference);
    if (!uid) throw new Error(`invalid mcp-server configuration: contentTypes.${reference}: no such content type`);
    if (isInternalContentType(uid)) {
      throw new Error(`invalid mcp-server configuration: contentTypes.${reference}: internal types are never exposed`);
    }
    exposed.set(uid, strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as Struct.ContentTypeSchema);
  }
  return exposed;
};
