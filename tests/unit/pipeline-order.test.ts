/** The rules the tool-call runner applies, pinned to the order docs/policy.md and docs/architecture.md draw. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_RULES } from '../../server/src/content/pipeline/rules';

const MARKER = '<!-- tool-call rules:';

/** The numbered rule names of the fenced block that follows the marker comment of a doc. */
const documentedRules = (file: string): string[] => {
  const text = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', file), 'utf8');
  const after = text.slice(text.indexOf(MARKER));
  expect(after.startsWith(MARKER), `${file} marks its rule list`).toBe(true);
  const block = after.slice(after.indexOf('```') + 3, after.indexOf('```', after.indexOf('```') + 3));
  return [...block.matchAll(/^\s*\d+\. (.+?)(?: {2,}|$)/gm)].map((match) => match[1].trim());
};

describe('tool-call pipeline', () => {
  it('runs the rules in the order docs/policy.md gives', () => {
    expect(CONTENT_RULES.map((rule) => rule.name)).toEqual(documentedRules('policy.md'));
  });

  it('runs the rules in the order docs/architecture.md draws', () => {
    expect(CONTENT_RULES.map((rule) => rule.name)).toEqual(documentedRules('architecture.md'));
  });

  it('ends with execute, shape output and audit, after every check', () => {
    expect(CONTENT_RULES.slice(-3).map((rule) => rule.name)).toEqual(['execute', 'shape output', 'audit']);
  });
});
