'use strict';

/**
 * The conformance suite's tool fixtures. Progress, logging, sampling and elicitation go through the handler's
 * `context.extra` (the SDK's RequestHandlerExtra), so they travel on the stream of the tools/call that caused them.
 */
const { z } = require('zod');
const { CreateMessageResultSchema, ElicitResultSchema } = require('@modelcontextprotocol/sdk/types.js');
const { PNG_1X1_RED, WAV_SILENCE } = require('./media');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (value) => ({ content: [{ type: 'text', text: value }] });

const log = (extra, data) =>
  extra.sendNotification({ method: 'notifications/message', params: { level: 'info', logger: 'conformance', data } });

const elicit = (extra, message, requestedSchema) =>
  extra.sendRequest({ method: 'elicitation/create', params: { message, requestedSchema } }, ElicitResultSchema);

const elicitationSummary = (result) =>
  text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);

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
    handler: async (_args, { extra }) => {
      await log(extra, 'Tool execution started');
      await sleep(50);
      await log(extra, 'Tool processing data');
      await sleep(50);
      await log(extra, 'Tool execution completed');
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
    handler: async (_args, { extra }) => {
      const progressToken = extra._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (progressToken !== undefined) {
          await extra.sendNotification({
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
    handler: async ({ prompt }, { extra }) => {
      const result = await extra.sendRequest(
        {
          method: 'sampling/createMessage',
          params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 },
        },
        CreateMessageResultSchema,
      );
      const reply = result.content?.type === 'text' ? result.content.text : JSON.stringify(result.content);
      return text(`LLM response: ${reply}`);
    },
  },
  {
    name: 'test_elicitation',
    description: 'Asks the user for a username and email through elicitation.',
    inputSchema: { message: z.string().describe('The message to show the user') },
    handler: async ({ message }, { extra }) => {
      const result = await elicit(extra, message, {
        type: 'object',
        properties: {
          username: { type: 'string', description: "User's response" },
          email: { type: 'string', description: "User's email address" },
        },
        required: ['username', 'email'],
      });
      return text(`User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
    },
  },
  {
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicitation whose schema has a default for every primitive type (SEP-1034).',
    handler: async (_args, { extra }) =>
      elicitationSummary(
        await elicit(extra, 'Please review and update the form fields with defaults', {
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
        }),
      ),
  },
  {
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicitation with the five enum schema variants (SEP-1330).',
    handler: async (_args, { extra }) =>
      elicitationSummary(
        await elicit(extra, 'Please select options from the enum fields', {
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
        }),
      ),
  },
];
