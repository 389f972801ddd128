import type { Core } from '@strapi/strapi';
import { installLinearLike } from './content/sqlite-like';
import { getService } from './services/get-service';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  // Resolve the exposed content types now, so an unknown or internal type stops the boot.
  getService(strapi, 'policy').compiled();
  getService(strapi, 'sessions').startSweeping();
  getService(strapi, 'audit').start();
  await installLinearLike(strapi);
};

export default bootstrap;
