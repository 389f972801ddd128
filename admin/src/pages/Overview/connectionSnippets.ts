import type { Overview } from '../../api';

export type SnippetId = 'typescript' | 'inspector' | 'claude' | 'cursor';

/**
 * The client configurations shown on the overview, filled with this instance's endpoint: the README's (its TypeScript
 * snippet is run by the test suite), with the bearer token in MCP_TOKEN and the internal secret in MCP_SECRET_KEY.
 */
export const buildConnectionSnippets = (overview: Overview): Record<SnippetId, string> => {
  const url = overview.endpoint.url;
  const secret = overview.internalSecret.required ? overview.internalSecret.header : null;

  const sdkHeaders = [
    'Authorization: `Bearer ${process.env.MCP_TOKEN}`',
    ...(secret ? [`'${secret}': process.env.MCP_SECRET_KEY`] : []),
  ];
  const typescript = [
    "import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';",
    '',
    `const transport = new StreamableHTTPClientTransport(new URL('${url}'), {`,
    `  requestInit: { headers: { ${sdkHeaders.join(', ')} } },`,
    '});',
    "const client = new Client({ name: 'my-agent', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });",
    'await client.connect(transport);',
    "console.log(await client.callTool({ name: 'whoami', arguments: {} }));",
    'await client.close();',
  ].join('\n');

  // The Inspector 2.x needs Node 22.19 or later: npx fetches it.
  const inspectorHeaders = [
    "--header 'Authorization: Bearer $MCP_TOKEN'",
    ...(secret ? [`--header '${secret}: $MCP_SECRET_KEY'`] : []),
  ];
  const inspector = [
    'npx -y -p node@22 -p @modelcontextprotocol/inspector@2.12.0 -c "mcp-inspector --cli \\',
    `  ${url} --transport http --protocol-era auto --stored-auth-only \\`,
    `  --method tools/call --tool-name whoami ${inspectorHeaders.join(' ')}"`,
  ].join('\n');

  // No space after the colons: some clients split arguments on spaces; the values come from `env`.
  const claudeArgs = ['-y', 'mcp-remote@0.15.1', url, '--header', 'Authorization:${AUTH_HEADER}'];
  const claudeEnv: Record<string, string> = { AUTH_HEADER: 'Bearer <token>' };
  if (secret) {
    claudeArgs.push('--header', `${secret}:\${MCP_SECRET_KEY}`);
    claudeEnv.MCP_SECRET_KEY = '<internal secret>';
  }
  claudeArgs.push('--protocol', 'auto');
  const claude = JSON.stringify(
    { mcpServers: { strapi: { command: 'npx', args: claudeArgs, env: claudeEnv } } },
    null,
    2,
  );

  const cursorHeaders: Record<string, string> = { Authorization: 'Bearer ${env:MCP_TOKEN}' };
  if (secret) cursorHeaders[secret] = '${env:MCP_SECRET_KEY}';
  const cursor = JSON.stringify({ mcpServers: { strapi: { url, headers: cursorHeaders } } }, null, 2);

  return { typescript, inspector, claude, cursor };
};
