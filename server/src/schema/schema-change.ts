import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { McpToolError } from '../errors';
import type { McpToolContext } from '../extension/definitions';
import { abilityOf, describePermissionHolder } from '../services/policy/admin-permissions';
import { getService } from '../services/get-service';
import { contentTypeBuilderOf, type SchemaChangePayload } from './content-type-builder';
import type { DataAtRisk } from './data-at-risk';
import { isDeveloperMode, schemaToolsOfferedTo } from './developer-mode';
import { changedFiles, inSandbox, snapshotModelSources, type ChangedFile } from './model-sources';
import { whileBuilderRoutesWait } from './sandbox-gate';
import { unloadedModelChanges } from './unloaded-changes';

/** The Content-Type Builder's permission: its routes need it, and so do the schema tools. */
export const CONTENT_TYPE_BUILDER_PERMISSION = 'plugin::content-type-builder.read';

export interface SchemaChange {
  /** The audit row's action, e.g. `schema.update-content-type`. */
  action: string;
  /** The content type or component changed. */
  target: string;
  payload: SchemaChangePayload;
  /** Stored values the change drops; a change that drops any needs `confirm`. */
  dataAtRisk: DataAtRisk[];
  /** Other models the change also edits (relations to a deleted type, uses of a deleted component). */
  alsoChanges?: Array<{ model: string; attribute: string }>;
  dryRun: boolean;
  confirm: boolean;
}

/** One schema change at a time, as the Content-Type Builder allows (dry runs included: they swap the directories). */
let queue: Promise<unknown> = Promise.resolve();
const oneAtATime = <T>(run: () => Promise<T>): Promise<T> => {
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
};

/** Checked again for every call: developer mode, the role, and the admin user's Content-Type Builder permission. */
export const assertSchemaToolsAllowed = async (context: McpToolContext) => {
  const { strapi, caller, policy } = context;
  const config = getService(strapi, 'settings').get();
  if (!isDeveloperMode(strapi)) {
    throw new McpToolError(
      'schema tools run only under `strapi develop` (autoReload), never in production',
      undefined,
      'denied',
    );
  }
  if (!schemaToolsOfferedTo(strapi, config, policy)) {
    throw new McpToolError(
      `schema tools are offered to the roles ${config.schemaTools.roles.join(', ')} only`,
      undefined,
      'denied',
    );
  }
  const ability = (await abilityOf(strapi, caller)) as { can(action: string): boolean };
  if (!ability.can(CONTENT_TYPE_BUILDER_PERMISSION)) {
    throw new McpToolError(
      `${describePermissionHolder(caller)} lacks the Content-Type Builder permission (${CONTENT_TYPE_BUILDER_PERMISSION})`,
      undefined,
      'denied',
    );
  }
};

const describeRefusal = (error: unknown) => {
  if (error instanceof errors.ValidationError) {
    const details =
      (error.details as { errors?: Array<{ path: string[]; message: string }> } | undefined)?.errors ?? [];
    const problems = details
      .slice(0, 10)
      .map((problem) => `${problem.path.join('.') || '(schema)'}: ${problem.message}`);
    return new McpToolError(`The Content-Type Builder refused the change: ${problems.join('; ') || error.message}`, {
      problems: details.slice(0, 10),
    });
  }
  if (error instanceof errors.ApplicationError) {
    return new McpToolError(`The Content-Type Builder refused the change: ${error.message}`);
  }
  // A file system refusal (a name too long for a file name, a folder that cannot be written): nothing was kept.
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new McpToolError(`The model files could not be written (${code}); nothing was changed`);
  }
  return null;
};

/** The target's own file: `…/content-types/<name>/schema.json` of a content type, `components/<category>/<name>.json`. */
const schemaOf = (files: ChangedFile[], target: string) => {
  const [namespace, name] = target.includes('::') ? ['', target.split('.').pop()] : target.split('.');
  const own = files.find((file) =>
    namespace
      ? file.path.endsWith(`components/${namespace}/${name}.json`)
      : file.path.endsWith(`/content-types/${name}/schema.json`),
  );
  // A component renamed or moved to another category: its file is deleted and written under the new name.
  const moved =
    namespace && own?.change === 'deleted'
      ? files.filter((file) => file.change === 'created' && /(^|\/)components\/[^/]+\/[^/]+\.json$/.test(file.path))
      : [];
  if (own && moved.length === 1) return { before: own.before ?? null, after: moved[0].after ?? null };
  return own && own.change !== 'reformatted' ? { before: own.before ?? null, after: own.after ?? null } : null;
};

