import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import { createAccessTokenVerifier, generateKeyJwk } from '@shop/subgraph-kit';
import { createTestDatabase, errorCodes, freePort, graphql } from '@shop/testing';
import { ME, login, registerUser, startUsers } from './helpers.js';

const publicHalf = ({ d: _d, ...jwk }: Record<string, unknown>) => jwk;

describe('access-token signing keys', () => {
  it('signs with EdDSA under the kid its JWK Set publishes, with no private member in the set', async () => {
    const key = await generateKeyJwk();
    const users = await startUsers({ jwtPrivateKey: JSON.stringify(key) });
    try {
      const session = await registerUser(users.url);
      expect(decodeProtectedHeader(session.accessToken)).toEqual({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' });
      const response = await fetch(users.jwksUrl);
      expect(response.status).toBe(200);
      const set = (await response.json()) as { keys: Array<Record<string, unknown>> };
      expect(set.keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: key.x, kid: key.kid, alg: 'EdDSA', use: 'sig' }]);
      expect(JSON.stringify(set)).not.toContain(String(key.d));
    } finally {
      await users.stop();
    }
  });

  it('makes its own key in JWT_PRIVATE_KEY_FILE on first start (readable by it alone) and keeps signing with it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'users-keys-')), 'keys', 'jwt.jwk');
    const databaseUrl = await createTestDatabase('users_key_file');
    const kids: unknown[] = [];
    for (let start = 0; start < 2; start += 1) {
      const users = await startUsers({ databaseUrl, jwtPrivateKeyFile: file });
      try {
        kids.push(decodeProtectedHeader((await registerUser(users.url)).accessToken).kid);
      } finally {
        await users.stop();
      }
    }
    expect(kids[0]).toEqual(expect.any(String));
    expect(kids[1]).toBe(kids[0]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('rotates: tokens of the old key stay valid until they expire, new ones carry the new kid', async () => {
    const databaseUrl = await createTestDatabase('users_rotation');
    const port = await freePort();
    const oldKey = await generateKeyJwk();
    const newKey = await generateKeyJwk();
    const before = await startUsers({ databaseUrl, port, jwtPrivateKey: JSON.stringify(oldKey) });
    // A verifier elsewhere (router, subgraph) that fetched the set while only the old key existed.
    const verifier = createAccessTokenVerifier(before.jwksUrl, { refetchCooldownMs: 0 });
    let oldToken: string;
    let email: string;
    try {
      const session = await registerUser(before.url);
      ({ email } = session.user);
      oldToken = session.accessToken;
      await expect(verifier.verify(oldToken)).resolves.toMatchObject({ userId: session.user.id });
    } finally {
      await before.stop();
    }

    // The new key signs; the old one is still published for the tokens it signed.
    const after = await startUsers({ databaseUrl, port, jwtPrivateKey: JSON.stringify({ keys: [newKey, publicHalf(oldKey)] }) });
    try {
      const fresh = await login(after.url, email, 'correct horse battery staple');
      expect(decodeProtectedHeader(fresh.accessToken).kid).toBe(newKey.kid);
      await expect(verifier.verify(fresh.accessToken)).resolves.toMatchObject({ userId: fresh.user.id });
      await expect(verifier.verify(oldToken)).resolves.toMatchObject({ userId: fresh.user.id });
      expect((await graphql(after.url, ME, {}, { token: oldToken })).data?.me?.email).toBe(email);

      const sixteenMinutesOn = createAccessTokenVerifier(after.jwksUrl, { now: () => Date.now() + 16 * 60_000 });
      await expect(sixteenMinutesOn.verify(oldToken)).rejects.toMatchObject({ message: 'Access token expired', extensions: { code: 'UNAUTHENTICATED' } });
    } finally {
      await after.stop();
    }

    // Once the old key is no longer published, its tokens are refused everywhere.
    const retired = await startUsers({ databaseUrl, port, jwtPrivateKey: JSON.stringify(newKey) });
    try {
      expect(errorCodes(await graphql(retired.url, ME, {}, { token: oldToken }))).toEqual(['UNAUTHENTICATED']);
      await expect(createAccessTokenVerifier(retired.jwksUrl).verify(oldToken)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    } finally {
      await retired.stop();
    }
  });
});
