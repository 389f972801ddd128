'use strict';

/**
 * Test-only Strapi plugin, loaded by the playground when MCP_CONFORMANCE_FIXTURES=true (`npm run conformance`).
 * It registers the fixtures of the MCP conformance suite through the mcp-server extension API and nothing else.
 */
const tools = require('./tools');
const resources = require('./resources');
const prompts = require('./prompts');

module.exports = {
  register({ strapi }) {
    const registry = strapi.plugin('mcp-server').service('tools');
    tools.forEach((tool) => registry.registerTool(tool));
    resources.forEach((resource) => registry.registerResource(resource));
    prompts.forEach((prompt) => registry.registerPrompt(prompt));
  },
};