/** What a client is told about the restart a written change causes. */
const restartNotice = (strapi: Core.Strapi, context: McpToolContext) => {
  const stateless = context.era === 'modern' || getService(strapi, 'settings').get().sessions.mode === 'stateless';
  return {
    restarting: true,
    message:
      'Strapi is restarting to load this change: `strapi develop` recompiles and boots again (seconds, up to about ' +
      'half a minute for a TypeScript app). ' +
      (stateless
        ? 'Calls made during the restart fail; retry once the server answers again.'
        : 'This MCP session ends with the restart: reconnect (initialize a new session) once the server answers again.'),
  };
};

/** Refuses to build a change on running models that the files no longer match (a change waiting for the restart). */
export const assertModelsLoaded = async (strapi: Core.Strapi) => {
  const unloaded = await unloadedModelChanges(strapi);
  if (unloaded.length > 0) {
    throw new McpToolError(
      `Strapi has not loaded the model files as they are now (${unloaded.slice(0, 5).join(', ')}${
        unloaded.length > 5 ? ', ...' : ''
      }): a schema change is waiting for the restart, or a file was edited by hand. Nothing was changed. Retry once ` +
        'the server answers again after its restart (up to about half a minute under `strapi develop`).',
      { unloaded },
    );
  }
};

/**
 * Runs one schema change through the Content-Type Builder: validated by it, refused when it drops stored values
 * without `confirm`, written by it (in a throwaway copy for a dry run), recorded in the call's audit row with the
 * schema before and after and the files written, then Strapi restarts to load it.
 */
export const runSchemaChange = async (context: McpToolContext, change: SchemaChange) => {
  const { strapi } = context;
  context.audit.note({ action: change.action, contentType: change.target });
  await assertSchemaToolsAllowed(context);
  await assertModelsLoaded(strapi);
  const builder = contentTypeBuilderOf(strapi);
  let validated: SchemaChangePayload;
  try {
    validated = await builder.validate(change.payload);
  } catch (error) {
    throw describeRefusal(error) ?? error;
  }
  const destructive = change.dataAtRisk.length > 0;
  if (destructive && !change.dryRun && !change.confirm) {
    context.audit.note({ diff: { dataAtRisk: change.dataAtRisk } });
    throw new McpToolError(
      `This change drops stored data: ${change.dataAtRisk
        .map((risk) => `${risk.loses} in ${risk.rows} row(s) of ${risk.model}`)
        .join('; ')}. Nothing was changed. Call again with confirm: true to go ahead (dryRun: true shows the files).`,
      { dataAtRisk: change.dataAtRisk },
      'denied',
    );
  }

  const files = await oneAtATime(async () => {
    await assertModelsLoaded(strapi);
    if (change.dryRun) {
      return inSandbox(strapi, async () => {
        try {
          await builder.write(validated);
        } catch (error) {
          throw describeRefusal(error) ?? error;
        }
      });
    }
    // The Content-Type Builder's own write routes wait meanwhile, then find the change unloaded (409).
    return whileBuilderRoutesWait(async () => {
      const before = await snapshotModelSources(strapi);
      // Like the Content-Type Builder's routes: no restart per file written, one restart once all are.
      strapi.reload.isWatching = false;
      try {
        await builder.write(validated);
      } catch (error) {
        strapi.reload.isWatching = true;
        throw describeRefusal(error) ?? error;
      }
      return changedFiles(before, await snapshotModelSources(strapi));
    });
  });
  const schema = schemaOf(files, change.target);
  context.audit.note({
    diff: {
      schema,
      files: files.map((file) => ({ path: file.path, change: file.change })),
      ...(destructive ? { dataAtRisk: change.dataAtRisk } : {}),
    },
  });
  if (!change.dryRun && files.length > 0) setImmediate(() => strapi.reload());
  return {
    dryRun: change.dryRun,
    target: change.target,
    schema,
    files,
    ...(destructive ? { dataAtRisk: change.dataAtRisk } : {}),
    ...(change.alsoChanges?.length ? { alsoChanges: change.alsoChanges } : {}),
    ...(change.dryRun
      ? {}
      : files.length > 0
        ? { restart: restartNotice(strapi, context) }
        : { restart: { restarting: false, message: 'Nothing changed on disk: the schema already says this.' } }),
  };
};
