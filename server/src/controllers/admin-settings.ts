import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { ConfigurationError, type ConfigProblem } from '../config/config-problems';
import { ACTIONS } from '../config/policy-schema';
import { getService } from '../services/get-service';
import { POLICY_KEYS, policyView } from '../services/settings/admin-changes';
import { actorOf, asValidationError } from './admin-actor';

interface AttributeSchema {
  type: string;
  private?: boolean;
}

/** The app's own content types with the attributes a field rule, tenant field or condition may name. */
const contentTypeSchemas = (strapi: Core.Strapi) =>
  Object.values(strapi.contentTypes)
    .filter((schema) => schema.uid.startsWith('api::'))
    .map((schema) => ({
      uid: schema.uid,
      displayName: schema.info.displayName,
      kind: schema.kind,
      draftAndPublish: schema.options?.draftAndPublish === true,
      localized: (schema.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized === true,
      attributes: Object.entries(schema.attributes as Record<string, AttributeSchema>)
        .filter(([, attribute]) => !attribute.private && attribute.type !== 'password')
        .map(([name, attribute]) => ({ name, type: attribute.type })),
    }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));

/** Policy keys that are maps: the panel sends them as objects (the config file's list form of contentTypes excepted). */
const MAP_KEYS = ['contentTypes', 'roles', 'strapiRoles', 'limits'];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The Policy page's body: `{ policy }` holding policy keys only, each of the shape the page edits. */
const readPolicy = (ctx: Context): Record<string, unknown> => {
  const { policy } = (ctx.request.body ?? {}) as { policy?: unknown };
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw new ConfigurationError([{ path: [], message: 'send { policy: { … } }' }]);
  }
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(policy)) {
    if (!(POLICY_KEYS as readonly string[]).includes(key)) {
      problems.push({ path: [key], message: 'is not a policy setting of the admin panel' });
    } else if (value === null) {
      // The config file accepts a blank value as "unset"; from the panel it would silently reset the key.
      problems.push({ path: [key], message: 'must not be null' });
    } else if (MAP_KEYS.includes(key) && !isPlainObject(value)) {
      problems.push({ path: [key], message: 'must be an object' });
    } else if (key === 'contentTypes') {
      for (const [uid, type] of Object.entries(value as Record<string, unknown>)) {
        if (!isPlainObject(type)) problems.push({ path: [key, uid], message: 'must be an object' });
      }
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return policy as Record<string, unknown>;
};

/** Settings → MCP Server → Policy: the policy in force, the config file's, and changes to it. */
const createAdminSettingsController = ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = () => getService(strapi, 'settings');

  const view = async () => {
    const { get, baseline, policyOverridden, lastPolicyChange } = settings();
    const change = lastPolicyChange();
    const strapiRoles = (await strapi.db.query('admin::role').findMany({ select: ['code', 'name'] })) as Array<{
      code: string;
      name: string;
    }>;
    return {
      policy: policyView(get()),
      baseline: policyView(baseline()),
      overridden: policyOverridden(),
      updatedAt: change?.at ?? null,
      updatedBy: change?.by.email ?? null,
      hardLimits: { limits: baseline().limits, readOnly: baseline().readOnly },
      schemas: contentTypeSchemas(strapi),
      strapiRoles: strapiRoles.map(({ code, name }) => ({ code, name })),
      actions: ACTIONS,
    };
  };

  return {
    async show(ctx: Context) {
      ctx.body = { data: await view() };
    },

    /** The changes a save would make, leaf by leaf, shown before saving; refused field by field when invalid. */
    async preview(ctx: Context) {
      try {
        ctx.body = { data: { changes: settings().preview(readPolicy(ctx)) } };
      } catch (error) {
        asValidationError(error);
      }
    },

    async save(ctx: Context) {
      try {
        await settings().save(readPolicy(ctx), actorOf(ctx));
      } catch (error) {
        asValidationError(error);
      }
      ctx.body = { data: await view() };
    },

    async reset(ctx: Context) {
      await settings().resetPolicy(actorOf(ctx));
      ctx.body = { data: await view() };
    },
  };
};

export default createAdminSettingsController;
