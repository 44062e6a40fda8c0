import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { callerFromAuthorization, requireAdmin, signAccessToken, verifyAccessToken } from '@shop/subgraph-kit';

const secret = 'kit-test-secret-which-is-long-enough-42';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = { sub: 'u1', role: 'ADMIN', typ: 'access', iss: 'shop-users', aud: 'shop' };

function forge(header: Record<string, unknown>, payload: Record<string, unknown>, key = secret, alg = 'sha256'): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac(alg, key).update(body).digest('base64url')}`;
}

describe('access tokens', () => {
  it('round-trips the caller', async () => {
    const token = await signAccessToken({ userId: 'u1', role: 'CUSTOMER' }, { secret, ttlSeconds: 60 });
    await expect(verifyAccessToken(token, secret)).resolves.toEqual({ userId: 'u1', role: 'CUSTOMER' });
  });

  it.each([
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: now() + 60 })}.`],
    ['HS512 instead of the pinned HS256', forge({ alg: 'HS512' }, { ...claims, exp: now() + 60 }, secret, 'sha512')],
    ['another secret', forge({ alg: 'HS256' }, { ...claims, exp: now() + 60 }, 'some-other-secret-some-other-secret')],
    ['an expired token', forge({ alg: 'HS256' }, { ...claims, exp: now() - 10 })],
    ['a refresh-type token', forge({ alg: 'HS256' }, { ...claims, typ: 'refresh', exp: now() + 60 })],
    ['an unknown role', forge({ alg: 'HS256' }, { ...claims, role: 'ROOT', exp: now() + 60 })],
    ['garbage', 'not.a.jwt'],
  ])('refuses %s with UNAUTHENTICATED', async (_name, token) => {
    await expect(verifyAccessToken(token, secret)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('treats a missing header as anonymous and a bad one as an auth error raised on use', async () => {
    expect(await callerFromAuthorization(undefined, secret)).toEqual({ caller: null, authError: null });
    const bad = await callerFromAuthorization('Basic dXNlcjpwdw==', secret);
    expect(bad.caller).toBeNull();
    expect(() => requireAdmin(bad)).toThrow(/Bearer/);
    const customer = await callerFromAuthorization(
      `Bearer ${await signAccessToken({ userId: 'u2', role: 'CUSTOMER' }, { secret, ttlSeconds: 60 })}`,
      secret,
    );
    expect(() => requireAdmin(customer)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
  });
});
