/**
 * The contenders, as plain data the load generator can receive over IPC: how each one is reached (`client`: plain
 * HTTP, the SDK 1.x client on a 2025-11-25 session, or the SDK v2 client at 2026-07-28), with which credentials,
 * and which call it makes. Calls that list ask for the same page: 10 draft articles of tenant org-1.
 * `pool` names the clients a contender shares with others (the same sessions serve the plugin's three tools).
 */
import { URLSearchParams } from 'node:url';
import { BARE_SDK_TOOL } from './bare-sdk-server.mjs';
import { LIST_TENANT } from './floor-query.mjs';

export const IN_PROCESS = 'document-service-in-process';

const restListUrl = (baseUrl) => {
  const query = new URLSearchParams({
    'filters[tenantId][$eq]': LIST_TENANT,
    'pagination[pageSize]': '10',
    status: 'draft',
  });
  return `${baseUrl}/api/articles?${query}`;
};

/**
 * @param {{ baseUrl: string, floorUrl: string, bareSdkUrl: string, secret: string, documentId: string,
 *   credentials: { pluginJwt: string, adminToken: string, restToken: string } }} endpoints
 */
export const compareContenders = ({ baseUrl, floorUrl, bareSdkUrl, secret, documentId, credentials }) => {
  const pluginUrl = `${baseUrl}/api/mcp-server/mcp`;
  const pluginHeaders = { Authorization: `Bearer ${credentials.pluginJwt}`, 'X-MCP-Internal-Secret': secret };
  const builtInHeaders = { Authorization: `Bearer ${credentials.adminToken}` };
  const plugin = (tool, args, client) => ({
    id: `plugin-${tool}-${client === 'mcp-2025' ? '2025' : '2026'}`,
    label: `plugin ${tool}, ${client === 'mcp-2025' ? '2025-11-25 session' : '2026-07-28'}`,
    client,
    pool: `plugin-${client}`,
    url: pluginUrl,
    headers: pluginHeaders,
    tool,
    args,
    ...(client === 'mcp-2025' ? { sessionsMode: 'memory' } : {}),
  });
  const find = { contentType: 'article', pageSize: 10 };
  const get = { contentType: 'article', documentId };
  return [
    {
      id: 'document-service-http',
      label: 'documents().findMany over plain HTTP',
      client: 'http',
      url: floorUrl,
      headers: {},
      lists: true,
    },
    {
      id: 'bare-sdk',
      label: 'bare SDK McpServer, same findMany (2025-11-25 session)',
      client: 'mcp-2025',
      pool: 'bare-sdk',
      url: bareSdkUrl,
      headers: {},
      tool: BARE_SDK_TOOL,
      args: {},
      lists: true,
    },
    { ...plugin('find_documents', find, 'mcp-2026'), lists: true },
    { ...plugin('find_documents', find, 'mcp-2025'), lists: true },
    plugin('get_document', get, 'mcp-2026'),
    plugin('get_document', get, 'mcp-2025'),
    plugin('whoami', {}, 'mcp-2026'),
    plugin('whoami', {}, 'mcp-2025'),
    {
      id: 'built-in-list',
      label: 'built-in MCP list_article (2025-11-25)',
      client: 'mcp-2025',
      pool: 'built-in',
      url: `${baseUrl}/mcp`,
      headers: builtInHeaders,
      tool: 'list_article',
      args: { pageSize: 10, filters: { tenantId: { $eq: LIST_TENANT } } },
      lists: true,
    },
    {
      id: 'built-in-get',
      label: 'built-in MCP get_article (2025-11-25)',
      client: 'mcp-2025',
      pool: 'built-in',
      url: `${baseUrl}/mcp`,
      headers: builtInHeaders,
      tool: 'get_article',
      args: { documentId },
    },
    {
      id: 'rest-list',
      label: 'REST GET /api/articles',
      client: 'http',
      url: restListUrl(baseUrl),
      headers: { Authorization: `Bearer ${credentials.restToken}` },
      lists: true,
    },
  ];
};

/**
 * The plugin's 2025-11-25 calls in `sessions.mode: 'stateless'` (no session: each request stands alone, as on a
 * replica without sticky routing). Their clients must be prepared, and measured, while the plugin runs in that mode.
 */
export const statelessContenders = ({ baseUrl, secret, documentId, credentials }) =>
  [
    ['find_documents', { contentType: 'article', pageSize: 10 }],
    ['get_document', { contentType: 'article', documentId }],
    ['whoami', {}],
  ].map(([tool, args]) => ({
    id: `plugin-${tool}-2025-stateless`,
    label: `plugin ${tool}, 2025-11-25 stateless`,
    client: 'mcp-2025',
    pool: 'plugin-mcp-2025-stateless',
    url: `${baseUrl}/api/mcp-server/mcp`,
    headers: { Authorization: `Bearer ${credentials.pluginJwt}`, 'X-MCP-Internal-Secret': secret },
    tool,
    args,
    sessionsMode: 'stateless',
    ...(tool === 'find_documents' ? { lists: true } : {}),
  }));

/** The growth run's calls: the plugin's read tools on one 2025-11-25 session, sequentially. */
export const growthContenders = ({ baseUrl, secret, documentId, credentials, searchWord }) => {
  const common = {
    client: 'mcp-2025',
    pool: 'plugin-growth',
    url: `${baseUrl}/api/mcp-server/mcp`,
    headers: { Authorization: `Bearer ${credentials.pluginJwt}`, 'X-MCP-Internal-Secret': secret },
  };
  return [
    {
      ...common,
      id: 'find_documents',
      label: 'find_documents',
      tool: 'find_documents',
      args: { contentType: 'article', pageSize: 10 },
    },
    {
      ...common,
      id: 'count_documents',
      label: 'count_documents',
      tool: 'count_documents',
      args: { contentType: 'article' },
    },
    {
      ...common,
      id: 'search_documents',
      label: `search_documents "${searchWord}"`,
      tool: 'search_documents',
      args: { contentType: 'article', query: searchWord, pageSize: 10 },
    },
    {
      ...common,
      id: 'get_document',
      label: 'get_document',
      tool: 'get_document',
      args: { contentType: 'article', documentId },
    },
  ];
};
