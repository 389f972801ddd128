import { mutationModeOf } from '../config/mutation-mode';
import { describeType } from '../content/describe';
import { createReadScope } from '../content/read-scope';
import type { McpResourceDefinition } from '../extension/definitions';
import pkg from '../../../package.json';

const json = (uri: URL, value: unknown) => ({
  contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
});

export const instanceResource: McpResourceDefinition = {
  name: 'strapi-instance',
  uri: 'strapi://instance',
  title: 'Strapi instance',
  description: 'Strapi and plugin versions, the content types you may use, and the limits that apply to your calls.',
  mimeType: 'application/json',
  read: async (uri, _variables, context) => {
    const { policy } = context;
    const { config } = policy;
    await policy.loadRbacGrants();
    return json(uri, {
      strapiVersion: context.strapi.config.get('info.strapi') ?? null,
      plugin: { name: pkg.name, version: pkg.version },
      contentTypes: policy.visibleTypes().map((type) => type.uid),
      readOnly: config.readOnly,
      mutations: mutationModeOf(context.strapi, config),
      limits: { ...config.limits, media: config.media },
    });
  },
};

export const contentTypeResource: McpResourceDefinition = {
  name: 'strapi-content-type',
  uriTemplate: 'strapi://content-types/{uid}',
  title: 'Content type schema',
  description: 'The schema of one content type as you see it: readable fields, marked writable or not.',
  mimeType: 'application/json',
  list: async ({ policy }) =>
    policy.visibleTypes().map((type) => ({
      uri: `strapi://content-types/${type.uid}`,
      name: type.schema.info.displayName,
      mimeType: 'application/json',
    })),
  complete: {
    uid: (value, { policy }) =>
      policy
        .visibleTypes()
        .map((type) => type.uid)
        .filter((uid) => uid.startsWith(value)),
  },
  read: async (uri, variables, context) => {
    const scope = createReadScope(context);
    const type = await scope.policy.resolveVisibleType(decodeURIComponent(String(variables.uid)));
    return json(uri, await describeType(scope, type));
  },
};

export const builtInResources = [instanceResource, contentTypeResource];
