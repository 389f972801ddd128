/** Raw 2026-07-28 tool calls for the scale tests: one HTTP request each, so a load balancer may send each anywhere. */
import { credentials, MODERN_PROTOCOL, modernEnvelope, rawRequest, type RawResponse } from '../../helpers/mcp-client';
import type { TestApp } from '../../helpers/test-app';

let nextId = 0;

export const callTool = (
  app: TestApp,
  token: string,
  name: string,
  args: Record<string, unknown> = {},
): Promise<RawResponse> =>
  rawRequest(app, {
    headers: {
      ...credentials(app, token),
      'mcp-protocol-version': MODERN_PROTOCOL,
      'mcp-method': 'tools/call',
      'mcp-name': name,
    },
    body: {
      jsonrpc: '2.0',
      id: (nextId += 1),
      method: 'tools/call',
      params: { name, arguments: args, _meta: modernEnvelope() },
    },
  });

/** The tool's structured result; throws with what came back otherwise. */
export const resultOf = (response: RawResponse): Record<string, any> => {
  const result = response.json?.result;
  if (response.status !== 200 || !result || result.isError) {
    throw new Error(`tool call failed: ${response.status} ${response.text.slice(0, 500)}`);
  }
  return result.structuredContent;
};

/** The text of a refused tool call (an error result), or the HTTP refusal's reason. */
export const refusalOf = (response: RawResponse): string =>
  response.json?.result?.isError
    ? response.json.result.content.map((item: { text?: string }) => item.text ?? '').join('\n')
    : String(response.json?.error?.data?.reason ?? response.text);
