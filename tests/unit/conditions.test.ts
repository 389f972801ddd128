/** findBrokenCondition: value constraints on incoming data and stored documents, per action and role. */
import { describe, expect, it } from 'vitest';
import type { ConditionConfig } from '../../server/src/config/policy-schema';
import { findBrokenCondition, type ConditionInput } from '../../server/src/services/policy/conditions';
import type { Attribute, TypePolicy } from '../../server/src/services/policy';

const ATTRIBUTES: Record<string, Attribute> = {
  kind: { type: 'enumeration', enum: ['news', 'blog', 'secret'], default: 'news' },
  locked: { type: 'boolean', default: false },
  priority: { type: 'integer' },
  status: { type: 'string' },
};

const typeWith = (...conditions: ConditionConfig[]): TypePolicy => ({
  uid: 'api::article.article',
  schema: {} as TypePolicy['schema'],
  attributes: ATTRIBUTES,
  isSingleType: false,
  hasDraftAndPublish: true,
  isLocalized: false,
  tenantField: null,
  fieldRules: {},
  conditions,
  actionOverrides: {},
});
const condition = (rule: Partial<ConditionConfig>): ConditionConfig => ({
  name: 'rule',
  actions: ['create', 'update', 'delete', 'publish'],
  on: 'data',
  field: 'kind',
  ...rule,
});
const broken = (rule: Partial<ConditionConfig>, input: Partial<ConditionInput>) =>
  findBrokenCondition(typeWith(condition(rule)), { role: 'Author', action: 'update', ...input });

describe('operators', () => {
  it('equals: holds only for the exact value', () => {
    expect(broken({ equals: 'news' }, { data: { kind: 'news' } })).toBeUndefined();
    expect(broken({ equals: 'news' }, { data: { kind: 'blog' } })).toBe('condition "rule" failed: kind must be "news"');
    expect(broken({ equals: 1 }, { data: { kind: '1' } })).toBe('condition "rule" failed: kind must be 1');
  });

  it('notEquals: fails only for the value', () => {
    expect(broken({ notEquals: 'secret' }, { data: { kind: 'blog' } })).toBeUndefined();
    expect(broken({ notEquals: 'secret' }, { data: { kind: 'secret' } })).toBe(
      'condition "rule" failed: kind must not be "secret"',
    );
  });

  it('in: holds for a listed value only', () => {
    expect(broken({ in: ['news', 'blog'] }, { data: { kind: 'blog' } })).toBeUndefined();
    expect(broken({ in: ['news', 'blog'] }, { data: { kind: 'secret' } })).toBe(
      'condition "rule" failed: kind must be one of "news", "blog"',
    );
  });

  it('notIn: fails for a listed value', () => {
    expect(broken({ notIn: ['secret', 'internal'] }, { data: { kind: 'blog' } })).toBeUndefined();
    expect(broken({ notIn: ['secret', 'internal'] }, { data: { kind: 'internal' } })).toBe(
      'condition "rule" failed: kind must not be one of "secret", "internal"',
    );
  });

  it('compares strictly: no case folding, no type coercion', () => {
    expect(broken({ notEquals: 'secret' }, { data: { kind: 'Secret' } })).toBeUndefined();
    expect(broken({ equals: true }, { data: { kind: 'true' } })).toBeDefined();
    expect(broken({ in: [1, 2] }, { data: { kind: '1' } })).toBeDefined();
  });

  it('uses the custom message, still naming the condition', () => {
    expect(
      broken(
        { name: 'no-secret', notEquals: 'secret', message: 'secret articles go through the desk' },
        { data: { kind: 'secret' } },
      ),
    ).toBe('condition "no-secret" failed: secret articles go through the desk');
  });
});

describe('actions and roles', () => {
  it('applies only to the actions it names', () => {
    const rule = { actions: ['create' as const], equals: 'news' };
    expect(broken(rule, { action: 'update', data: { kind: 'blog' } })).toBeUndefined();
    expect(broken(rule, { action: 'create', data: { kind: 'blog' } })).toBeDefined();
  });

  it('applies only to the listed roles', () => {
    const rule = { roles: ['Author'], equals: 'news' };
    expect(broken(rule, { role: 'Author', data: { kind: 'blog' } })).toBeDefined();
    expect(broken(rule, { role: 'Publisher', data: { kind: 'blog' } })).toBeUndefined();
  });

  it('applies to every role but the excepted ones', () => {
    const rule = { exceptRoles: ['Admin'], equals: 'news' };
    expect(broken(rule, { role: 'Admin', data: { kind: 'blog' } })).toBeUndefined();
    expect(broken(rule, { role: 'Author', data: { kind: 'blog' } })).toBeDefined();
  });

  it('matches role names exactly', () => {
    expect(broken({ exceptRoles: ['Admin'], equals: 'news' }, { role: 'admin', data: { kind: 'blog' } })).toBeDefined();
    expect(broken({ roles: ['Author'], equals: 'news' }, { role: 'author', data: { kind: 'blog' } })).toBeUndefined();
  });

  it('applies to every role without roles or exceptRoles', () => {
    expect(broken({ equals: 'news' }, { role: 'Admin', data: { kind: 'blog' } })).toBeDefined();
  });
});

