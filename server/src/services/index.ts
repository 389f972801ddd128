import identity from './identity';
import policy from './policy';
import sessions from './sessions';
import tools from './tools';

export default { identity, policy, sessions, tools };
