import type { Core } from '@strapi/strapi';
import { createRequestStateCodec, type ServerContext } from '@modelcontextprotocol/server';
import { deriveAppKey } from '../app-keys';
import { digestOf } from '../canonical-json';
import { readFacts } from './handler-context';

interface SealedState {
  /** The tool, prompt or resource that sealed it. */
  for: string;
  /** A digest of the arguments of the call that sealed it: the retry must be the same call. */
  args: string;
  state: unknown;
}

/** The sealed `requestState` a tool, prompt or resource hands out when it asks the client for input. */
export const createRequestStateSealer = (strapi: Core.Strapi, onRefused: (ctx: ServerContext) => void) => {
  // A state is good for the caller and the method it was sealed for, for ten minutes; `seal` adds the tool's name.
  const codec = createRequestStateCodec<SealedState>({
    key: deriveAppKey(strapi, 'request state'),
    ttlSeconds: 600,
    bind: (ctx) => `${readFacts(ctx.http?.authInfo).caller.identityKey}\0${ctx.mcpReq.method}`,
  });

  return {
    /** Runs before any handler sees a retried request; a refusal is answered -32602 by the SDK, and recorded. */
    verify: async (state: string, ctx: ServerContext) => {
      try {
        return await codec.verify(state, ctx);
      } catch (error) {
        onRefused(ctx);
        throw error;
      }
    },
    /**
     * The `requestState` of an `inputRequired(...)` answer of the tool, prompt or resource `name`, called with `args`.
     * A state comes back only to the same handler called with the same arguments: a state sealed when the user
     * approved one call never approves another.
     */
    forHandler: (name: string, args: unknown, ctx: ServerContext) => ({
      seal: (state: unknown) => codec.mint({ for: name, args: digestOf(args), state }, ctx),
      read: <T>(): T | undefined => {
        const sealed = ctx.mcpReq.requestState<SealedState>();
        return sealed?.for === name && sealed.args === digestOf(args) ? (sealed.state as T) : undefined;
      },
    }),
  };
};

export type RequestStateSealer = ReturnType<typeof createRequestStateSealer>;
