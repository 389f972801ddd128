/** Origin (DNS-rebinding) and protocol-version guards, attack by attack. */
import { describe, expect, it } from 'vitest';
import { isInternalSecretValid } from '../../server/src/services/identity/internal-secret';
import { checkOrigin, checkProtocolVersion, createOriginPolicy } from '../../server/src/mcp/request-guards';

describe('checkOrigin', () => {
  const strict = createOriginPolicy(['https://agents.example.com'], false);
  const development = createOriginPolicy([], true);

  it('lets requests without Origin through (non-browser clients)', () => {
    expect(checkOrigin(undefined, strict)).toBeUndefined();
  });

  it('accepts an allowed origin, however it is spelled', () => {
    expect(checkOrigin('https://agents.example.com', strict)).toBeUndefined();
    expect(checkOrigin('https://AGENTS.example.com:443', strict)).toBeUndefined();
  });

  it.each([
    'http://evil.example.com',
    'https://agents.example.com.evil.com',
    'http://agents.example.com',
    'https://agents.example.com:8443',
    'null',
    'file://',
    'not a url',
  ])('refuses %s', (origin) => {
    expect(checkOrigin(origin, strict)?.type).toBe('origin');
  });

  it('accepts loopback origins only when loopback is allowed (development)', () => {
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:6274', 'http://[::1]:8080']) {
      expect(checkOrigin(origin, development)).toBeUndefined();
      expect(checkOrigin(origin, strict)?.type).toBe('origin');
    }
    expect(checkOrigin('http://localhost.evil.com', development)?.type).toBe('origin');
  });
});

describe('checkProtocolVersion', () => {
  it('accepts a missing header and every supported version', () => {
    expect(checkProtocolVersion(undefined)).toBeUndefined();
    expect(checkProtocolVersion('2025-06-18')).toBeUndefined();
    expect(checkProtocolVersion('2025-11-25')).toBeUndefined();
  });

  it('refuses an unknown version, without echoing an unbounded header', () => {
    const refusal = checkProtocolVersion(`9999-99-99${'x'.repeat(500)}`);
    expect(refusal?.type).toBe('protocol-version');
    expect(refusal!.reason.length).toBeLessThan(200);
  });
});

describe('isInternalSecretValid', () => {
  const secret = 's3cr3t-'.repeat(6);
  it('accepts the exact secret only', () => {
    expect(isInternalSecretValid(secret, secret)).toBe(true);
    expect(isInternalSecretValid(secret.toUpperCase(), secret)).toBe(false);
    expect(isInternalSecretValid(`${secret} `, secret)).toBe(false);
    expect(isInternalSecretValid(secret.slice(0, -1), secret)).toBe(false);
    expect(isInternalSecretValid('', secret)).toBe(false);
    expect(isInternalSecretValid(undefined, secret)).toBe(false);
  });
});
