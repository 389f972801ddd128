'use strict';

/**
 * The diagnostic tools of the server-stateless scenario (SEP-2575, 2026-07-28): a tool that needs a client capability
 * the request may not declare, one that answers on a stream, one that logs, and two that change the tool or prompt list
 * while a `subscriptions/listen` stream is open.
 */
const { acceptedContent, inputRequired } = require('@modelcontextprotocol/server');
const { z } = require('zod');

const text = (value) => ({ content: [{ type: 'text', text: value }] });

/** Registered and unregistered in turn by the trigger tools, so the lists really change. */
const DYNAMIC_TOOL = {
  name: 'test_dynamic_tool',
  description: 'Appears and disappears each time test_trigger_tool_change runs.',
  handler: () => text('dynamic tool'),
};
const DYNAMIC_PROMPT = {
  name: 'test_dynamic_prompt',
  description: 'Appears and disappears each time test_trigger_prompt_change runs.',
  handler: () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'dynamic prompt' } }] }),
};

/** Toggles a registry entry, then tells every session and listen stream that the lists changed. */
const toggle = async (strapi, kind, definition) => {
  const registry = strapi.plugin('mcp-server').service('tools');
  const present = registry[`unregister${kind}`](definition.name);
  if (!present) registry[`register${kind}`](definition);
  await strapi.plugin('mcp-server').service('sessions').notifyListChanged();
  return present ? 'removed' : 'added';
};

module.exports = [
  {
    name: 'test_missing_capability',
    description:
      'Needs sampling: a request that does not declare the sampling capability is refused with -32021 ' +
      '(MissingRequiredClientCapability).',
    handler: (_args, { mcp }) => {
      const answer = mcp.mcpReq.inputResponses?.summary;
      if (!answer) {
        return inputRequired({
          inputRequests: {
            summary: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'Say hello.' } }],
              maxTokens: 20,
            }),
          },
        });
      }
      return text('The client sampled an answer.');
    },
  },
  {
    name: 'test_streaming_elicitation',
    description:
      'Reports progress on its response stream, then asks for input through an input-required result (never a ' +
      'server-to-client request on the stream).',
    handler: async (_args, { mcp }) => {
      const answer = acceptedContent(mcp.mcpReq.inputResponses, 'choice', z.object({ choice: z.string() }));
      if (answer) return text(`You chose ${answer.choice}.`);
      const progressToken = mcp.mcpReq._meta?.progressToken;
      if (progressToken !== undefined) {
        await mcp.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress: 1, total: 2 } });
      }
      return inputRequired({
        inputRequests: {
          choice: inputRequired.elicit({
            message: 'Pick one',
            requestedSchema: { type: 'object', properties: { choice: { type: 'string' } }, required: ['choice'] },
          }),
        },
      });
    },
  },
  {
    name: 'test_logging_tool',
    description: 'Logs at info level: sent only when the request asks for logs (2026-07-28 _meta logLevel).',
    handler: async (_args, { mcp }) => {
      await mcp.mcpReq.log('info', 'test_logging_tool ran', 'conformance');
      return text('Logged (if the request asked for logs).');
    },
  },
  {
    name: 'test_trigger_tool_change',
    description: 'Adds or removes test_dynamic_tool, then announces that the tool list changed.',
    handler: async (_args, { strapi }) => text(`test_dynamic_tool ${await toggle(strapi, 'Tool', DYNAMIC_TOOL)}`),
  },
  {
    name: 'test_trigger_prompt_change',
    description: 'Adds or removes test_dynamic_prompt, then announces that the prompt list changed.',
    handler: async (_args, { strapi }) => text(`test_dynamic_prompt ${await toggle(strapi, 'Prompt', DYNAMIC_PROMPT)}`),
  },
];
