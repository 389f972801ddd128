import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { createCallerServer, type CallerServerOptions } from './caller-server';
import { readFacts } from './handler-context';

/** The revisions this endpoint serves statelessly, one request at a time. */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];

/**
 * The 2026-07-28 leg: the SDK's per-request handler, whose factory builds the server of the caller the HTTP pipeline
 * authenticated (handed over as `req.auth`). 2025-era requests never reach it (`legacy: 'reject'`): they go to the
 * sessions. Changes the sessions service announces reach the `subscriptions/listen` streams it serves.
 */
export const createModernEndpoint = (
  options: Omit<CallerServerOptions, 'caller' | 'era' | 'session' | 'offerByRbac'>,
) => {
  const { strapi, sessions } = options;
  const onerror = (error: Error) => strapi.log.debug(`[mcp-server] 2026-07-28 request: ${error.message.slice(0, 500)}`);
  const handler = createMcpHandler(
    ({ authInfo }) => {
      const { caller, asksForList } = readFacts(authInfo);
      return createCallerServer({ ...options, caller, era: 'modern', offerByRbac: asksForList });
    },
    { legacy: 'reject', onerror },
  );
  const serve = toNodeHandler(handler, { onerror });
  const stopListening = sessions.onChange((change) => {
    if (change.type === 'resource') {
      handler.notify.resourceUpdated(change.uri);
      return;
    }
    handler.notify.toolsChanged();
    handler.notify.promptsChanged();
    handler.notify.resourcesChanged();
  });

  return {
    handle: (req: IncomingMessage, res: ServerResponse, body: unknown) => serve(req, res, body),
    async close() {
      stopListening();
      await handler.close();
    },
  };
};
