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

/**
 * json_schema_2020_12_tool needs a tool definition whose inputSchema is a full schema (here fromJsonSchema(...)),
 * not a zod shape; the extension API takes zod shapes only, so the tool stays out until it takes both
 * (docs/conformance.md). Registering it today would break tools/list for every tool.
 */
const FULL_INPUT_SCHEMAS = false;

module.exports = {
  register({ strapi }) {
    const registry = strapi.plugin('mcp-server').service('tools');
    [
      ...tools,
      ...inputRequired.tools,
      ...stateless,
      headerTool,
      ...(FULL_INPUT_SCHEMAS ? [jsonSchemaTool] : []),
    ].forEach((tool) => registry.registerTool(tool));
    resources.forEach((resource) => registry.registerResource(resource));
    [...prompts, ...inputRequired.prompts].forEach((prompt) => registry.registerPrompt(prompt));
  },
};
