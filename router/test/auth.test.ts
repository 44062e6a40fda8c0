import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testRouterKey } from '@shop/testing';
import { createCallerVerifier, createRouter } from '../src/index.js';
import type { Revocations } from '../src/revocations.js';
import { keySet, logger, startCatalogAndPrices, tokenFor } from './fixtures.js';

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
  it('lets a token through when the deny-list cannot be read, and asks again on its next request', async () => {
    let asked = 0;
    const unreadable: Revocations = {
      revokedHere: () => false,
      isRevoked: async () => {
        asked += 1;
        throw new Error('connect ECONNREFUSED (Redis)');
      },
      epoch: () => 0,
      stop: async () => undefined,
    };
    const verifier = createCallerVerifier(keySet, { revocations: Promise.resolve(unreadable), logger });
    const header = `Bearer ${await tokenFor('u1', 'CUSTOMER')}`;
    expect((await verifier.verify(header)).caller).toEqual({ userId: 'u1', role: 'CUSTOMER' });
    expect((await verifier.verify(header)).caller).toEqual({ userId: 'u1', role: 'CUSTOMER' });
    expect(asked).toBe(2);
  });

  it("answers 503, not 401, while the users subgraph's keys were never fetched, and serves the token once they are", async () => {
    let up = false;
    const jwks = createServer((_req, res) => (up ? res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keySet)) : res.writeHead(503).end()));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { servers, supergraphSdl } = await startCatalogAndPrices();
    const router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, accessTokens: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/` });
    try {
      const url = (await router.listen(0, '127.0.0.1')).url;
      const token = await tokenFor('u1', 'CUSTOMER');
      const ask = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ whoami }' }) });
      const refused = await ask();
      // A client must not sign its user out over this: 503, no invalid_token challenge, retry soon.
      expect({ status: refused.status, challenge: refused.headers.get('www-authenticate'), retryAfter: refused.headers.get('retry-after') }).toEqual({ status: 503, challenge: null, retryAfter: '1' });
      expect(((await refused.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE' }) })]);
      up = true;
      const served = await ask();
      expect({ status: served.status, body: await served.json() }).toEqual({ status: 200, body: { data: { whoami: 'u1' } } });
    } finally {
      await router.stop();
      await Promise.all(servers.map((server) => server.stop()));
      await new Promise<void>((resolve) => jwks.close(() => resolve()));
    }
  });
});
