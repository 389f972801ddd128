/**
 * The README's client snippet runs as written: the first ```js block after "### TypeScript SDK" is saved as an ES
 * module and run with node against the booted playground, only its URL pointed at this test's port.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestApp, REPO_ROOT, type TestApp } from '../helpers/test-app';

const readSnippet = () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### TypeScript SDK'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README: no js block under "### TypeScript SDK"');
  return match[1];
};

describe('the README client snippet', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('prints whoami for the token it is given', async () => {
    const snippet = readSnippet();
    expect(snippet).toContain("'http://localhost:1337/api/mcp-server/mcp'");
    // Inside the repository, so that `@modelcontextprotocol/client` resolves as in a project that installed it.
    const file = path.join(REPO_ROOT, '.test-runs', `readme-snippet-${process.pid}.mjs`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, snippet.replace('http://localhost:1337/api/mcp-server/mcp', app.mcpUrl));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [file], {
        env: {
          ...process.env,
          MCP_TOKEN: await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'),
          MCP_SECRET_KEY: app.secret,
        },
        timeout: 30_000,
      });
      expect(stdout).toContain('author1@example.com');
      expect(stdout).toContain('2026-07-28');
      expect(stdout).not.toContain('isError: true');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
