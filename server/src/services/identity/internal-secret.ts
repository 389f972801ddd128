import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time comparison; hashing first makes the comparison independent of both lengths. */
export const isInternalSecretValid = (provided: string | undefined, expected: string): boolean => {
  if (provided === undefined || provided.length === 0) return false;
  return timingSafeEqual(digest(provided), digest(expected));
};
