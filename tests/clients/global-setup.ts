/**
 * The client suite's setup: compiles the playground (as the API suite does), notes newer client releases, checks the
 * installed mcp-remote is the pinned one, and resolves the pinned Inspector through npx once for every test file.
 */
import type { TestProject } from 'vitest/node';
import compilePlayground from '../global-setup';
import { noteNewerReleases, TESTED_CLIENTS } from './helpers/client-versions';
import { resolveInspectorInstall, type InspectorInstall } from './helpers/inspector';
import { installedMcpRemoteVersion } from './helpers/mcp-remote';

declare module 'vitest' {
  export interface ProvidedContext {
    inspector: InspectorInstall;
  }
}

export default async function setup(project: TestProject) {
  const installed = installedMcpRemoteVersion();
  if (installed !== TESTED_CLIENTS['mcp-remote']) {
    throw new Error(
      `node_modules holds mcp-remote ${installed}, the suite pins ${TESTED_CLIENTS['mcp-remote']}: align ` +
        'package.json and tests/clients/helpers/client-versions.ts',
    );
  }
  const [inspector] = await Promise.all([resolveInspectorInstall(), noteNewerReleases(), compilePlayground()]);
  project.provide('inspector', inspector);
}
