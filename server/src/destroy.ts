import type { Core } from '@strapi/strapi';
import { removeDatabaseOutageGuard } from './boot/database-outage-guard';
import { getService } from './services/get-service';

const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService(strapi, 'sessions').closeAll('shutdown');
  await (strapi.plugin('mcp-server').controller('mcp') as { close?: () => Promise<void> }).close?.();
  // Queued audit rows (reads, refusals) are written before the database closes.
  await getService(strapi, 'audit').stop();
  getService(strapi, 'cluster').stop();
  await getService(strapi, 'rate-limits').close();
  removeDatabaseOutageGuard(strapi);
};

export default destroy;
