import mcp from './mcp';
import oauthMetadata from './oauth-metadata';

export default { mcp, 'oauth-metadata': oauthMetadata };
