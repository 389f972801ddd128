import type { Core } from '@strapi/strapi';
import type { AccessCacheService } from './access-cache';
import type { AuditService } from './audit';
import type { ClusterService } from './cluster';
import type { ConfirmationsService } from './confirmations';
import type { IdentityService } from './identity';
import type { IndexesService } from './indexes';
import type { OAuthService } from './oauth';
import type { PolicyService } from './policy';
import type { RateLimitsService } from './rate-limits';
import type { SessionsService } from './sessions';
import { PLUGIN_ID, type SettingsService } from './settings';
import type { ToolsService } from './tools';

interface Services {
  'access-cache': AccessCacheService;
  audit: AuditService;
  cluster: ClusterService;
  confirmations: ConfirmationsService;
  identity: IdentityService;
  indexes: IndexesService;
  oauth: OAuthService;
  policy: PolicyService;
  'rate-limits': RateLimitsService;
  sessions: SessionsService;
  settings: SettingsService;
  tools: ToolsService;
}

/** Typed access to this plugin's services. */
export const getService = <Name extends keyof Services>(strapi: Core.Strapi, name: Name): Services[Name] =>
  strapi.plugin(PLUGIN_ID).service(name) as Services[Name];
