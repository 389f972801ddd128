import audit from './audit';
import identity from './identity';
import oauth from './oauth';
import policy from './policy';
import sessions from './sessions';
import settings from './settings';
import tools from './tools';

export default { audit, identity, oauth, policy, sessions, settings, tools };
