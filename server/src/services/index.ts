import accessCache from './access-cache';
import audit from './audit';
import cluster from './cluster';
import confirmations from './confirmations';
import identity from './identity';
import indexes from './indexes';
import oauth from './oauth';
import policy from './policy';
import rateLimits from './rate-limits';
import sessions from './sessions';
import settings from './settings';
import tools from './tools';

export default {
  'access-cache': accessCache,
  audit,
  cluster,
  confirmations,
  identity,
  indexes,
  oauth,
  policy,
  'rate-limits': rateLimits,
  sessions,
  settings,
  tools,
};
