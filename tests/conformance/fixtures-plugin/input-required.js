'use strict';

/**
 * The fixtures of the input-required-result-* scenarios (multi round-trip requests, SEP-2322, 2026-07-28): tools and a
 * prompt that return `inputRequired(...)` until the client's retry carries the answers. `requestState` is sealed by
 * the plugin (`context.requestState.seal`), bound to the caller and the handler: a tampered state is refused before
 * the handler runs (-32602).
 */
const { z } = require('zod');
const { acceptedContent, inputRequired, inputResponse } = require('@modelcontextprotocol/server');

const text = (value) => ({ content: [{ type: 'text', text: value }] });
const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';

const formOf = (properties) => ({
  type: 'object',
  properties: Object.fromEntries(Object.keys(properties).map((name) => [name, { type: properties[name] }])),
  required: Object.keys(properties),
});
const askName = (message) => inputRequired.elicit({ message, requestedSchema: formOf({ name: 'string' }) });
const askConfirmation = () =>
  inputRequired.elicit({ message: 'Please confirm', requestedSchema: formOf({ ok: 'boolean' }) });

const NameAnswer = z.object({ name: z.string() });
const ColorAnswer = z.object({ color: z.string() });
const ConfirmAnswer = z.object({ ok: z.boolean() });
const ContextAnswer = z.object({ context: z.string() });

const samplingText = (responses, key) => {
  const answer = inputResponse(responses, key);
  if (answer.kind !== 'sampling') return undefined;
  const { content } = answer.result;
  return content?.type === 'text' ? content.text : JSON.stringify(content);
};
const rootsOf = (responses, key) => {
  const answer = inputResponse(responses, key);
  return answer.kind === 'roots' ? answer.roots : undefined;
};

