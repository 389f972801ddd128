import { parsePluginConfig } from './schema';

export default {
  default: {},
  validator: (config: unknown) => {
    parsePluginConfig(config);
  },
};
