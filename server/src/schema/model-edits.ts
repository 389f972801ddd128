import type { Core } from '@strapi/strapi';
import { strings } from '@strapi/utils';
import { canonicalJson } from '../canonical-json';
import { McpToolError } from '../errors';
import type { AttributeChange, BuilderModel, ComponentChange, ContentTypeChange } from './content-type-builder';
import { attributeDataAtRisk, draftsAtRisk, otherLocalesAtRisk, type DataAtRisk } from './data-at-risk';

/**
 * Tool arguments turned into the Content-Type Builder's update-schema payload, the way its admin UI builds one: an
 * edited model is sent whole (every attribute it keeps, with `update`; new ones with `create`; removed ones with
 * `delete`), since the builder replaces a model's attributes with the ones it is sent.
 */

export type AttributeProperties = Record<string, unknown> & { type: string };

export interface AttributeEdits {
  add?: Record<string, AttributeProperties>;
  change?: Record<string, Record<string, unknown>>;
  rename?: Record<string, string>;
  remove?: string[];
}

export interface ModelSettingsEdits {
  displayName?: string;
  description?: string;
}

export interface ContentTypeEdits extends AttributeEdits, ModelSettingsEdits {
  draftAndPublish?: boolean;
  localized?: boolean;
  kind?: 'collectionType' | 'singleType';
}

export interface ComponentEdits extends AttributeEdits, ModelSettingsEdits {
  category?: string;
  icon?: string;
}

/** Models the builder must never write: Strapi's own, and this plugin's audit log. */
const PROTECTED = [/^admin::/, /^strapi::/, /^plugin::mcp-server\./];

export const assertEditable = (model: BuilderModel) => {
  if (PROTECTED.some((pattern) => pattern.test(model.uid)) || model.visible === false) {
    throw new McpToolError(
      `${model.uid} cannot be changed: it belongs to Strapi or to this plugin, or the Content-Type Builder hides it`,
      undefined,
      'denied',
    );
  }
};

const propertiesOf = (attribute: BuilderModel['attributes'][number]) => {
  const { name: _name, ...properties } = attribute;
  return properties as AttributeProperties;
};

const isLocalizable = (properties: Record<string, unknown>) => properties.type !== 'relation';
const withLocalization = (properties: AttributeProperties, localized: boolean): AttributeProperties => {
  if (!isLocalizable(properties)) return properties;
  const pluginOptions = { ...((properties.pluginOptions as Record<string, unknown>) ?? {}) };
  if (localized) {
    const i18n = pluginOptions.i18n as { localized?: boolean } | undefined;
    if (i18n?.localized !== undefined) return properties;
    pluginOptions.i18n = { localized: true };
  } else {
    delete pluginOptions.i18n;
  }
  return { ...properties, pluginOptions };
};

const isLocalizedModel = (model: { pluginOptions?: Record<string, unknown> }) =>
  (model.pluginOptions?.i18n as { localized?: boolean } | undefined)?.localized === true;

/**
 * The options that say where an attribute's values live (its kind, a relation's target and kind, a component, a
 * media field's multiplicity...): changing one while rows hold values loses them, or the links to them.
 */
const STRUCTURAL_OPTIONS = ['type', 'target', 'relation', 'component', 'repeatable', 'components', 'multiple'];

const structuralChanges = (before: Record<string, unknown>, after: Record<string, unknown>) =>
  STRUCTURAL_OPTIONS.filter((option) => canonicalJson(before[option]) !== canonicalJson(after[option])).map(
    (option) => `${option} from ${JSON.stringify(before[option] ?? null)} to ${JSON.stringify(after[option] ?? null)}`,
  );

/**
 * What the Content-Type Builder's validator does not check, and Strapi cannot boot without: the components and
 * content types that attributes point at exist (among the running models).
 */
export const assertTargetsExist = (
  strapi: Core.Strapi,
  attributes: Record<string, Record<string, unknown>>,
  /** A content type being created (its own relations may point at it), or the component edited (it cannot nest). */
  self?: { contentType?: string; component?: string },
) => {
  const missing: string[] = [];
  for (const [name, properties] of Object.entries(attributes)) {
    const components = [
      ...(typeof properties.component === 'string' ? [properties.component] : []),
      ...(Array.isArray(properties.components) ? (properties.components as unknown[]) : []),
    ];
    for (const uid of components) {
      if (uid === self?.component) {
        throw new McpToolError(`${name}: the component ${uid} cannot contain itself`);
      }
      if (typeof uid !== 'string' || !(uid in strapi.components)) missing.push(`${name}: component ${String(uid)}`);
    }
    const { target } = properties;
    if (properties.type === 'relation' && typeof target === 'string') assertRelationTarget(strapi, name, properties);
    if (
      properties.type === 'relation' &&
      typeof target === 'string' &&
      target !== self?.contentType &&
      !(target in strapi.contentTypes)
    ) {
      missing.push(`${name}: content type ${target}`);
    }
  }
  if (missing.length > 0) {
    throw new McpToolError(
      `These attributes point at models that do not exist (or are not loaded yet: create them first, and change this ` +
        `after the restart): ${missing.join('; ')}`,
    );
  }
};

