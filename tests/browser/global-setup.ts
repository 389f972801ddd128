/**
 * The browser suite's setup: compiles the playground (as the API suite does), then builds its admin panel into
 * playground/dist/build, which bootTestApp({ adminPanel: true }) serves. The compile leaves dist/build alone (only
 * `strapi build` empties it), so an admin build that is still current survives it.
 */
import compilePlayground from '../global-setup';
import { ensureAdminBuild } from './helpers/admin-build';

export default async function setup() {
  await compilePlayground();
  await ensureAdminBuild();
}
