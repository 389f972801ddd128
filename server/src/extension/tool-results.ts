import type { CallToolResult } from '@modelcontextprotocol/server';

/**
 * A successful result: the data as `structuredContent` and the same data as JSON text for clients without it
 * (compact: the answer travels twice).
 */
export const toolResult = (data: Record<string, unknown>): CallToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(data) }],
  structuredContent: data,
});

/**
 * A refusal or failure the model can act on. No `structuredContent`: clients validate it against the tool's output
 * schema even on errors. `details` (what was refused, what is allowed) follow the message as a JSON text item.
 */
export const toolErrorResult = (message: string, details?: Record<string, unknown>): CallToolResult => ({
  isError: true,
  content: [
    { type: 'text', text: message },
    ...(details ? [{ type: 'text' as const, text: JSON.stringify(details) }] : []),
  ],
});