const tools = [
  {
    name: 'test_input_required_result_elicitation',
    description: 'Asks for the user name through an input-required elicitation, then greets the user.',
    // Answers under any other key, or not matching the schema, are asked again (a new input_required).
    handler: (_args, { mcp }) => {
      const answer = acceptedContent(mcp.mcpReq.inputResponses, 'user_name', NameAnswer);
      if (!answer) return inputRequired({ inputRequests: { user_name: askName('What is your name?') } });
      return text(`Hello, ${answer.name}!`);
    },
  },
  {
    name: 'test_input_required_result_sampling',
    description: 'Asks the client to sample an answer to a question, then returns it.',
    handler: (_args, { mcp }) => {
      const reply = samplingText(mcp.mcpReq.inputResponses, 'capital_question');
      if (reply === undefined) {
        return inputRequired({
          inputRequests: {
            capital_question: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
              maxTokens: 100,
            }),
          },
        });
      }
      return text(`Sampling response: ${reply}`);
    },
  },
  {
    name: 'test_input_required_result_list_roots',
    description: "Asks for the client's roots, then lists them.",
    handler: (_args, { mcp }) => {
      const roots = rootsOf(mcp.mcpReq.inputResponses, 'client_roots');
      if (!roots) return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
      return text(`Client roots: ${roots.map((root) => root.uri).join(', ') || 'none'}`);
    },
  },
  {
    name: 'test_input_required_result_request_state',
    description: 'Asks for a confirmation with a sealed requestState, and checks the state that comes back.',
    handler: async (_args, { mcp, requestState }) => {
      const state = requestState.read();
      const answer = acceptedContent(mcp.mcpReq.inputResponses, 'confirm', ConfirmAnswer);
      if (state?.step !== 'confirm' || !answer) {
        return inputRequired({
          inputRequests: { confirm: askConfirmation() },
          requestState: await requestState.seal({ step: 'confirm' }),
        });
      }
      return text(`state-ok: confirmed=${answer.ok}`);
    },
  },
  {
    name: 'test_input_required_result_multiple_inputs',
    description: 'Asks for an elicitation, a sampling and the roots at once; asks again for whatever is missing.',
    handler: async (_args, { mcp, requestState }) => {
      const responses = mcp.mcpReq.inputResponses;
      const name = acceptedContent(responses, 'user_name', NameAnswer)?.name;
      const greeting = samplingText(responses, 'greeting');
      const roots = rootsOf(responses, 'client_roots');
      if (requestState.read()?.step === 'all' && name && greeting !== undefined && roots) {
        return text(`name=${name}; greeting=${greeting}; roots=${roots.map((root) => root.uri).join(', ')}`);
      }
      return inputRequired({
        inputRequests: {
          ...(name ? {} : { user_name: askName('What is your name?') }),
          ...(greeting === undefined
            ? {
                greeting: inputRequired.createMessage({
                  messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
                  maxTokens: 50,
                }),
              }
            : {}),
          ...(roots ? {} : { client_roots: inputRequired.listRoots() }),
        },
        requestState: await requestState.seal({ step: 'all' }),
      });
    },
  },
  {
    name: 'test_input_required_result_multi_round',
    description: 'Asks for a name, then for a favourite colour, carrying the name in the sealed requestState.',
    handler: async (_args, { mcp, requestState }) => {
      const state = requestState.read();
      const responses = mcp.mcpReq.inputResponses;
      if (state?.round === 2) {
        const color = acceptedContent(responses, 'step2', ColorAnswer)?.color;
        if (color) return text(`${state.name}'s favourite colour is ${color}.`);
      }
      const name = state?.round === 1 ? acceptedContent(responses, 'step1', NameAnswer)?.name : state?.name;
      if (name) {
        return inputRequired({
          inputRequests: {
            step2: inputRequired.elicit({
              message: 'Step 2: What is your favorite color?',
              requestedSchema: formOf({ color: 'string' }),
            }),
          },
          requestState: await requestState.seal({ round: 2, name }),
        });
      }
      return inputRequired({
        inputRequests: { step1: askName('Step 1: What is your name?') },
        requestState: await requestState.seal({ round: 1 }),
      });
    },
  },
  {
    name: 'test_input_required_result_tampered_state',
    description: 'Asks for a confirmation with a sealed requestState; a tampered state is refused with -32602.',
    handler: async (_args, { mcp, requestState }) => {
      const answer = acceptedContent(mcp.mcpReq.inputResponses, 'confirm', ConfirmAnswer);
      if (requestState.read()?.step !== 'confirm' || !answer) {
        return inputRequired({
          inputRequests: { confirm: askConfirmation() },
          requestState: await requestState.seal({ step: 'confirm' }),
        });
      }
      return text(`state verified: confirmed=${answer.ok}`);
    },
  },
  {
    name: 'test_input_required_result_capabilities',
    description: 'Asks only for the kinds of input the request says the client supports (sampling, elicitation).',
    handler: (_args, { mcp }) => {
      const responses = mcp.mcpReq.inputResponses;
      // 2026-07-28 requests declare their capabilities in _meta; a 2025-11-25 session declared them at initialize,
      // and the SDK checks those itself before sending anything.
      const declared = mcp.mcpReq.envelope?.[CLIENT_CAPABILITIES] ?? { sampling: {}, elicitation: {} };
      const requests = {};
      if (declared.sampling && samplingText(responses, 'summary') === undefined) {
        requests.summary = inputRequired.createMessage({
          messages: [
            { role: 'user', content: { type: 'text', text: 'Summarize the MCP specification in a sentence.' } },
          ],
          maxTokens: 50,
        });
      }
      if (declared.elicitation && !acceptedContent(responses, 'user_name', NameAnswer)) {
        requests.user_name = askName('What is your name?');
      }
      if (Object.keys(requests).length > 0) return inputRequired({ inputRequests: requests });
      return text('Capabilities respected: asked only for what the client declared.');
    },
  },
];

const prompts = [
  {
    name: 'test_input_required_result_prompt',
    description: 'A prompt that asks, through an input-required elicitation, which context to use.',
    handler: (_args, { mcp }) => {
      const answer = acceptedContent(mcp.mcpReq.inputResponses, 'user_context', ContextAnswer);
      if (!answer) {
        return inputRequired({
          inputRequests: {
            user_context: inputRequired.elicit({
              message: 'What context should the prompt use?',
              requestedSchema: formOf({ context: 'string' }),
            }),
          },
        });
      }
      return {
        messages: [{ role: 'user', content: { type: 'text', text: `Use this context: ${answer.context}` } }],
      };
    },
  },
];

module.exports = { tools, prompts };
