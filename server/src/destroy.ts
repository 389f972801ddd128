import type { Core } from '@strapi/strapi';
import { getService } from './services/get-service';

const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService(strapi, 'sessions').closeAll('shutdown');
};

export default destroy;
