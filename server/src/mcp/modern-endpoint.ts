import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { createCallerServer, type CallerServerOptions } from './caller-server';
import { readFacts } from './handler-context';

/** The revisions that are stateless by the protocol. */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];

/**
 * The stateless leg: the SDK's per-request handler, whose factory builds the server of the caller the HTTP pipeline
 * authenticated (handed over as `req.auth`). It serves every 2026-07-28 request, and 2025-era requests when
 * `sessions.mode` is `stateless` (`legacy: 'stateless'`: an `initialize` is answered without a session, GET and DELETE
 * with 405); in `memory` mode the pipeline sends those to the sessions instead. Changes the sessions service announces
 * reach the `subscriptions/listen` streams it serves.
 */
export const createModernEndpoint = (
  options: Omit<CallerServerOptions, 'caller' | 'era' | 'session' | 'offerByRbac'>,
) => {
  const { strapi, sessions } = options;
  const onerror = (error: Error) => strapi.log.debug(`[mcp-server] 2026-07-28 request: ${error.message.slice(0, 500)}`);
  const handler = createMcpHandler(
    ({ authInfo }) => {
      const { caller, era, asksForList } = readFacts(authInfo);
      return createCallerServer({ ...options, caller, era, offerByRbac: asksForList });
    },
    { legacy: 'stateless', onerror },
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
