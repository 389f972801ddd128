import type { Core } from '@strapi/strapi';
import { echo, McpToolError } from '../errors';
import type { TypePolicy } from '../services/policy';

const typeName = (type: TypePolicy) => type.schema.info.singularName;

/**
 * The locale of a call, checked against the installed locales (the Document Service would otherwise create a version
 * in any string it is given). Non-localized types take no locale; `*` (every locale) only where `allowAll`.
 */
export const resolveLocale = async (
  strapi: Core.Strapi,
  type: TypePolicy,
  locale: string | undefined,
  { allowAll = false } = {},
): Promise<string | undefined> => {
  if (locale === undefined) return undefined;
  if (!type.isLocalized) throw new McpToolError(`${typeName(type)} is not localized; leave locale out`);
  if (locale === '*' && allowAll) return '*';
  const installed = ((await strapi.plugin('i18n').service('locales').find()) as Array<{ code: string }>).map(
    (entry) => entry.code,
  );
  if (!installed.includes(locale)) {
    throw new McpToolError(
      `locale ${echo(locale)} is not installed; available: ${installed.join(', ')}${allowAll ? ', *' : ''}`,
    );
  }
  return locale;
};

/** Draft & publish status; types without draft & publish ignore it. */
export const resolveStatus = (type: TypePolicy, status: 'draft' | 'published' | undefined) =>
  type.hasDraftAndPublish ? status : undefined;

export const requireDraftAndPublish = (type: TypePolicy) => {
  if (!type.hasDraftAndPublish) throw new McpToolError(`${typeName(type)} has no draft & publish`);
};
