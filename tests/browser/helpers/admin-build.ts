/**
 * The playground's admin panel, built with `strapi build` into playground/dist/build, and rebuilt only when what
 * goes into the bundle changed: the hash of those inputs is kept in a stamp file inside the build, which every
 * `strapi build` (ours or a person's) deletes with the rest of the folder.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PLAYGROUND_ADMIN_BUILD, PLAYGROUND_DIR, REPO_ROOT } from '../../helpers/test-app';

const STAMP = path.join(PLAYGROUND_ADMIN_BUILD, '.inputs-hash');
const STRAPI_CLI = path.join(
  path.dirname(createRequire(__filename).resolve('@strapi/strapi/package.json')),
  'bin',
  'strapi.js',
);

/**
 * The bundle is made from the plugin's built admin (dist/admin, what the playground imports), the playground's admin
 * customisations, config (plugins, admin path) and dependencies, the installed packages (the lockfile), and the
 * STRAPI_ADMIN_* variables, from the environment or playground/.env, that Strapi writes into it.
 */
const INPUTS = [
  path.join(REPO_ROOT, 'dist', 'admin'),
  path.join(REPO_ROOT, 'package-lock.json'),
  path.join(PLAYGROUND_DIR, 'src', 'admin'),
  path.join(PLAYGROUND_DIR, 'config'),
  path.join(PLAYGROUND_DIR, 'package.json'),
  path.join(PLAYGROUND_DIR, '.env'),
];

const filesUnder = (location: string): string[] => {
  if (!fs.existsSync(location)) return [];
  if (!fs.statSync(location).isDirectory()) return [location];
  return fs
    .readdirSync(location, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(location, name))
    .filter((file) => fs.statSync(file).isFile())
    .sort();
};

export const adminBuildInputsHash = (): string => {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(filesUnder)) {
    hash
      .update(`${path.relative(REPO_ROOT, file)}\0`)
      .update(fs.readFileSync(file))
      .update('\0');
  }
  for (const name of Object.keys(process.env).sort()) {
    if (name.toUpperCase().startsWith('STRAPI_ADMIN_')) hash.update(`${name}=${process.env[name]}\0`);
  }
  return hash.digest('hex');
};

const isUpToDate = (inputsHash: string) =>
  fs.existsSync(path.join(PLAYGROUND_ADMIN_BUILD, 'index.html')) &&
  fs.existsSync(STAMP) &&
  fs.readFileSync(STAMP, 'utf8') === inputsHash;

/**
 * `strapi build` in a child process: @strapi/strapi exports no build function, and the CLI's compiles the playground
 * first (incremental, quick after the setup's own compile) and exits the process when that fails.
 */
const runStrapiBuild = () =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [STRAPI_CLI, 'build'], {
      cwd: PLAYGROUND_DIR,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        STRAPI_TELEMETRY_DISABLED: 'true',
        // Loading config/plugins.ts needs a JWKS source; without one it reads the dev keys `npm run develop` makes.
        MCP_JWKS_URI: process.env.MCP_JWKS_URI ?? 'http://127.0.0.1:9/jwks.json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`strapi build exited with ${code}:\n${output}`)),
    );
  });

/** Builds the admin panel unless the build in place was made from the same inputs; says which, and how long. */
export const ensureAdminBuild = async (): Promise<void> => {
  const inputsHash = adminBuildInputsHash();
  if (process.env.BROWSER_TESTS_REBUILD_ADMIN !== '1' && isUpToDate(inputsHash)) {
    console.log('admin panel: playground/dist/build is up to date, not rebuilt');
    return;
  }
  const started = Date.now();
  await runStrapiBuild();
  fs.writeFileSync(STAMP, inputsHash);
  console.log(`admin panel: built into playground/dist/build in ${((Date.now() - started) / 1000).toFixed(1)} s`);
};
