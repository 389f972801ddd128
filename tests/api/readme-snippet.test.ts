/**
 * The README's client snippet runs as written: the first ```js block after "### TypeScript SDK" is saved as an ES
 * module and run with node against the booted playground, only its URL pointed at this test's port.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClientSnippet } from '../helpers/client-snippet';
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
    const stdout = await runClientSnippet(
      app,
      'readme-snippet',
      snippet.replace('http://localhost:1337/api/mcp-server/mcp', app.mcpUrl),
    );
    expect(stdout).toContain('author1@example.com');
    expect(stdout).toContain('2026-07-28');
    expect(stdout).not.toContain('isError: true');
  });
});
