'use strict';

/**
 * Tools whose input schemas the suite inspects: a JSON Schema 2020-12 schema that must reach `tools/list` intact
 * (json-schema-2020-12: SEP-1613, SEP-2106), and a parameter mirrored in an `Mcp-Param-*` header
 * (http-custom-header-server-validation: SEP-2243, 2026-07-28).
 */
const { z } = require('zod');
const { fromJsonSchema } = require('@modelcontextprotocol/server');

const text = (value) => ({ content: [{ type: 'text', text: value }] });

/** The suite's fixture, verbatim: $defs with an $anchor, allOf/anyOf, if/then/else, additionalProperties: false. */
const JSON_SCHEMA_2020_12 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      $anchor: 'addressDef',
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
};

/**
 * A zod shape cannot say this schema (z.fromJSONSchema refuses if/then/else), so the tool passes a full schema:
 * `fromJsonSchema` keeps the JSON Schema as it is and validates arguments against it.
 */
const jsonSchemaTool = {
  name: 'json_schema_2020_12_tool',
  description: 'Tool with JSON Schema 2020-12 features',
  inputSchema: fromJsonSchema(JSON_SCHEMA_2020_12),
  handler: (args) => text(`Received: ${JSON.stringify(args)}`),
};

const headerTool = {
  name: 'test_header_param',
  description: 'Echoes its region argument, which clients also send in the Mcp-Param-Region header (SEP-2243).',
  inputSchema: {
    region: z.string().meta({ description: 'A region name, mirrored in Mcp-Param-Region', 'x-mcp-header': 'Region' }),
  },
  handler: ({ region }) => text(`region=${region}`),
};

module.exports = { jsonSchemaTool, headerTool, JSON_SCHEMA_2020_12 };
