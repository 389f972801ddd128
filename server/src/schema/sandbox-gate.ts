import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { unloadedModelChanges } from './unloaded-changes';

/**
 * A dry run points Strapi's app directories at a throwaway copy while the Content-Type Builder's code writes there.
 * Meanwhile the Content-Type Builder's own write routes (a developer using the admin panel) must not run, or their
 * change would land in the copy and be lost: they wait for the dry run, and a dry run waits for those under way. A
 * schema tool's real write holds them the same way, so that the two never write the same files at once.
 */
let toolWrite: Promise<void> | null = null;
let routeWrites = 0;
const whenNoRouteWrites: Array<() => void> = [];

const BUILDER_ROUTES = '/content-type-builder/';

/**
 * The Content-Type Builder's write routes (any spelling Koa routes: paths match case-insensitively): held during dry
 * runs, and refused as its own "update in progress" while model files wait for the restart (a schema tool's change
 * not loaded yet), which a save built on the running models would otherwise write over.
 */
export const holdBuilderWritesDuringDryRuns = (strapi: Core.Strapi) => async (ctx: Context, next: Next) => {
  if (ctx.method === 'GET' || !ctx.path.toLowerCase().startsWith(BUILDER_ROUTES)) return next();
  while (toolWrite) await toolWrite;
  const unloaded = await unloadedModelChanges(strapi);
  if (unloaded.length > 0) {
    ctx.status = 409;
    ctx.body = {
      error:
        'Schema update is already in progress: Strapi has not loaded the model files as they are now ' +
        `(${unloaded.slice(0, 5).join(', ')}). Retry once it has restarted.`,
    };
    return;
  }
  routeWrites += 1;
  try {
    await next();
  } finally {
    routeWrites -= 1;
    if (routeWrites === 0) whenNoRouteWrites.splice(0).forEach((resume) => resume());
  }
};

/** Runs a schema tool's write (a dry run's, or a real one) with the Content-Type Builder's write routes held. */
export const whileBuilderRoutesWait = async <T>(run: () => Promise<T>): Promise<T> => {
  while (toolWrite) await toolWrite;
  let release!: () => void;
  toolWrite = new Promise<void>((resolve) => (release = resolve));
  try {
    if (routeWrites > 0) await new Promise<void>((resume) => whenNoRouteWrites.push(resume));
    return await run();
  } finally {
    toolWrite = null;
    release();
  }
};
