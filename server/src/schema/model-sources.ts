import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { canonicalJson } from '../canonical-json';
import { whileBuilderRoutesWait } from './sandbox-gate';

/**
 * The files the Content-Type Builder writes: the app's `src/api`, `src/components` and `src/extensions` trees. A
 * snapshot maps each file's path (relative to the app root) to its text; two snapshots give the files a change made.
 */
export type SourceSnapshot = Map<string, string>;

interface AppDirs {
  root: string;
  src: string;
  api: string;
  components: string;
  extensions: string;
  [key: string]: string;
}

const MODEL_TREES = ['api', 'components', 'extensions'] as const;
/** The Content-Type Builder's own backup of an API it deletes (`src/api/.backup`), removed again once done. */
const isBackup = (relative: string) => relative.split(path.sep).includes('.backup');

const appDirsOf = (strapi: Core.Strapi) => strapi.config.get('dirs') as { app: AppDirs; [key: string]: unknown };

const readTree = async (root: string, dir: string, into: SourceSnapshot) => {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const relative = path.relative(root, full);
    if (isBackup(relative)) continue;
    if (entry.isDirectory()) await readTree(root, full, into);
    else if (entry.isFile()) into.set(relative.split(path.sep).join('/'), await fs.readFile(full, 'utf8'));
  }
};

export const snapshotModelSources = async (strapi: Core.Strapi): Promise<SourceSnapshot> => {
  const { app } = appDirsOf(strapi);
  const snapshot: SourceSnapshot = new Map();
  for (const tree of MODEL_TREES) await readTree(app.root, app[tree], snapshot);
  return snapshot;
};

export interface ChangedFile {
  path: string;
  /** `reformatted`: rewritten in the Content-Type Builder's layout, with the same JSON (a related model's file). */
  change: 'created' | 'modified' | 'reformatted' | 'deleted';
  /** A schema file's JSON before and after (absent on the side where the file does not exist). */
  before?: unknown;
  after?: unknown;
}

const parsed = (text: string | undefined, file: string) => {
  if (text === undefined || !file.endsWith('.json')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const changedFiles = (before: SourceSnapshot, after: SourceSnapshot): ChangedFile[] => {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths.flatMap((file): ChangedFile[] => {
    const was = before.get(file);
    const is = after.get(file);
    if (was === is) return [];
    const change = was === undefined ? 'created' : is === undefined ? 'deleted' : 'modified';
    const json = { before: parsed(was, file), after: parsed(is, file) };
    if (
      change === 'modified' &&
      json.before !== undefined &&
      canonicalJson(json.before) === canonicalJson(json.after)
    ) {
      return [{ path: file, change: 'reformatted' }];
    }
    return [{ path: file, change, ...json }];
  });
};

/**
 * Runs `write` against a throwaway copy of the model sources: Strapi's app directories point at the copy while it
 * runs, so the Content-Type Builder's own code writes there. Gives the files the change would write, and the real
 * ones stay untouched. The caller serialises schema changes, and the Content-Type Builder's own write routes wait
 * meanwhile (`sandbox-gate`).
 */
export const inSandbox = async (strapi: Core.Strapi, write: () => Promise<void>) => {
  const dirs = appDirsOf(strapi);
  const real = dirs.app;
  const sandbox = await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-schema-dry-run-'));
  const copyOf = (dir: string) => path.join(sandbox, path.relative(real.root, dir));
  try {
    for (const tree of MODEL_TREES) {
      await fs.cp(real[tree], copyOf(real[tree]), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    // The API generator writes TypeScript when the app has a tsconfig.json, JavaScript otherwise.
    for (const file of ['tsconfig.json', 'package.json']) {
      await fs.copyFile(path.join(real.root, file), path.join(sandbox, file)).catch(() => undefined);
    }
    const sandboxApp = Object.fromEntries(
      Object.entries(real).map(([key, dir]) => [key, typeof dir === 'string' ? copyOf(dir) : dir]),
    ) as AppDirs;
    const before = await snapshotModelSources(withDirs(strapi, dirs, sandboxApp));
    await whileBuilderRoutesWait(async () => {
      strapi.config.set('dirs', { ...dirs, app: sandboxApp });
      try {
        await write();
      } finally {
        strapi.config.set('dirs', dirs);
      }
    });
    const after = await snapshotModelSources(withDirs(strapi, dirs, sandboxApp));
    return changedFiles(before, after);
  } finally {
    await fs.rm(sandbox, { recursive: true, force: true });
  }
};

/** A stand-in `strapi` whose config answers the sandbox directories, for snapshots only. */
const withDirs = (strapi: Core.Strapi, dirs: object, app: AppDirs) =>
  ({ config: { get: (key: string) => (key === 'dirs' ? { ...dirs, app } : strapi.config.get(key)) } }) as Core.Strapi;
