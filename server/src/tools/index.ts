import type { McpToolDefinition } from '../mcp/definitions';
import { listContentTypes } from './list-content-types';
import { whoami } from './whoami';

/** Every tool this plugin ships, registered through the same extension API other plugins use. */
export const builtInTools: McpToolDefinition[] = [whoami, listContentTypes];
