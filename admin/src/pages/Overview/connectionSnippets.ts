import type { Overview } from '../../api';

export type SnippetId = 'typescript' | 'inspector' | 'claude' | 'cursor';

/** The client configurations shown on the overview, filled with this instance's endpoint. */
export const buildConnectionSnippets = (overview: Overview): Record<SnippetId, string> => {
  const url = overview.endpoint.url;
  const secret = overview.internalSecret.required ? overview.internalSecret.header : null;

  const sdkHeaders = [
    `      Authorization: \`Bearer \${process.env.MCP_TOKEN}\`,`,
    ...(secret ? [`      '${secret}': process.env.MCP_INTERNAL_SECRET ?? '',`] : []),
  ];
  const typescript = [
    "import { Client } from '@modelcontextprotocol/sdk/client/index.js';",
    "import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';",
    '',
    `const transport = new StreamableHTTPClientTransport(new URL('${url}'), {`,
    '  requestInit: {',
    '    headers: {',
    ...sdkHeaders,
    '    },',
    '  },',
    '});',
    "const client = new Client({ name: 'my-agent', version: '1.0.0' });",
    'await client.connect(transport);',
    'console.log(await client.listTools());',
  ].join('\n');

  const inspector = [
    `npx @modelcontextprotocol/inspector --cli ${url} \\`,
    '  --transport http --method tools/list \\',
    `  --header "Authorization: Bearer <token>"${secret ? ' \\' : ''}`,
    ...(secret ? [`  --header "${secret}: <secret>"`] : []),
  ].join('\n');

  const claudeArgs = ['mcp-remote', url, '--header', 'Authorization: Bearer ${MCP_TOKEN}'];
  const claudeEnv: Record<string, string> = { MCP_TOKEN: '<token>' };
  if (secret) {
    claudeArgs.push('--header', `${secret}: \${MCP_INTERNAL_SECRET}`);
    claudeEnv.MCP_INTERNAL_SECRET = '<secret>';
  }
  const claude = JSON.stringify(
    { mcpServers: { strapi: { command: 'npx', args: claudeArgs, env: claudeEnv } } },
    null,
    2,
  );

  const cursorHeaders: Record<string, string> = { Authorization: 'Bearer <token>' };
  if (secret) cursorHeaders[secret] = '<secret>';
  const cursor = JSON.stringify({ mcpServers: { strapi: { url, headers: cursorHeaders } } }, null, 2);

  return { typescript, inspector, claude, cursor };
};
