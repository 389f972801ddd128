import type { Core, Struct } from '@strapi/strapi';
import { readPluginConfig } from '../../config/read-plugin-config';
import { resolveExposedContentTypes } from './exposure';

const createPolicyService = ({ strapi }: { strapi: Core.Strapi }) => {
  let exposed: Map<string, Struct.ContentTypeSchema> | undefined;

  return {
    /** Content types listed in `contentTypes`, by uid. Resolved once; bootstrap calls it so a bad entry stops the boot. */
    exposedContentTypes(): Map<string, Struct.ContentTypeSchema> {
      exposed ??= resolveExposedContentTypes(strapi, readPluginConfig(strapi).contentTypes);
      return exposed;
    },
  };
};

export default createPolicyService;
export type PolicyService = ReturnType<typeof createPolicyService>;
