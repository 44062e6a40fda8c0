import { describe, expect, it } from '@jest/globals';
import { signAccessToken } from '@shop/subgraph-kit';
import { createCallerVerifier } from '../src/index.js';

const secret = 'router-auth-test-secret-long-enough-123';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('caller verification at the router', () => {
  it('verifies a token once and reuses the outcome until the token expires', async () => {
    const verifier = createCallerVerifier(secret);
    const token = await signAccessToken({ userId: 'u1', role: 'ADMIN' }, { secret, ttlSeconds: 1 });
    expect(await verifier.verify(`Bearer ${token}`)).toEqual({ caller: { userId: 'u1', role: 'ADMIN' }, error: null, expiresAt: expect.any(Number) });
    expect(await verifier.verify(`Bearer ${token}`)).toEqual({ caller: { userId: 'u1', role: 'ADMIN' }, error: null, expiresAt: expect.any(Number) });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await verifier.verify(`Bearer ${token}`)).toMatchObject({ caller: null, error: { code: 'UNAUTHENTICATED', message: 'Access token expired' } });
  });

  it.each([
    ['garbage', 'Bearer garbage'],
    ['alg none', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'u1', role: 'ADMIN', typ: 'access', iss: 'shop-users', aud: 'shop', exp: 9_999_999_999 })}.`],
    ['not a bearer token', 'Basic dXNlcjpwdw=='],
  ])('refuses %s with UNAUTHENTICATED', async (_name, header) => {
    const verified = await createCallerVerifier(secret).verify(header);
    expect(verified.caller).toBeNull();
    expect(verified.error?.code).toBe('UNAUTHENTICATED');
  });

  it('treats no header as an anonymous caller', async () => {
    expect(await createCallerVerifier(secret).verify(undefined)).toEqual({ caller: null, error: null });
  });
});
