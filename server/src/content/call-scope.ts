import type { Core } from '@strapi/strapi';
import { readPluginConfig } from '../config/read-plugin-config';
import type { PluginConfig } from '../config/schema';
import type { McpHandlerContext } from '../mcp/definitions';
import type { CallTrail } from '../services/audit/call-trail';
import { getService } from '../services/get-service';
import type { CallPolicy, TypePolicy } from '../services/policy';
import { QueryGuard } from './query-guard';
import { buildReadView, type CallReadView } from './read-view';

/** Everything one tool call needs to reach content: the caller's policy, the read view, the guard, the audit row. */
export interface CallScope {
  strapi: Core.Strapi;
  config: PluginConfig;
  policy: CallPolicy;
  audit: CallTrail;
  view(): Promise<CallReadView>;
  guard(): Promise<QueryGuard>;
  /** Resolves the type a call names and notes it, with the action, on the call's audit row. */
  resolveType(reference: string, action: string): TypePolicy;
}

/** Resources and prompts are not tool calls and have no audit row of their own. */
const NO_AUDIT: CallTrail = {
  note: () => undefined,
  writeInTransaction: async () => undefined,
  markCommitted: () => undefined,
  finish: () => undefined,
};

export const createCallScope = (context: McpHandlerContext & { audit?: CallTrail }): CallScope => {
  const { strapi, caller } = context;
  const audit = context.audit ?? NO_AUDIT;
  const config = readPluginConfig(strapi);
  const policy = getService(strapi, 'policy').forCaller(caller);
  let view: Promise<CallReadView> | undefined;
  const getView = () => (view ??= buildReadView(strapi, policy));
  return {
    strapi,
    config,
    policy,
    audit,
    view: getView,
    guard: async () => new QueryGuard(await getView(), config.limits.maxFilterDepth),
    resolveType(reference, action) {
      audit.note({ action });
      const type = policy.resolveType(reference);
      audit.note({ contentType: type.uid });
      return type;
    },
  };
};
