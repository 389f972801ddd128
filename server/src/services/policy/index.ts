import type { Core } from '@strapi/strapi';
import { readPluginConfig } from '../../config/read-plugin-config';
import type { McpCaller } from '../identity';
import { createCallPolicy, type CallPolicy } from './call-policy';
import { compilePolicy, type CompiledPolicy } from './compile-policy';

const createPolicyService = ({ strapi }: { strapi: Core.Strapi }) => {
  let compiled: CompiledPolicy | undefined;

  const compiledPolicy = () => {
    compiled ??= compilePolicy(strapi, readPluginConfig(strapi));
    return compiled;
  };

  return {
    /** Compiles the policy against the real schemas; bootstrap calls it so a bad entry stops the boot. */
    compiled: compiledPolicy,

    /** The policy as it applies to this caller, for one tool call. */
    forCaller(caller: McpCaller): CallPolicy {
      return createCallPolicy(strapi, readPluginConfig(strapi), compiledPolicy(), caller);
    },
  };
};

export default createPolicyService;
export type PolicyService = ReturnType<typeof createPolicyService>;
export type { CallPolicy, Filter } from './call-policy';
export type { TypePolicy, CompiledPolicy, Attribute } from './compile-policy';
export type { Operation, Reach } from './roles';
