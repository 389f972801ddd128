'use strict';

/** The conformance suite's prompt fixtures; test_prompt_with_arguments is also its completion target. */
const { z } = require('zod');
const { PNG_1X1_RED } = require('./media');

const user = (content) => ({ role: 'user', content });
const suggest = (choices) => (value) => {
  const matches = choices.filter((choice) => choice.startsWith(value));
  return matches.length > 0 ? matches : choices;
};

module.exports = [
  {
    name: 'test_simple_prompt',
    description: 'A prompt without arguments.',
    handler: () => ({ messages: [user({ type: 'text', text: 'This is a simple prompt for testing.' })] }),
  },
  {
    name: 'test_prompt_with_arguments',
    description: 'A prompt that substitutes two arguments.',
    argsSchema: {
      arg1: z.string().describe('First test argument'),
      arg2: z.string().describe('Second test argument'),
    },
    complete: {
      arg1: suggest(['paris', 'park', 'party', 'test-value-1']),
      arg2: suggest(['world', 'word', 'test-value-2']),
    },
    handler: ({ arg1, arg2 }) => ({
      messages: [user({ type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` })],
    }),
  },
  {
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt that embeds the resource named by resourceUri.',
    argsSchema: { resourceUri: z.string().describe('URI of the resource to embed') },
    handler: ({ resourceUri }) => ({
      messages: [
        user({
          type: 'resource',
          resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
        }),
        user({ type: 'text', text: 'Please process the embedded resource above.' }),
      ],
    }),
  },
  {
    name: 'test_prompt_with_image',
    description: 'A prompt with an image.',
    handler: () => ({
      messages: [
        user({ type: 'image', data: PNG_1X1_RED, mimeType: 'image/png' }),
        user({ type: 'text', text: 'Please analyze the image above.' }),
      ],
    }),
  },
];
