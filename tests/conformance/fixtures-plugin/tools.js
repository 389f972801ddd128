'use strict';

/**
 * The tool fixtures of the conformance suite's 2025-11-25 scenarios (they run on both revisions where the suite asks).
 * Progress and logging go through the handler's context, so they travel on the stream of the tools/call that caused
 * them. Sampling and elicitation return `inputRequired(...)`: under 2026-07-28 the client answers in a retry, under
 * 2025-11-25 the SDK sends the embedded requests to the client itself and calls the handler again with the answers.
 */
const { z } = require('zod');
const { inputRequired, inputResponse } = require('@modelcontextprotocol/server');
const { PNG_1X1_RED, WAV_SILENCE } = require('./media');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (value) => ({ content: [{ type: 'text', text: value }] });

/** A tool that asks the user through one form elicitation, then summarizes the answer (accepted, declined or cancelled). */
const elicitOnce =
  (key, params, summarize) =>
  (args, { mcp }) => {
    const answer = inputResponse(mcp.mcpReq.inputResponses, key);
    if (answer.kind !== 'elicit') {
      return inputRequired({
        inputRequests: { [key]: inputRequired.elicit(typeof params === 'function' ? params(args) : params) },
      });
    }
    return summarize(answer);
  };

const elicitationSummary = (answer) =>
  text(`Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);

module.exports = [
  {
    name: 'test_simple_text',
    description: 'Returns simple text content.',
    handler: () => text('This is a simple text response for testing.'),
  },
  {
    name: 'test_image_content',
    description: 'Returns a 1x1 PNG image.',
    handler: () => ({ content: [{ type: 'image', data: PNG_1X1_RED, mimeType: 'image/png' }] }),
  },
  {
    name: 'test_audio_content',
    description: 'Returns a short WAV clip.',
    handler: () => ({ content: [{ type: 'audio', data: WAV_SILENCE, mimeType: 'audio/wav' }] }),
  },
  {
    name: 'test_embedded_resource',
    description: 'Returns an embedded text resource.',
    handler: () => ({
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ],
    }),
  },
  {
    name: 'test_multiple_content_types',
    description: 'Returns text, image and resource content together.',
    handler: () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PNG_1X1_RED, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  },
  {
    name: 'test_tool_with_logging',
    description: 'Sends three info log notifications while it runs.',
    // ctx.mcpReq.log honours the session's logging/setLevel (2025-11-25) and the request's logLevel (2026-07-28).
    handler: async (_args, { mcp }) => {
      await mcp.mcpReq.log('info', 'Tool execution started', 'conformance');
      await sleep(50);
      await mcp.mcpReq.log('info', 'Tool processing data', 'conformance');
      await sleep(50);
      await mcp.mcpReq.log('info', 'Tool execution completed', 'conformance');
      return text('Tool with logging executed successfully');
    },
  },
  {
    name: 'test_error_handling',
    description: 'Always fails with a tool error.',
    handler: () => ({
      isError: true,
      content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }],
    }),
  },
  {
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50 and 100 of 100 for the request progress token.',
    handler: async (_args, { mcp }) => {
      const progressToken = mcp.mcpReq._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (progressToken !== undefined) {
          await mcp.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken, progress, total: 100, message: `Completed ${progress}%` },
          });
        }
        if (progress < 100) await sleep(50);
      }
      return text(`Tool with progress executed (token ${progressToken ?? 'none'})`);
    },
  },
  {
    name: 'test_sampling',
    description: 'Asks the client to sample an LLM completion for the prompt.',
    inputSchema: { prompt: z.string().describe('The prompt to send to the LLM') },
    handler: ({ prompt }, { mcp }) => {
      const answer = inputResponse(mcp.mcpReq.inputResponses, 'completion');
      if (answer.kind !== 'sampling') {
        return inputRequired({
          inputRequests: {
            completion: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
              maxTokens: 100,
            }),
          },
        });
      }
      const { content } = answer.result;
      return text(`LLM response: ${content?.type === 'text' ? content.text : JSON.stringify(content)}`);
    },
  },
  {
    name: 'test_elicitation',
    description: 'Asks the user for a username and email through elicitation.',
    inputSchema: { message: z.string().describe('The message to show the user') },
    handler: elicitOnce(
      'user',
      ({ message }) => ({
        message,
        requestedSchema: {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        },
      }),
      (answer) => text(`User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`),
    ),
  },
  {
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicitation whose schema has a default for every primitive type (SEP-1034).',
    handler: elicitOnce(
      'form',
      {
        message: 'Please review and update the form fields with defaults',
        requestedSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'User name', default: 'John Doe' },
            age: { type: 'integer', description: 'User age', default: 30 },
            score: { type: 'number', description: 'User score', default: 95.5 },
            status: {
              type: 'string',
              description: 'User status',
              enum: ['active', 'inactive', 'pending'],
              default: 'active',
            },
            verified: { type: 'boolean', description: 'Verification status', default: true },
          },
        },
      },
      elicitationSummary,
    ),
  },
  {
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicitation with the five enum schema variants (SEP-1330).',
    handler: elicitOnce(
      'form',
      {
        message: 'Please select options from the enum fields',
        requestedSchema: {
          type: 'object',
          properties: {
            untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            titledSingle: {
              type: 'string',
              oneOf: [
                { const: 'value1', title: 'First Option' },
                { const: 'value2', title: 'Second Option' },
                { const: 'value3', title: 'Third Option' },
              ],
            },
            legacyEnum: {
              type: 'string',
              enum: ['opt1', 'opt2', 'opt3'],
              enumNames: ['Option One', 'Option Two', 'Option Three'],
            },
            untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
            titledMulti: {
              type: 'array',
              items: {
                anyOf: [
                  { const: 'value1', title: 'First Choice' },
                  { const: 'value2', title: 'Second Choice' },
                  { const: 'value3', title: 'Third Choice' },
                ],
              },
            },
          },
        },
      },
      elicitationSummary,
    ),
  },
  {
    name: 'test_reconnection',
    description:
      'Closes the SSE stream of its own call before answering (SEP-1699), so the client polls for the result with ' +
      'Last-Event-ID. The stream can only be closed where the transport keeps events for resumption.',
    handler: async (_args, { mcp }) => {
      mcp.http?.closeSSE?.();
      await sleep(100);
      return text('Reconnection test completed successfully.');
    },
  },
];
