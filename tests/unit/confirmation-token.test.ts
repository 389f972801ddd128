/** The confirmation token of `mutations: 'confirm'`: pure, each binding and each way of tampering checked. */
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkConfirmationToken,
  type ConfirmationBinding,
  MAX_TOKEN_LENGTH,
  mintConfirmationToken,
} from '../../server/src/content/confirmation-token';

const KEY = randomBytes(32);
const NOW = Date.UTC(2026, 0, 1);
const TTL_MS = 300_000;
const BINDING: ConfirmationBinding = {
  caller: 'caller-digest',
  action: 'content-type:update',
  contentType: 'api::article.article',
  documentId: 'doc-a',
  args: 'args-digest',
};

const mint = (binding = BINDING) => mintConfirmationToken(KEY, binding, TTL_MS, NOW);
const check = (token: string, expected = BINDING, now = NOW + 1000) =>
  checkConfirmationToken(KEY, token, expected, now);

/** The token's claims as JSON, and the token rebuilt from other claims with the original signature kept. */
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
const withClaims = (token: string, claims: unknown) => {
  const [version, , signature] = token.split('.');
  return `${version}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
};
/** A token signed with the right key over any body: what only the server could make. */
const signedBody = (payload: string) => {
  const body = `mc1.${Buffer.from(payload).toString('base64url')}`;
  return `${body}.${createHmac('sha256', KEY).update(body).digest('base64url')}`;
};

describe('confirmation token', () => {
  it('confirms the call it was minted for, with its id and expiry', () => {
    const minted = mint();
    expect(minted.expiresAt).toBe(NOW + TTL_MS);
    expect(check(minted.token)).toEqual({ ok: true, jti: minted.jti, expiresAt: NOW + TTL_MS });
  });

  it('has an id of its own each time, for the same call', () => {
    const ids = new Set(Array.from({ length: 50 }, () => mint().jti));
    expect(ids.size).toBe(50);
  });

  it('expires at its expiry, not a millisecond later', () => {
    const { token } = mint();
    expect(check(token, BINDING, NOW + TTL_MS - 1).ok).toBe(true);
    expect(check(token, BINDING, NOW + TTL_MS)).toEqual({ ok: false, problem: 'expired', expiredAt: NOW + TTL_MS });
  });

  it.each([
    ['another caller', { caller: 'other-caller' }, { problem: 'caller' }],
    ['another tool', { action: 'content-type:delete' }, { problem: 'action', issuedFor: 'content-type:update' }],
    [
      'another content type',
      { contentType: 'api::category.category' },
      { problem: 'content-type', issuedFor: 'api::article.article' },
    ],
    ['another document', { documentId: 'doc-b' }, { problem: 'document', issuedFor: 'doc-a' }],
    ['a new document', { documentId: null }, { problem: 'document', issuedFor: 'doc-a' }],
    ['other arguments (a payload swap)', { args: 'other-args' }, { problem: 'arguments' }],
  ])('refuses %s', (_what, change, problem) => {
    expect(check(mint().token, { ...BINDING, ...change })).toEqual({ ok: false, ...problem });
  });

  it('tells another caller nothing of what the token was issued for', () => {
    expect(check(mint().token, { ...BINDING, caller: 'other-caller', documentId: 'doc-b' })).toEqual({
      ok: false,
      problem: 'caller',
    });
  });

  it('says expired before anything else', () => {
    const other = { ...BINDING, caller: 'other-caller', args: 'other-args' };
    expect(check(mint().token, other, NOW + TTL_MS)).toEqual({
      ok: false,
      problem: 'expired',
      expiredAt: NOW + TTL_MS,
    });
  });

  describe('tampering', () => {
    it.each([
      ['its document', { documentId: 'doc-b' }],
      ['its expiry', { exp: NOW + 10 * TTL_MS }],
      ['its caller', { caller: 'other-caller' }],
      ['its arguments digest', { args: 'other-args' }],
      ['its id (to use it twice)', { jti: 'fresh-id' }],
    ])('refuses a token whose claims were changed: %s', (_what, change) => {
      const { token } = mint();
      const forged = withClaims(token, { ...claimsOf(token), ...change });
      const expected = { ...BINDING, ...(change as Partial<ConfirmationBinding>) };
      expect(check(forged, expected)).toEqual({ ok: false, problem: 'signature' });
    });

    it('refuses an altered, truncated or missing signature', () => {
      const { token } = mint();
      const [version, claims, signature] = token.split('.');
      const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
      for (const forged of [`${version}.${claims}.${flipped}`, `${version}.${claims}.${signature.slice(0, 20)}`]) {
        expect(check(forged)).toEqual({ ok: false, problem: 'signature' });
      }
      expect(check(`${version}.${claims}.`)).toEqual({ ok: false, problem: 'signature' });
    });

    it('refuses a token signed with another key (another deployment, other APP_KEYS)', () => {
      const elsewhere = mintConfirmationToken(randomBytes(32), BINDING, TTL_MS, NOW);
      expect(check(elsewhere.token)).toEqual({ ok: false, problem: 'signature' });
    });
  });

  describe('malformed', () => {
    it.each([
      ['empty', ''],
      ['one part', 'abc'],
      ['two parts', 'mc1.abc'],
      ['four parts', 'mc1.a.b.c'],
      ['another version', mint().token.replace(/^mc1/, 'mc2')],
      ['over the length bound', `mc1.${'a'.repeat(MAX_TOKEN_LENGTH)}.sig`],
    ])('refuses %s without reading it', (_what, token) => {
      expect(check(token)).toEqual({ ok: false, problem: 'malformed' });
    });

    it('refuses signed bodies that are not its claims', () => {
      for (const payload of ['not json', '[]', 'null', JSON.stringify({ ...BINDING, jti: 'x' })]) {
        expect(check(signedBody(payload))).toEqual({ ok: false, problem: 'malformed' });
      }
    });
  });
});
