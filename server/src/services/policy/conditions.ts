import type { ConditionConfig } from '../../config/policy-schema';
import type { TypePolicy } from './compile-policy';

type Scalar = string | number | boolean | null;

const describe = (condition: ConditionConfig) => {
  if (condition.equals !== undefined) return `must be ${JSON.stringify(condition.equals)}`;
  if (condition.notEquals !== undefined) return `must not be ${JSON.stringify(condition.notEquals)}`;
  if (condition.in !== undefined)
    return `must be one of ${condition.in.map((value) => JSON.stringify(value)).join(', ')}`;
  return `must not be one of ${condition.notIn!.map((value) => JSON.stringify(value)).join(', ')}`;
};

const holds = (condition: ConditionConfig, value: Scalar) => {
  if (condition.equals !== undefined) return value === condition.equals;
  if (condition.notEquals !== undefined) return value !== condition.notEquals;
  if (condition.in !== undefined) return condition.in.includes(value);
  return !condition.notIn!.includes(value);
};

const appliesTo = (condition: ConditionConfig, role: string) => {
  if (condition.roles) return condition.roles.includes(role);
  if (condition.exceptRoles) return !condition.exceptRoles.includes(role);
  return true;
};

/** The actions a condition can name. */
export const CONDITION_ACTIONS = ['create', 'update', 'delete', 'publish'] as const;
export type ConditionAction = (typeof CONDITION_ACTIONS)[number];

export interface ConditionInput {
  role: string;
  action: ConditionAction;
  /** The incoming data (create, update). */
  data?: Record<string, unknown>;
  /** The stored document (update, delete, publish). */
  stored?: Record<string, unknown> | null;
}

/**
 * The first condition of the type that the call breaks, as a sentence naming it, or undefined.
 * A data condition on a field the update leaves out does not apply; on create, the field's schema default counts.
 */
export const findBrokenCondition = (type: TypePolicy, input: ConditionInput): string | undefined => {
  for (const condition of type.conditions) {
    if (!condition.actions.includes(input.action) || !appliesTo(condition, input.role)) continue;
    let value: Scalar;
    if (condition.on === 'data') {
      if (!input.data) continue;
      if (condition.field in input.data) value = input.data[condition.field] as Scalar;
      else if (input.action === 'create') value = (type.attributes[condition.field]?.default as Scalar) ?? null;
      else continue;
    } else {
      if (!input.stored) continue;
      value = (input.stored[condition.field] as Scalar) ?? null;
    }
    if (holds(condition, value)) continue;
    const where = condition.on === 'stored' ? ' on the stored document' : '';
    return `condition "${condition.name}" failed: ${condition.message ?? `${condition.field} ${describe(condition)}${where}`}`;
  }
  return undefined;
};
