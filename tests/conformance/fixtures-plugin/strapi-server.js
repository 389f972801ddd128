'use strict';

/**
 * Test-only Strapi plugin, loaded by the playground when MCP_CONFORMANCE_FIXTURES=true (`npm run conformance`).
 * It registers the fixtures of the MCP conformance suite through the mcp-server extension API and nothing else.
 */
const tools = require('./tools');
const inputRequired = require('./input-required');
const stateless = require('./stateless');
const { jsonSchemaTool, headerTool } = require('./schemas');
const resources = require('./resources');
const prompts = require('./prompts');

module.exports = {
  register({ strapi }) {
    const registry = strapi.plugin('mcp-server').service('tools');
    [
      ...tools,
      ...inputRequired.tools,
      ...stateless,
      headerTool,
      // A full JSON Schema 2020-12 input schema (fromJsonSchema), kept intact on the wire.
      jsonSchemaTool,
    ].forEach((tool) => registry.registerTool(tool));
    resources.forEach((resource) => registry.registerResource(resource));
    [...prompts, ...inputRequired.prompts].forEach((prompt) => registry.registerPrompt(prompt));
  },
};