describe('data conditions', () => {
  it('does not apply to a field an update leaves out', () => {
    expect(broken({ equals: 'news' }, { action: 'update', data: { title: 'x' } })).toBeUndefined();
  });

  it('applies to a field an update sets to null', () => {
    expect(broken({ equals: 'news' }, { action: 'update', data: { kind: null } })).toBe(
      'condition "rule" failed: kind must be "news"',
    );
  });

  it('counts the schema default on create when the field is left out', () => {
    expect(broken({ equals: 'news' }, { action: 'create', data: {} })).toBeUndefined();
    expect(broken({ notEquals: 'news' }, { action: 'create', data: {} })).toBe(
      'condition "rule" failed: kind must not be "news"',
    );
    expect(broken({ field: 'locked', equals: false }, { action: 'create', data: {} })).toBeUndefined();
  });

  it('counts a field without default as null on create', () => {
    expect(broken({ field: 'priority', notEquals: null }, { action: 'create', data: {} })).toBe(
      'condition "rule" failed: priority must not be null',
    );
    expect(broken({ field: 'priority', in: [null, 1] }, { action: 'create', data: {} })).toBeUndefined();
  });

  it('lets the sent value override the default on create', () => {
    expect(broken({ equals: 'news' }, { action: 'create', data: { kind: 'secret' } })).toBeDefined();
  });

  it('does not apply without data (delete, publish)', () => {
    expect(broken({ equals: 'news' }, { action: 'delete' })).toBeUndefined();
    expect(broken({ equals: 'news' }, { action: 'publish', stored: { kind: 'blog' } })).toBeUndefined();
  });

  it('ignores the stored document', () => {
    expect(broken({ equals: 'news' }, { data: { kind: 'news' }, stored: { kind: 'blog' } })).toBeUndefined();
  });
});

describe('stored conditions', () => {
  const locked = { on: 'stored' as const, field: 'locked', notEquals: true };

  it('checks the stored document, saying so', () => {
    expect(broken(locked, { action: 'update', stored: { locked: false } })).toBeUndefined();
    expect(broken(locked, { action: 'delete', stored: { locked: true } })).toBe(
      'condition "rule" failed: locked must not be true on the stored document',
    );
  });

  it('ignores the incoming data', () => {
    expect(broken(locked, { data: { locked: true }, stored: { locked: false } })).toBeUndefined();
    expect(broken(locked, { data: { locked: false }, stored: { locked: true } })).toBeDefined();
  });

  it('does not apply without a stored document (create)', () => {
    expect(broken(locked, { action: 'create', data: { locked: true } })).toBeUndefined();
    expect(broken(locked, { action: 'update', stored: null })).toBeUndefined();
  });

  it('reads a missing stored field as null', () => {
    expect(broken({ on: 'stored', field: 'status', equals: null }, { stored: {} })).toBeUndefined();
    expect(broken({ on: 'stored', field: 'status', notIn: [null] }, { stored: {} })).toBe(
      'condition "rule" failed: status must not be one of null on the stored document',
    );
  });

  it('uses the custom message without the stored-document suffix', () => {
    expect(broken({ ...locked, message: 'locked articles cannot change' }, { stored: { locked: true } })).toBe(
      'condition "rule" failed: locked articles cannot change',
    );
  });
});

describe('several conditions', () => {
  it('returns the first broken one, in order', () => {
    const type = typeWith(
      condition({ name: 'first', equals: 'news' }),
      condition({ name: 'second', on: 'stored', field: 'locked', equals: false }),
    );
    expect(
      findBrokenCondition(type, { role: 'Author', action: 'update', data: { kind: 'blog' }, stored: { locked: true } }),
    ).toMatch(/^condition "first" failed/);
    expect(
      findBrokenCondition(type, { role: 'Author', action: 'update', data: { kind: 'news' }, stored: { locked: true } }),
    ).toMatch(/^condition "second" failed/);
    expect(
      findBrokenCondition(type, {
        role: 'Author',
        action: 'update',
        data: { kind: 'news' },
        stored: { locked: false },
      }),
    ).toBeUndefined();
  });

  it('holds when the type has no conditions', () => {
    expect(findBrokenCondition(typeWith(), { role: 'Author', action: 'create', data: { kind: 'x' } })).toBeUndefined();
  });
});
