import { accept, refuse, type Outcome } from '../../outcome';

const MAX_EMAIL_LENGTH = 254;

/**
 * The email claim as it may be matched against admin users. The database matches case-insensitively, and PostgreSQL's
 * `LOWER` folds Unicode signs onto ASCII letters (the Kelvin sign K becomes k): a claim that NFKC normalization would
 * change is a look-alike of another address and is refused outright.
 */
export const readEmailClaim = (value: string): Outcome<string> => {
  const email = value.trim();
  if (email.length > MAX_EMAIL_LENGTH) return refuse('token', 'email claim is too long');
  if (email.normalize('NFKC') !== email) {
    return refuse('token', 'email claim contains compatibility characters (look-alikes of other letters)');
  }
  // eslint-disable-next-line no-control-regex -- the point is to find control characters and spaces
  if (!/^[^\s@\u0000-\u001f\u007f-\u009f]+@[^\s@\u0000-\u001f\u007f-\u009f]+$/u.test(email)) {
    return refuse('token', 'email claim is not an email address');
  }
  return accept(email);
};

/** Case folding of ASCII letters only: what "the same address" means once the database has found candidates. */
export const foldAsciiCase = (email: string): string => email.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

/**
 * `email_verified` as OpenID Connect defines it; some providers send the string "true". When the claim is present and
 * anything but true, the identity provider says it has not checked that the caller owns the address.
 */
export const isEmailUnverified = (claim: unknown): boolean => claim !== undefined && claim !== true && claim !== 'true';
