/**
 * The real MCP clients the client suite replays, at the versions it was last run against. Bump a version here (and
 * mcp-remote's in package.json) deliberately: a new release can change what users see.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const TESTED_CLIENTS = {
  /** Runs through npx on Node 22 (it needs Node >= 22.19): the CLI and the web UI. */
  '@modelcontextprotocol/inspector': '2.12.0',
  /** A devDependency (the Claude Desktop bridge), run from node_modules/.bin. */
  'mcp-remote': '0.15.1',
} as const;

export type TestedClient = keyof typeof TESTED_CLIENTS;

const REGISTRY_TIMEOUT_MS = 60_000;

/** The `latest` version the registry serves for a package, or why it could not be asked. */
const latestVersion = async (name: string): Promise<{ version: string } | { error: string }> => {
  try {
    const { stdout } = await promisify(execFile)('npm', ['view', name, 'version'], { timeout: REGISTRY_TIMEOUT_MS });
    return { version: stdout.trim() };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] };
  }
};

/** Says, without failing anything, when the registry serves a client newer than the one tested here. */
export const noteNewerReleases = async (): Promise<void> => {
  await Promise.all(
    Object.entries(TESTED_CLIENTS).map(async ([name, tested]) => {
      const latest = await latestVersion(name);
      if ('error' in latest) {
        console.warn(`[clients] could not ask the registry for ${name}'s latest version (${latest.error})`);
      } else if (latest.version !== tested) {
        console.warn(
          `[clients] the registry serves ${name}@${latest.version}; this suite replays ${tested}: ` +
            'bump TESTED_CLIENTS in tests/clients/helpers/client-versions.ts and run npm run test:clients',
        );
      }
    }),
  );
};
