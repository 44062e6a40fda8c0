import { describe, expect, it } from '@jest/globals';
import { createCallerVerifier } from '../src/index.js';
import { keySet, tokenFor } from './fixtures.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('caller verification at the router', () => {
  it('verifies a token once and reuses the outcome until the token expires', async () => {
    let now = Date.now();
    const verifier = createCallerVerifier(keySet, { now: () => now });
    const token = await tokenFor('u1', 'ADMIN', { ttlSeconds: 1, now: () => now });
    expect(await verifier.verify(`Bearer ${token}`)).toEqual({ caller: { userId: 'u1', role: 'ADMIN' }, error: null, expiresAt: expect.any(Number) });
    expect(await verifier.verify(`Bearer ${token}`)).toEqual({ caller: { userId: 'u1', role: 'ADMIN' }, error: null, expiresAt: expect.any(Number) });
    now += 2100;
    expect(await verifier.verify(`Bearer ${token}`)).toMatchObject({ caller: null, error: { code: 'UNAUTHENTICATED', message: 'Access token expired' } });
  });

  it.each([
    ['garbage', 'Bearer garbage'],
    ['alg none', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'u1', role: 'ADMIN', typ: 'access', iss: 'shop-users', aud: 'shop', exp: 9_999_999_999 })}.`],
    ['not a bearer token', 'Basic dXNlcjpwdw=='],
  ])('refuses %s with UNAUTHENTICATED', async (_name, header) => {
    const verified = await createCallerVerifier(keySet).verify(header);
    expect(verified.caller).toBeNull();
    expect(verified.error?.code).toBe('UNAUTHENTICATED');
  });

  it('treats no header as an anonymous caller', async () => {
    expect(await createCallerVerifier(keySet).verify(undefined)).toEqual({ caller: null, error: null });
  });
});
