/** Compiles the playground (TypeScript app) once; every test file boots it from playground/dist. */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { compileStrapi as CompileStrapi } from '@strapi/strapi';

export default async function setup() {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  const { compileStrapi } = createRequire(__filename)('@strapi/strapi') as { compileStrapi: typeof CompileStrapi };
  await compileStrapi({ appDir: path.resolve(__dirname, '..', 'playground'), ignoreDiagnostics: false });
}
