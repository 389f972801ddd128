import path from 'node:path';
import type { Core } from '@strapi/strapi';

/**
 * The Content-Type Builder's own code, as its `POST /content-type-builder/update-schema` route runs it: the same
 * validation (`validateUpdateSchema`, a zod schema of every attribute kind, reserved names, relations, draft & publish
 * rules) and the same service (`schema.updateSchema`), so the files written are the ones the Content-Type Builder
 * writes. The validator is not among the package's exports; it is loaded from the installed package (pinned with
 * `@strapi/strapi`).
 */

/** One attribute of the Content-Type Builder's update-schema payload. */
export type AttributeChange =
  | { action: 'create' | 'update'; name: string; properties: Record<string, unknown> }
  | { action: 'delete'; name: string };

export interface ContentTypeChange {
  action: 'create' | 'update' | 'delete';
  uid: string;
  [key: string]: unknown;
}

export interface ComponentChange {
  action: 'create' | 'update' | 'delete';
  uid: string;
  [key: string]: unknown;
}

export interface SchemaChangePayload {
  contentTypes: ContentTypeChange[];
  components: ComponentChange[];
}

/** The content-type builder's view of the model, as its admin UI reads it (`GET /content-type-builder/schema`). */
export interface BuilderModel {
  uid: string;
  kind?: string;
  modelType: 'contentType' | 'component';
  plugin?: string;
  category?: string;
  collectionName: string;
  info: { displayName: string; singularName?: string; pluralName?: string; description?: string; icon?: string };
  options?: Record<string, unknown>;
  pluginOptions?: Record<string, unknown>;
  attributes: Array<Record<string, unknown> & { name: string; type: string }>;
  visible?: boolean;
}

interface SchemaService {
  getSchema(): Promise<{ contentTypes: Record<string, BuilderModel>; components: Record<string, BuilderModel> }>;
  updateSchema(data: SchemaChangePayload): Promise<void>;
}

type Validate = (body: unknown) => Promise<{ data: SchemaChangePayload }>;

let validator: Validate | undefined;

const loadValidator = (): Validate => {
  if (!validator) {
    const root = path.dirname(require.resolve('@strapi/content-type-builder/package.json'));
    // The Content-Type Builder's own module, from the package Strapi itself loaded.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(path.join(root, 'dist', 'server', 'controllers', 'validation', 'schema.js')) as {
      validateUpdateSchema: Validate;
    };
    validator = loaded.validateUpdateSchema;
  }
  return validator;
};

export const contentTypeBuilderOf = (strapi: Core.Strapi) => {
  const plugin = strapi.plugin('content-type-builder');
  if (!plugin) throw new Error('the Content-Type Builder plugin is not loaded');
  const schema = plugin.service('schema') as unknown as SchemaService;
  return {
    getSchema: () => schema.getSchema(),
    /** Validates like the update-schema route; a refusal is the Content-Type Builder's own ValidationError. */
    validate: async (payload: SchemaChangePayload) => (await loadValidator()({ data: payload })).data,
    write: (payload: SchemaChangePayload) => schema.updateSchema(payload),
  };
};

export type ContentTypeBuilder = ReturnType<typeof contentTypeBuilderOf>;
