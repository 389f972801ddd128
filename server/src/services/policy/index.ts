import type { Core } from '@strapi/strapi';
import { getService } from '../get-service';
import type { McpCaller } from '../identity';
import { createCallPolicy, type CallPolicy } from './call-policy';
import { compilePolicy, type CompiledPolicy } from './compile-policy';
import { resolvePolicyRole } from './roles';

const createPolicyService = ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = getService(strapi, 'settings');
  // Recompiled against the real schemas after every settings change, at its next use; a change that does not
  // compile is refused before it applies.
  const compiledPolicy: () => CompiledPolicy = settings.derived((config) => compilePolicy(strapi, config));
  settings.addCheck((config) => void compilePolicy(strapi, config));

  return {
    /** Compiles the policy against the real schemas; bootstrap calls it so a bad entry stops the boot. */
    compiled: compiledPolicy,

    /** The policy role this caller acts under (null: none, whoami only): what audit rows record as `role`. */
    roleOf(caller: McpCaller): string | null {
      return resolvePolicyRole(caller, settings.get(), compiledPolicy());
    },

    /** The policy as it applies to this caller, for one call: built by the MCP binding and carried in the context. */
    forCaller(caller: McpCaller): CallPolicy {
      return createCallPolicy(strapi, settings.get(), compiledPolicy(), caller);
    },
  };
};

export default createPolicyService;
export type PolicyService = ReturnType<typeof createPolicyService>;
export type { CallPolicy, Filter } from './call-policy';
export type { TypePolicy, CompiledPolicy, Attribute } from './compile-policy';
export type { Operation, Reach } from './roles';