/**
 * Relations may point at the models the Content-Type Builder offers as targets: not at this plugin's audit log or a
 * model it hides, and at Strapi's admin models one-way only (the builder's `restrictRelationsTo`).
 */
const assertRelationTarget = (strapi: Core.Strapi, name: string, properties: Record<string, unknown>) => {
  const target = properties.target as string;
  const model = strapi.contentTypes[target as never] as { pluginOptions?: Record<string, unknown> } | undefined;
  const hidden =
    (model?.pluginOptions?.['content-type-builder'] as { visible?: boolean } | undefined)?.visible === false;
  if (/^plugin::mcp-server\./.test(target) || /^strapi::/.test(target) || hidden) {
    throw new McpToolError(`${name}: ${target} cannot be the target of a relation`);
  }
  const twoWay = properties.targetAttribute !== undefined && properties.targetAttribute !== null;
  if (/^admin::/.test(target) && twoWay) {
    throw new McpToolError(`${name}: relations to ${target} are one-way: leave targetAttribute out`);
  }
};

/** The attribute list of an edited model, and the stored values the edits would drop. */
const editAttributes = async (
  strapi: Core.Strapi,
  model: BuilderModel,
  edits: AttributeEdits,
  localized: boolean,
): Promise<{ attributes: AttributeChange[]; dataAtRisk: DataAtRisk[] }> => {
  const current = new Map(model.attributes.map((attribute) => [attribute.name, propertiesOf(attribute)]));
  const named = (names: string[], what: string) => {
    const unknown = names.filter((name) => !current.has(name));
    if (unknown.length > 0) {
      throw new McpToolError(
        `${model.uid} has no attribute ${unknown.join(', ')} to ${what}; its attributes: ${[...current.keys()].join(', ')}`,
      );
    }
  };
  const renamed = Object.entries(edits.rename ?? {});
  const removed = edits.remove ?? [];
  named(Object.keys(edits.change ?? {}), 'change');
  named(
    renamed.map(([from]) => from),
    'rename',
  );
  named(removed, 'remove');
  const touched = [...Object.keys(edits.change ?? {}), ...renamed.map(([from]) => from), ...removed];
  const twice = touched.filter((name, index) => touched.indexOf(name) !== index);
  if (twice.length > 0) throw new McpToolError(`edit ${[...new Set(twice)].join(', ')} once: change, rename or remove`);
  const taken = [...Object.keys(edits.add ?? {}), ...renamed.map(([, to]) => to)].filter(
    (name) => current.has(name) && !removed.includes(name) && !renamed.some(([from]) => from === name),
  );
  if (taken.length > 0) throw new McpToolError(`${model.uid} already has an attribute ${taken.join(', ')}`);
  const locked = touched.filter((name) => current.get(name)?.configurable === false);
  if (locked.length > 0) {
    throw new McpToolError(
      `${model.uid}: ${locked.join(', ')} cannot be changed, renamed or removed: its plugin locks it (configurable: ` +
        'false), and the Content-Type Builder keeps it as it is',
    );
  }

  assertTargetsExist(
    strapi,
    {
      ...(edits.add ?? {}),
      ...Object.fromEntries(
        Object.entries(edits.change ?? {}).map(([name, change]) => [name, { ...current.get(name), ...change }]),
      ),
    },
    model.modelType === 'component' ? { component: model.uid } : {},
  );
  const dataAtRisk: DataAtRisk[] = [];
  const attributes: AttributeChange[] = [];
  for (const [name, properties] of current) {
    const change = edits.change?.[name];
    const newName = edits.rename?.[name];
    if (removed.includes(name)) {
      attributes.push({ action: 'delete', name });
      dataAtRisk.push(...(await attributeDataAtRisk(strapi, model.uid, name, 'removed')));
    } else if (newName) {
      // Like the Content-Type Builder, a rename is a new attribute: stored values stay under the old column name.
      attributes.push({ action: 'delete', name });
      attributes.push({ action: 'create', name: newName, properties: { ...properties, ...change } as never });
      dataAtRisk.push(...(await attributeDataAtRisk(strapi, model.uid, name, `renamed to ${newName}`)));
    } else if (change) {
      const retyped = typeof change.type === 'string' && change.type !== properties.type;
      const changed = retyped ? (change as AttributeProperties) : { ...properties, ...change };
      attributes.push({ action: 'update', name, properties: changed });
      const reshaped = structuralChanges(properties, changed);
      if (reshaped.length > 0) {
        dataAtRisk.push(...(await attributeDataAtRisk(strapi, model.uid, name, `changed ${reshaped.join(', ')}`)));
      }
    } else {
      attributes.push({ action: 'update', name, properties });
    }
  }
  for (const [name, properties] of Object.entries(edits.add ?? {})) {
    attributes.push({
      action: 'create',
      name,
      properties: localized ? withLocalization(properties, true) : properties,
    });
  }
  return { attributes, dataAtRisk };
};

