export const PLUGIN_ID = 'mcp-server';
