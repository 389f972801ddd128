/** The email claim: look-alikes, control characters and unverified addresses never pass for an admin user. */
import { describe, expect, it } from 'vitest';
import { foldAsciiCase, isEmailUnverified, readEmailClaim } from '../../server/src/services/identity/email-claim';

const label = (value: string) =>
  JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const refusedWith = (claim: string, reason: string) =>
  expect(readEmailClaim(claim)).toEqual({ ok: false, refusal: { type: 'token', reason } });
const LOOK_ALIKE = 'email claim contains compatibility characters (look-alikes of other letters)';
const NOT_AN_EMAIL = 'email claim is not an email address';

describe('readEmailClaim: look-alikes that NFKC (and PostgreSQL LOWER) fold onto other letters', () => {
  it.each([
    ['the Kelvin sign (U+212A) for K', '\u212Aate@example.com'],
    ['the long s (U+017F) for s', '\u017Fam@example.com'],
    ['a fullwidth letter', '\uFF41dmin@example.com'],
    ['a fullwidth @', 'admin\uFF20example.com'],
    ['the ligature ﬁ', '\uFB01nance@example.com'],
    ['a superscript digit', 'admin\u00B2@example.com'],
    ['a circled letter', '\u24D0dmin@example.com'],
    ['a mathematical bold letter', '\u{1D41A}dmin@example.com'],
    ['a decomposed é (e + combining acute)', 'jose\u0301@example.com'],
    ['a no-break space', 'admin\u00A0@example.com'],
  ])('refuses %s', (_, claim) => {
    refusedWith(claim, LOOK_ALIKE);
  });
});

describe('readEmailClaim: addresses that pass', () => {
  it.each([
    'admin@example.com',
    'Admin.User+tag@Example.COM',
    'jos\u00E9@example.com',
    '\u0438\u0432\u0430\u043D@\u043F\u0440\u0438\u043C\u0435\u0440.\u0440\u0444',
    '\u00FC@b\u00FCcher.de',
    '\u7528\u6237@\u4F8B\u5B50.\u4E2D\u56FD',
  ])('accepts %s as given', (claim) => {
    expect(readEmailClaim(claim)).toEqual({ ok: true, value: claim });
  });

  it('trims surrounding white space', () => {
    expect(readEmailClaim('  admin@example.com\t\n')).toEqual({ ok: true, value: 'admin@example.com' });
  });
});

describe('readEmailClaim: what is not an address', () => {
  it.each(['a b@example.com', 'a\tb@example.com', 'admin@exa mple.com', 'a\u2028b@example.com'])(
    'refuses white space inside: %j',
    (claim) => refusedWith(claim, NOT_AN_EMAIL),
  );

  it.each(['\u0000', '\u0001', '\n', '\r', '\u001b', '\u001f', '\u007f'].map((c) => [label(c), c]))(
    'refuses the control character %s',
    (_, character) => refusedWith(`ad${character}min@example.com`, NOT_AN_EMAIL),
  );

  it.each(['\u0080', '\u0085', '\u009b', '\u009f'].map((c) => [label(c), c]))(
    'refuses the C1 control character %s, as it refuses C0 ones',
    (_, character) => refusedWith(`ad${character}min@example.com`, NOT_AN_EMAIL),
  );

  it.each(['admin', '@example.com', 'admin@', 'a@b@example.com', '', '   ', '@'])('refuses %j', (claim) =>
    refusedWith(claim, NOT_AN_EMAIL),
  );

  it('accepts 254 characters and refuses 255', () => {
    const claim = (length: number) => `${'a'.repeat(length - '@example.com'.length)}@example.com`;
    expect(readEmailClaim(claim(254))).toEqual({ ok: true, value: claim(254) });
    expect(readEmailClaim(` ${claim(254)} `)).toEqual({ ok: true, value: claim(254) });
    refusedWith(claim(255), 'email claim is too long');
    refusedWith(`${'\u212A'.repeat(300)}@example.com`, 'email claim is too long');
  });
});

describe('foldAsciiCase', () => {
  it('folds A-Z only', () => {
    expect(foldAsciiCase('ADMIN.User@Example.COM')).toBe('admin.user@example.com');
    expect(foldAsciiCase('@[`{AZaz09')).toBe('@[`{azaz09');
  });

  it.each([
    ['Ä', '\u00C4'],
    ['the Kelvin sign', '\u212A'],
    ['İ (dotted capital I)', '\u0130'],
    ['ß', '\u00DF'],
    ['a fullwidth A', '\uFF21'],
    ['a Cyrillic А', '\u0410'],
  ])('leaves %s alone', (_, letter) => {
    expect(foldAsciiCase(`${letter}dmin`)).toBe(`${letter}dmin`);
  });

  it('keeps a Kelvin-sign address distinct from its ASCII look-alike', () => {
    expect(foldAsciiCase('\u212Aate@example.com')).not.toBe(foldAsciiCase('kate@example.com'));
  });
});

describe('isEmailUnverified', () => {
  it('is false when the claim is absent', () => {
    expect(isEmailUnverified(undefined)).toBe(false);
  });

  it.each([true, 'true'])('is false for %j', (claim) => {
    expect(isEmailUnverified(claim)).toBe(false);
  });

  it.each([false, 'false', 0, 1, null, 'yes', 'TRUE', 'True', ' true', '', {}, [true]])('is true for %j', (claim) => {
    expect(isEmailUnverified(claim)).toBe(true);
  });
});
