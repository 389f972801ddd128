import type { Core } from '@strapi/strapi';
import { getService } from './services/get-service';

const bootstrap = ({ strapi }: { strapi: Core.Strapi }) => {
  // Resolve the exposed content types now, so an unknown or internal type stops the boot.
  getService(strapi, 'policy').compiled();
  getService(strapi, 'sessions').startSweeping();
  getService(strapi, 'audit').start();
};

export default bootstrap;
