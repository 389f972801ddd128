import type { Core } from '@strapi/strapi';
import type {
  ArgsShape,
  McpPromptDefinition,
  McpResourceDefinition,
  McpToolDefinition,
} from '../../extension/definitions';

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

const assertName = (kind: string, name: string, taken: Map<string, unknown>) => {
  if (!NAME_PATTERN.test(name)) {
    throw new Error(`mcp-server: ${kind} name "${name}" must be 1-64 characters of A-Z a-z 0-9 _ . -`);
  }
  if (taken.has(name)) throw new Error(`mcp-server: a ${kind} named "${name}" is already registered`);
};

/**
 * The extension API: the registry of tools, resources and prompts every new session is built from.
 * This plugin registers its own tools here; other plugins call
 * `strapi.plugin('mcp-server').service('tools').registerTool({...})` from their register or bootstrap.
 * Changes apply to sessions opened afterwards.
 */
const createToolsService = (_: { strapi: Core.Strapi }) => {
  const tools = new Map<string, McpToolDefinition>();
  const resources = new Map<string, McpResourceDefinition>();
  const prompts = new Map<string, McpPromptDefinition>();

  return {
    registerTool<Shape extends ArgsShape>(definition: McpToolDefinition<Shape>) {
      assertName('tool', definition.name, tools);
      if (!definition.description?.trim()) throw new Error(`mcp-server: tool "${definition.name}" needs a description`);
      tools.set(definition.name, definition as unknown as McpToolDefinition);
    },

    registerResource(definition: McpResourceDefinition) {
      assertName('resource', definition.name, resources);
      if (Boolean(definition.uri) === Boolean(definition.uriTemplate)) {
        throw new Error(`mcp-server: resource "${definition.name}" needs exactly one of uri or uriTemplate`);
      }
      resources.set(definition.name, definition);
    },

    registerPrompt<Shape extends ArgsShape>(definition: McpPromptDefinition<Shape>) {
      assertName('prompt', definition.name, prompts);
      if (!definition.description?.trim())
        throw new Error(`mcp-server: prompt "${definition.name}" needs a description`);
      prompts.set(definition.name, definition as unknown as McpPromptDefinition);
    },

    unregisterTool: (name: string) => tools.delete(name),
    unregisterResource: (name: string) => resources.delete(name),
    unregisterPrompt: (name: string) => prompts.delete(name),

    listTools: () => [...tools.values()],
    listResources: () => [...resources.values()],
    listPrompts: () => [...prompts.values()],
  };
};

export default createToolsService;
export type ToolsService = ReturnType<typeof createToolsService>;
