import type { StandardSchemaWithJSON, Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { ArgsShape, McpPromptDefinition, McpToolDefinition } from '../extension/definitions';

type JsonSchemaOptions = Parameters<NonNullable<StandardSchemaWithJSON['~standard']['jsonSchema']>['input']>[0];

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};

/**
 * The schema with its JSON Schema conversions made once and frozen: every session's `tools/list` hands out the same
 * object instead of converting the zod schema again.
 */
const withConvertedOnce = (schema: StandardSchemaWithJSON): StandardSchemaWithJSON => {
  const standard = schema['~standard'];
  const converted = new Map<string, Record<string, unknown>>();
  const convert = (io: 'input' | 'output') => (options: JsonSchemaOptions) => {
    const key = `${io} ${JSON.stringify(options)}`;
    let json = converted.get(key);
    if (!json) {
      json = deepFreeze(standard.jsonSchema[io](options));
      converted.set(key, json);
    }
    return json;
  };
  return { '~standard': { ...standard, jsonSchema: { input: convert('input'), output: convert('output') } } };
};

const asSchema = (schema: McpToolDefinition['inputSchema']): StandardSchemaWithJSON =>
  schema !== undefined && '~standard' in schema ? (schema as StandardSchemaWithJSON) : z.object(schema ?? {});

export interface ToolSchemas {
  input: StandardSchemaWithJSON;
  output?: StandardSchemaWithJSON;
}

const toolSchemas = new WeakMap<McpToolDefinition, ToolSchemas>();
const promptSchemas = new WeakMap<McpPromptDefinition, StandardSchemaWithJSON>();

/**
 * A tool's input and output schemas, built once per registered definition and shared by every session and request:
 * they depend on the tool alone (what a caller may do is decided per call, not by the schema).
 */
export const schemasOf = (tool: McpToolDefinition): ToolSchemas => {
  let schemas = toolSchemas.get(tool);
  if (!schemas) {
    schemas = {
      input: withConvertedOnce(asSchema(tool.inputSchema)),
      output: tool.outputSchema && withConvertedOnce(z.object(tool.outputSchema)),
    };
    toolSchemas.set(tool, schemas);
  }
  return schemas;
};

/** JSON Schema draft the SDK converts to (`tools/list` as the SDK's own handler renders it). */
const JSON_SCHEMA_TARGET = { target: 'draft-2020-12' } as JsonSchemaOptions;
const listedTools = new WeakMap<McpToolDefinition, Tool>();

/**
 * A tool as `tools/list` shows it, built once per registered definition and shared (frozen) by every session and
 * request; the same fields and JSON Schema conversion as the SDK's own `tools/list`.
 */
export const listedToolOf = (tool: McpToolDefinition): Tool => {
  let listed = listedTools.get(tool);
  if (!listed) {
    const { input, output } = schemasOf(tool);
    listed = deepFreeze({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: { type: 'object', ...input['~standard'].jsonSchema.input(JSON_SCHEMA_TARGET) },
      annotations: tool.annotations,
      ...(output ? { outputSchema: output['~standard'].jsonSchema.output(JSON_SCHEMA_TARGET) } : {}),
    } as Tool);
    listedTools.set(tool, listed);
  }
  return listed;
};

/** A prompt's argument schema without completions, shared like a tool's. */
export const promptArgumentsOf = (prompt: McpPromptDefinition): StandardSchemaWithJSON => {
  let schema = promptSchemas.get(prompt);
  if (!schema) {
    schema = withConvertedOnce(z.object((prompt.argsSchema ?? {}) as ArgsShape));
    promptSchemas.set(prompt, schema);
  }
  return schema;
};
