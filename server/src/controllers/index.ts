import health from './health';
import mcp from './mcp';
import oauthMetadata from './oauth-metadata';

export default { health, mcp, 'oauth-metadata': oauthMetadata };
