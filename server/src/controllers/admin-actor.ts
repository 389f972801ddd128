import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { ConfigurationError } from '../config/config-problems';
import type { SettingsActor } from '../services/settings';

/**
 * The admin user behind an admin route request (the admin::isAuthenticatedAdmin policy has run), and how they came:
 * the admin panel (an admin session), or a Strapi admin token holding the plugin's actions.
 */
export const actorOf = (ctx: Context): SettingsActor => {
  const user = ctx.state.user as { id: number; email: string };
  const auth = ctx.state.auth as { strategy?: { name?: string }; credentials?: { id?: number } } | undefined;
  const viaToken = auth?.strategy?.name === 'admin-token' && typeof auth.credentials?.id === 'number';
  return {
    id: user.id,
    email: user.email,
    credential: viaToken ? `admin-token:${auth.credentials!.id}` : 'admin-panel',
  };
};

/**
 * A refused configuration as Strapi's 400 ValidationError, each problem at its path, so that the admin panel shows it
 * beside its field; any other error goes on to Strapi's error handler.
 */
export const asValidationError = (error: unknown): never => {
  if (error instanceof ConfigurationError) {
    throw new errors.ValidationError(
      error.problems.length === 1
        ? `${error.problems[0].path.join('.') || 'settings'}: ${error.problems[0].message}`
        : `${error.problems.length} problems in the settings`,
      { errors: error.problems.map(({ path, message }) => ({ path, message, name: 'ValidationError' })) },
    );
  }
  throw error;
};