/** Attribute definitions of a new model, in the builder's create form. */
export const createdAttributes = (attributes: Record<string, AttributeProperties>, localized: boolean) =>
  Object.entries(attributes).map(
    ([name, properties]): AttributeChange => ({
      action: 'create',
      name,
      properties: localized ? withLocalization(properties, true) : properties,
    }),
  );

export const contentTypeUidFor = (singularName: string) => `api::${singularName}.${singularName}`;
export const componentUidFor = (category: string, displayName: string) =>
  `${strings.nameToSlug(category)}.${strings.nameToSlug(displayName)}`;

export const editContentType = async (
  strapi: Core.Strapi,
  model: BuilderModel,
  edits: ContentTypeEdits,
): Promise<{ change: ContentTypeChange; dataAtRisk: DataAtRisk[] }> => {
  assertEditable(model);
  const wasLocalized = isLocalizedModel(model);
  const localized = edits.localized ?? wasLocalized;
  const wasDraftAndPublish = model.options?.draftAndPublish === true;
  const draftAndPublish = edits.draftAndPublish ?? wasDraftAndPublish;
  const { attributes, dataAtRisk } = await editAttributes(strapi, model, edits, localized);
  if (localized !== wasLocalized) {
    for (const attribute of attributes) {
      if (attribute.action !== 'delete')
        attribute.properties = withLocalization(attribute.properties as never, localized);
    }
    if (!localized) dataAtRisk.push(...(await otherLocalesAtRisk(strapi, model.uid)));
  }
  if (wasDraftAndPublish && !draftAndPublish) dataAtRisk.push(...(await draftsAtRisk(strapi, model.uid)));
  const pluginOptions = { ...(model.pluginOptions ?? {}) };
  if (localized) pluginOptions.i18n = { ...((pluginOptions.i18n as object) ?? {}), localized: true };
  else delete pluginOptions.i18n;
  return {
    change: {
      action: 'update',
      uid: model.uid,
      kind: edits.kind ?? model.kind,
      displayName: edits.displayName ?? model.info.displayName,
      description: edits.description ?? model.info.description ?? '',
      draftAndPublish,
      options: { ...(model.options ?? {}), draftAndPublish },
      pluginOptions,
      attributes,
    },
    dataAtRisk,
  };
};

export const editComponent = async (
  strapi: Core.Strapi,
  model: BuilderModel,
  edits: ComponentEdits,
): Promise<{ change: ComponentChange; dataAtRisk: DataAtRisk[] }> => {
  assertEditable(model);
  const { attributes, dataAtRisk } = await editAttributes(strapi, model, edits, false);
  return {
    change: {
      action: 'update',
      uid: model.uid,
      displayName: edits.displayName ?? model.info.displayName,
      category: edits.category ?? model.category,
      ...((edits.icon ?? model.info.icon) ? { icon: edits.icon ?? model.info.icon } : {}),
      description: edits.description ?? model.info.description ?? '',
      attributes,
    },
    dataAtRisk,
  };
};

/** Where a component is used: the models with a component or dynamic zone attribute naming it. */
export const usesOfComponent = (models: BuilderModel[], uid: string): Array<{ model: string; attribute: string }> =>
  models.flatMap((model) =>
    model.attributes
      .filter(
        (attribute) =>
          (attribute.type === 'component' && attribute.component === uid) ||
          (attribute.type === 'dynamiczone' && (attribute.components as string[] | undefined)?.includes(uid)),
      )
      .map((attribute) => ({ model: model.uid, attribute: attribute.name })),
  );

/** Relations of other models that point at a content type, which the builder removes with it. */
export const relationsTo = (models: BuilderModel[], uid: string) =>
  models
    .filter((model) => model.uid !== uid)
    .flatMap((model) =>
      model.attributes
        .filter((attribute) => attribute.type === 'relation' && attribute.target === uid)
        .map((attribute) => ({ model: model.uid, attribute: attribute.name })),
    );
