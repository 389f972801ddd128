import mcp from './mcp';

export default { mcp };
