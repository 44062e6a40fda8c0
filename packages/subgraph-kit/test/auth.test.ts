import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import {
  callerFromAuthorization,
  createAccessTokenVerifier,
  createServiceCredentials,
  createServiceVerifier,
  generateKeyJwk,
  generateKeyRing,
  importKeyRing,
  keySetOf,
  namedKeyRing,
  requireAdmin,
  signAccessToken,
  type KeyRing,
} from '@shop/subgraph-kit';
import { startTokenIssuer, type TokenIssuer } from '@shop/testing';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = { sub: 'u1', role: 'ADMIN', typ: 'access', iss: 'shop-users', aud: 'shop' };

let keys: KeyRing;
let other: KeyRing;

beforeAll(async () => {
  keys = await generateKeyRing();
  other = await generateKeyRing();
});

/** A token signed by `ring`'s key but with any header and claims. */
async function forge(ring: KeyRing, header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: ring.signing.alg, kid: ring.signing.kid, ...header }).sign(ring.signing.privateKey);
}

describe('access tokens', () => {
  it('round-trips the caller, EdDSA with the kid of the signing key', async () => {
    const token = await signAccessToken({ userId: 'u1', role: 'CUSTOMER' }, { key: keys.signing, ttlSeconds: 60 });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'EdDSA', kid: keys.signing.kid, typ: 'JWT' });
    await expect(createAccessTokenVerifier(keySetOf(keys.published)).verify(token)).resolves.toEqual({ userId: 'u1', role: 'CUSTOMER' });
  });

  it('signs with ES256 when the key is a P-256 key given as PEM', async () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const ring = await importKeyRing(pem);
    expect(ring.signing.alg).toBe('ES256');
    const token = await signAccessToken({ userId: 'u2', role: 'ADMIN' }, { key: ring.signing, ttlSeconds: 60 });
    await expect(createAccessTokenVerifier(keySetOf(ring.published)).verify(token)).resolves.toEqual({ userId: 'u2', role: 'ADMIN' });
  });

  it.each([
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: now() + 60 })}.`],
    [
      'HS256 keyed with the public key (algorithm confusion)',
      async () => {
        const body = `${b64({ alg: 'HS256', kid: keys.signing.kid })}.${b64({ ...claims, exp: now() + 60 })}`;
        return `${body}.${createHmac('sha256', JSON.stringify(keys.signing.publicJwk)).update(body).digest('base64url')}`;
      },
    ],
    ['another key under the same kid', async () => forge(other, { kid: keys.signing.kid }, { ...claims, exp: now() + 60 })],
    ['an unknown kid', async () => forge(other, {}, { ...claims, exp: now() + 60 })],
    ['an expired token', async () => forge(keys, {}, { ...claims, exp: now() - 10 })],
    ['a refresh-type token', async () => forge(keys, {}, { ...claims, typ: 'refresh', exp: now() + 60 })],
    ['another issuer', async () => forge(keys, {}, { ...claims, iss: 'someone-else', exp: now() + 60 })],
    ['an unknown role', async () => forge(keys, {}, { ...claims, role: 'ROOT', exp: now() + 60 })],
    [
      'a signature over other bytes',
      async () => {
        const token = await forge(keys, {}, { ...claims, role: 'CUSTOMER', exp: now() + 60 });
        const [header, , signature] = token.split('.');
        return `${header}.${b64({ ...claims, exp: now() + 60 })}.${signature}`;
      },
    ],
    ['garbage', async () => 'not.a.jwt'],
  ])('refuses %s with UNAUTHENTICATED', async (_name, token) => {
    const verifier = createAccessTokenVerifier(keySetOf(keys.published));
    await expect(verifier.verify(await token())).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('treats a missing header as anonymous and a bad one as an auth error raised on use', async () => {
    const verifier = createAccessTokenVerifier(keySetOf(keys.published));
    expect(await callerFromAuthorization(undefined, verifier)).toEqual({ caller: null, authError: null });
    const bad = await callerFromAuthorization('Basic dXNlcjpwdw==', verifier);
    expect(bad.caller).toBeNull();
    expect(() => requireAdmin(bad)).toThrow(/Bearer/);
    const customer = await callerFromAuthorization(
      `Bearer ${await signAccessToken({ userId: 'u2', role: 'CUSTOMER' }, { key: keys.signing, ttlSeconds: 60 })}`,
      verifier,
    );
    expect(() => requireAdmin(customer)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
  });
});

describe('verification against a remote JWK Set (JWKS_URL)', () => {
  let issuer: TokenIssuer;

  beforeAll(async () => {
    issuer = await startTokenIssuer();
  });

  afterAll(async () => {
    await issuer.stop();
  });

  it('fetches the set once for many tokens, and again when a token names a kid it has not seen', async () => {
    const verifier = createAccessTokenVerifier(issuer.jwksUrl, { refetchCooldownMs: 0 });
    const before = issuer.fetches;
    for (const user of ['a', 'b', 'c']) await expect(verifier.verify(await issuer.sign(user))).resolves.toMatchObject({ userId: user });
    expect(issuer.fetches - before).toBe(1);

    await issuer.rotate();
    await expect(verifier.verify(await issuer.sign('d', 'ADMIN'))).resolves.toEqual({ userId: 'd', role: 'ADMIN' });
    expect(issuer.fetches - before).toBe(2);
  });

  it('within the cooldown, a stream of unknown kids costs no fetch at all', async () => {
    const verifier = createAccessTokenVerifier(issuer.jwksUrl);
    await verifier.verify(await issuer.sign('e'));
    const before = issuer.fetches;
    for (let i = 0; i < 5; i += 1) {
      const token = await forge(other, { kid: `made-up-${i}` }, { ...claims, exp: now() + 60 });
      await expect(verifier.verify(token)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    }
    expect(issuer.fetches).toBe(before);
  });
});

describe('when the key set cannot be fetched (its publisher is down)', () => {
  it('says UNAVAILABLE, not that the token is bad, before any set was fetched; then goes on with the last set fetched', async () => {
    let up = false;
    const server = createServer((_req, res) =>
      up ? res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keySetOf(keys.published))) : res.writeHead(503).end(),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      // Every verification fetches the set anew (here at once; 10 minutes after the last fetch by default).
      const verifier = createAccessTokenVerifier(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { refetchCooldownMs: 0, keysMaxAgeMs: 0 });
      const token = await signAccessToken({ userId: 'u1', role: 'CUSTOMER' }, { key: keys.signing, ttlSeconds: 600 });
      await expect(verifier.verify(token)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
      up = true;
      await expect(verifier.verify(token)).resolves.toEqual({ userId: 'u1', role: 'CUSTOMER' });

      up = false;
      await expect(verifier.verify(token)).resolves.toEqual({ userId: 'u1', role: 'CUSTOMER' });
      const fresh = await signAccessToken({ userId: 'u2', role: 'ADMIN' }, { key: keys.signing, ttlSeconds: 600 });
      await expect(verifier.verify(fresh)).resolves.toEqual({ userId: 'u2', role: 'ADMIN' });
      // The last set still knows which keys are not its own.
      const foreign = await signAccessToken({ userId: 'u3', role: 'ADMIN' }, { key: other.signing, ttlSeconds: 600 });
      await expect(verifier.verify(foreign)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('a token verified before', () => {
  it('is refused once it has expired on the verifier clock', async () => {
    let time = Date.parse('2026-01-01T00:00:00Z');
    const verifier = createAccessTokenVerifier(keySetOf(keys.published), { now: () => time });
    const token = await signAccessToken({ userId: 'u1', role: 'CUSTOMER' }, { key: keys.signing, ttlSeconds: 60, now: () => time });
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'u1', role: 'CUSTOMER' });
    time += 59_000;
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'u1', role: 'CUSTOMER' });
    time += 1_000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ message: 'Access token expired', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('is refused once its key is taken out of the published set', async () => {
    let published = keySetOf(keys.published);
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(published)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const verifier = createAccessTokenVerifier(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { refetchCooldownMs: 0 });
      const old = await signAccessToken({ userId: 'u1', role: 'ADMIN' }, { key: keys.signing, ttlSeconds: 600 });
      await expect(verifier.verify(old)).resolves.toEqual({ userId: 'u1', role: 'ADMIN' });
      // The issuer revokes the key: a token under the new one makes the verifier fetch the set again.
      published = keySetOf(other.published);
      await expect(verifier.verify(await signAccessToken({ userId: 'u2', role: 'CUSTOMER' }, { key: other.signing, ttlSeconds: 600 }))).resolves.toMatchObject({ userId: 'u2' });
      await expect(verifier.verify(old)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('of a service is refused once it is too old or its key is gone from the directory', async () => {
    let time = Date.parse('2026-01-01T00:00:00Z');
    const ring = namedKeyRing('orders', await generateKeyRing());
    let directory = keySetOf(ring.published);
    const verifier = createServiceVerifier({ audience: 'products', keys: async () => directory, callers: { orders: ['prices'] }, now: () => time });
    const credentials = createServiceCredentials({ name: 'orders', key: ring.signing }, { now: () => time });
    const token = await credentials.token('products');
    await expect(verifier.verify(token)).resolves.toEqual({ name: 'orders', scopes: ['prices'] });
    time += 60_000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ message: 'Service token expired' });

    const fresh = await credentials.token('products');
    await expect(verifier.verify(fresh)).resolves.toEqual({ name: 'orders', scopes: ['prices'] });
    directory = keySetOf(namedKeyRing('orders', await generateKeyRing()).published);
    await expect(verifier.verify(fresh)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('key material', () => {
  it('reads a JWK Set whose first key signs and whose other keys are only published', async () => {
    const next = await generateKeyJwk();
    const ring = await importKeyRing(JSON.stringify({ keys: [next, keys.signing.publicJwk] }));
    expect(ring.signing.kid).toBe(next.kid);
    expect(ring.published.map((k) => k.kid)).toEqual([next.kid, keys.signing.kid]);
    expect(ring.published.every((k) => k.d === undefined)).toBe(true);
  });

  it('refuses symmetric and RSA keys, and a set that starts with a public key', async () => {
    await expect(importKeyRing('{"kty":"oct","k":"c2VjcmV0"}')).rejects.toThrow(/first key must be a private key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await expect(importKeyRing(rsa)).rejects.toThrow(/Ed25519 or P-256/);
    await expect(importKeyRing(JSON.stringify({ keys: [keys.signing.publicJwk] }))).rejects.toThrow(/first key must be a private key/);
  });
});
