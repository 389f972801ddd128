/**
 * `mcp-remote` (the Claude Desktop bridge) as a desktop host runs it: spawned with stdio, the remote URL and
 * `--header` flags on its command line, and a host speaking MCP to it over stdin/stdout (here the official SDK
 * client). It answers with whatever the remote server allows, and logs to stderr, which is what the host shows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { REPO_ROOT } from '../../helpers/test-app';
import { headerFlags } from './inspector';

export const MCP_REMOTE_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'mcp-remote');
/**
 * A bound on one start: a start that reaches a browser sign-in waits for a person who never comes; the process is
 * then ended rather than left behind.
 */
const CONNECT_TIMEOUT_MS = 60_000;

export const installedMcpRemoteVersion = (): string =>
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'mcp-remote', 'package.json'), 'utf8')).version;

/** mcp-remote's own state (OAuth files, lock files) goes to MCP_REMOTE_CONFIG_DIR: one temp folder per test file. */
export const createMcpRemoteConfigDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-remote-config-'));

export interface McpRemoteHost {
  client: Client;
  /** What mcp-remote logged so far (the host's log of the server). */
  stderr(): string;
  close(): Promise<void>;
}

export interface McpRemoteStart {
  url: string;
  headers: Record<string, string>;
  configDir: string;
  /** Further mcp-remote flags, e.g. ['--protocol', 'auto']. */
  flags?: string[];
}

/** Starts mcp-remote and connects a host to it; on failure the error carries mcp-remote's log. */
export const startMcpRemote = async ({
  url,
  headers,
  configDir,
  flags = [],
}: McpRemoteStart): Promise<McpRemoteHost> => {
  const transport = new StdioClientTransport({
    command: MCP_REMOTE_BIN,
    args: [url, ...headerFlags(headers), ...flags],
    env: { ...getDefaultEnvironment(), MCP_REMOTE_CONFIG_DIR: configDir },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => (stderr += chunk));
  const client = new Client({ name: 'desktop-host', version: '1.0.0' });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.connect(transport), timedOut]);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw Object.assign(new Error(`${(error as Error).message}\n--- mcp-remote stderr ---\n${stderr}`), { stderr });
  } finally {
    clearTimeout(timer);
  }
  return { client, stderr: () => stderr, close: () => client.close() };
};
