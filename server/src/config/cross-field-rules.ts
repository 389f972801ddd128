import type { z } from 'zod';

interface Payload {
  issues: ReadonlyArray<{ path?: PropertyKey[] }>;
}

/**
 * Runs a cross-field rule even when other fields of the object have problems, so that one boot reports everything;
 * it is skipped only when one of the fields it compares is itself invalid (that field's own problem is reported).
 * With no keys, the rule always runs.
 */
export const unlessInvalid = (...keys: string[]) => ({
  when: (payload: Payload) => !payload.issues.some((issue) => keys.includes(String(issue.path?.[0]))),
});

/** `smaller` may not be set above `larger` (a per-user cap above the total, a default above the maximum). */
export const atMost = (smaller: string, larger: string) =>
  [
    (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
      const [low, high] = [value[smaller], value[larger]];
      if (typeof low === 'number' && typeof high === 'number' && low > high) {
        ctx.addIssue({ code: 'custom', path: [smaller], message: `must not exceed ${larger} (${high})` });
      }
    },
    unlessInvalid(smaller, larger),
  ] as const;
