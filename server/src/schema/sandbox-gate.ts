import type { Context, Next } from 'koa';

/**
 * A dry run points Strapi's app directories at a throwaway copy while the Content-Type Builder's code writes there.
 * Meanwhile the Content-Type Builder's own write routes (a developer using the admin panel) must not run, or their
 * change would land in the copy and be lost: they wait for the dry run, and a dry run waits for those under way.
 */
let dryRun: Promise<void> | null = null;
let routeWrites = 0;
const whenNoRouteWrites: Array<() => void> = [];

const BUILDER_ROUTES = '/content-type-builder/';

export const holdBuilderWritesDuringDryRuns = () => async (ctx: Context, next: Next) => {
  if (ctx.method === 'GET' || !ctx.path.startsWith(BUILDER_ROUTES)) return next();
  while (dryRun) await dryRun;
  routeWrites += 1;
  try {
    await next();
  } finally {
    routeWrites -= 1;
    if (routeWrites === 0) whenNoRouteWrites.splice(0).forEach((resume) => resume());
  }
};

/** Runs a dry run with the Content-Type Builder's write routes held. */
export const whileBuilderRoutesWait = async <T>(run: () => Promise<T>): Promise<T> => {
  while (dryRun) await dryRun;
  let release!: () => void;
  dryRun = new Promise<void>((resolve) => (release = resolve));
  try {
    if (routeWrites > 0) await new Promise<void>((resume) => whenNoRouteWrites.push(resume));
    return await run();
  } finally {
    dryRun = null;
    release();
  }
};
