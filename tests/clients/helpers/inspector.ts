/**
 * The MCP Inspector (CLI and web UI) as users run it: `npx @modelcontextprotocol/inspector`, on Node 22. The suite's
 * global setup resolves the pinned release through npx once (downloading it on first use); each run then starts a
 * fresh process of that install's `mcp-inspector` under that install's Node, which is what npx itself ends up running.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { freePort, runProcess, shellQuote, startProcess, type ProcessResult } from './processes';
import { TESTED_CLIENTS } from './client-versions';

export const INSPECTOR_PACKAGE = `@modelcontextprotocol/inspector@${TESTED_CLIENTS['@modelcontextprotocol/inspector']}`;
const NPX_TIMEOUT_MS = 5 * 60 * 1000;
const CLI_TIMEOUT_MS = 60 * 1000;
const WEB_START_TIMEOUT_MS = 60 * 1000;

/** Where npx installed the Inspector: its Node 22 and its `mcp-inspector` executable. */
export interface InspectorInstall {
  node: string;
  bin: string;
}

/** Resolves (and on first use downloads) the pinned Inspector and a Node 22 through npx. */
export const resolveInspectorInstall = async (): Promise<InspectorInstall> => {
  const result = await runProcess(
    'npx',
    ['-y', '-p', 'node@22', '-p', INSPECTOR_PACKAGE, '-c', 'command -v node; command -v mcp-inspector'],
    { timeoutMs: NPX_TIMEOUT_MS },
  );
  const [node, bin] = result.stdout.trim().split('\n');
  if (result.code !== 0 || !node || !bin) {
    throw new Error(`npx could not provide ${INSPECTOR_PACKAGE} on Node 22:\n${result.stdout}\n${result.stderr}`);
  }
  const version = await runProcess(node, [bin, '--version'], { timeoutMs: CLI_TIMEOUT_MS });
  if (version.stdout.trim() !== TESTED_CLIENTS['@modelcontextprotocol/inspector']) {
    throw new Error(`npx resolved ${INSPECTOR_PACKAGE} to a binary that reports ${version.stdout.trim()}`);
  }
  return { node, bin };
};

/**
 * A home of its own for the Inspector's files (~/.mcp-inspector: catalog, client config, OAuth state), and secrets
 * kept in memory: no run sees another's state, and nothing lands in the real home.
 */
export const createInspectorHome = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-inspector-home-'));

const inspectorEnv = (home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  HOME: home,
  MCP_INSPECTOR_SECRET_STORE: 'memory',
  ...extra,
});

export const headerFlags = (headers: Record<string, string>) =>
  Object.entries(headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`]);

export interface CliRunOptions {
  home: string;
  /**
   * Runs the CLI in a pseudo-terminal (`script`), as a person at a terminal runs it: the CLI then starts the
   * interactive OAuth sign-in when the server answers 401, where without a terminal it refuses to.
   */
  terminal?: boolean;
}

/** One `mcp-inspector --cli ...` run, in a fresh process. */
export const runInspectorCli = (
  install: InspectorInstall,
  args: string[],
  { home, terminal = false }: CliRunOptions,
): Promise<ProcessResult> => {
  const command = [install.node, install.bin, '--cli', ...args];
  const env = inspectorEnv(home);
  return terminal
    ? runProcess('script', ['-qec', command.map(shellQuote).join(' '), '/dev/null'], {
        env,
        timeoutMs: CLI_TIMEOUT_MS,
      })
    : runProcess(command[0], command.slice(1), { env, timeoutMs: CLI_TIMEOUT_MS });
};

export interface InspectorWeb {
  /** The address the UI prints for its user, with the token its backend requires. */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The Inspector web UI (`mcp-inspector --web`) with one ad-hoc server: the MCP endpoint over Streamable HTTP with
 * these headers. The page talks to the UI's own backend, which holds the MCP connection.
 */
export const startInspectorWeb = async (
  install: InspectorInstall,
  {
    home,
    serverUrl,
    headers,
    protocolEra,
  }: { home: string; serverUrl: string; headers: Record<string, string>; protocolEra?: string },
): Promise<InspectorWeb> => {
  // The UI needs a fixed port (its origin allow-list is derived from it); the MCP Apps sandbox may take any.
  const port = await freePort();
  const apiToken = randomBytes(16).toString('hex');
  const args = ['--web', '--transport', 'http', '--server-url', serverUrl, ...headerFlags(headers)];
  if (protocolEra) args.push('--protocol-era', protocolEra);
  const web = startProcess(install.node, [install.bin, ...args], {
    env: inspectorEnv(home, {
      CLIENT_PORT: String(port),
      MCP_SANDBOX_PORT: '0',
      MCP_AUTO_OPEN_ENABLED: 'false',
      MCP_INSPECTOR_API_TOKEN: apiToken,
    }),
  });
  let banner: RegExpMatchArray;
  try {
    banner = await web.waitFor(/is up and running at:\s+(http\S+)/, WEB_START_TIMEOUT_MS);
  } catch (error) {
    await web.stop();
    throw error;
  }
  return {
    url: banner[1],
    output: web.output,
    stop: web.stop,
  };
};

/**
 * What a failed CLI run told its user: the message of its JSON error envelope (`{"error":{"code","message"}}`),
 * else its raw output.
 */
export const cliFailureMessage = (result: ProcessResult): string => {
  const output = `${result.stdout}\n${result.stderr}`;
  for (const line of output.split(/\r?\n/)) {
    try {
      const parsed = JSON.parse(stripVTControlCharacters(line));
      if (typeof parsed?.error?.message === 'string') return parsed.error.message;
    } catch {
      // Not the envelope.
    }
  }
  return output;
};
