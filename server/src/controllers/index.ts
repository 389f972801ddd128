import health from './health';
import mcp from './mcp';

export default { health, mcp };
