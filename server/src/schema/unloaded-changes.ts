import fs from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { canonicalJson } from '../canonical-json';

/**
 * The model files that say something else than the models Strapi runs with: a schema change written and not yet
 * loaded (Strapi is restarting), or a file edited by hand. A change built on the running models would then write
 * back their stale state over it, so schema tools wait for the restart, as the Content-Type Builder does.
 */

interface LoadedModel {
  uid: string;
  apiName?: string;
  plugin?: string;
  category?: string;
  info: { singularName?: string };
  __schema__: Record<string, unknown>;
  __filename__?: string;
}

/** What Strapi keeps of a model file, and what the Content-Type Builder writes: anything else in a file is ignored. */
const MODEL_KEYS = new Set(['kind', 'collectionName', 'info', 'options', 'pluginOptions', 'attributes', 'config']);

/** Top-level keys left out or empty mean the same: compare without them. */
const comparable = (schema: Record<string, unknown>) =>
  canonicalJson(
    Object.fromEntries(
      Object.entries(schema).filter(
        ([key, value]) =>
          MODEL_KEYS.has(key) &&
          value !== undefined &&
          !(value && typeof value === 'object' && Object.keys(value).length === 0),
      ),
    ),
  );

const readJson = async (file: string): Promise<Record<string, unknown> | null | 'unreadable'> => {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'unreadable';
  }
};

const exists = (target: string) =>
  fs.stat(target).then(
    () => true,
    () => false,
  );

const listJson = async (dir: string, depth: number): Promise<string[]> => {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && depth > 0) found.push(...(await listJson(full, depth - 1)));
    else if (entry.isFile() && entry.name.endsWith('.json')) found.push(full);
  }
  return found;
};

export const unloadedModelChanges = async (strapi: Core.Strapi): Promise<string[]> => {
  const { app } = strapi.config.get('dirs') as { app: { root: string; api: string; components: string } };
  const differing: string[] = [];
  const expected = new Set<string>();
  const compare = async (file: string, model: LoadedModel) => {
    expected.add(file);
    const json = await readJson(file);
    if (json === null) return;
    if (json === 'unreadable' || comparable(json) !== comparable(model.__schema__)) differing.push(file);
  };

  for (const model of Object.values(strapi.contentTypes) as unknown as LoadedModel[]) {
    if (!model.uid.startsWith('api::') || !model.apiName || !model.info.singularName) continue;
    const apiDir = path.join(app.api, model.apiName);
    // A deleted API folder whose type still runs: deleted, not yet restarted.
    if (!(await exists(apiDir))) differing.push(apiDir);
    else await compare(path.join(apiDir, 'content-types', model.info.singularName, 'schema.json'), model);
  }
  for (const model of Object.values(strapi.components) as unknown as LoadedModel[]) {
    if (!model.category || !model.__filename__) continue;
    const file = path.join(app.components, model.category, model.__filename__);
    if (!(await exists(file))) differing.push(file);
    else await compare(file, model);
  }
  // Schema files of models not running yet: created, not yet restarted.
  const apiSchemas = (await listJson(app.api, 3)).filter((file) =>
    /[/\\]content-types[/\\][^/\\]+[/\\]schema\.json$/.test(file),
  );
  for (const file of [...apiSchemas, ...(await listJson(app.components, 1))]) {
    if (!expected.has(file)) differing.push(file);
  }
  return differing.map((file) => path.relative(app.root, file).split(path.sep).join('/'));
};
