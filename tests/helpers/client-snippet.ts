/** Runs a client snippet a person would copy (the README's, the admin panel's) as an ES module, with node. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, type TestApp } from './test-app';

/** What the snippet printed, run as author1 (Author, org-1) with the test's internal secret. */
export const runClientSnippet = async (app: TestApp, name: string, code: string): Promise<string> => {
  // Inside the repository, so that `@modelcontextprotocol/client` resolves as in a project that installed it.
  const file = path.join(REPO_ROOT, '.test-runs', `${name}-${process.pid}.mjs`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [file], {
      env: {
        ...process.env,
        MCP_TOKEN: await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'),
        MCP_SECRET_KEY: app.secret,
      },
      timeout: 30_000,
    });
    return stdout;
  } finally {
    fs.rmSync(file, { force: true });
  }
};
