import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import {
  GOOD_PASSWORD,
  LOGIN,
  LOGOUT,
  ME,
  REFRESH,
  REGISTER,
  login,
  openDatabase,
  registerUser,
  startUsers,
  uniqueEmail,
  type AuthPayload,
  type RunningUsers,
} from './helpers.js';

let users: RunningUsers;
let url: string;

beforeAll(async () => {
  users = await startUsers();
  url = users.url;
});

afterAll(async () => {
  await users.stop();
});

async function refresh(token: string) {
  return graphql<{ refreshToken: AuthPayload }>(url, REFRESH, { token });
}

describe('register, login and me', () => {
  it('registers a customer with a normalised email and trimmed name, and signs them in', async () => {
    const before = Date.now();
    const payload = await registerUser(url, { email: '  Jane.Doe@Example.COM ', name: '  Jane Doe  ' });
    expect(payload.user).toMatchObject({ email: 'jane.doe@example.com', name: 'Jane Doe', role: 'CUSTOMER' });
    expect(payload.user.id).toMatch(/^[0-9a-f-]{36}$/);
    const createdAt = Date.parse(payload.user.createdAt);
    expect(payload.user.createdAt).toBe(new Date(createdAt).toISOString());
    expect(createdAt).toBeGreaterThanOrEqual(before - 5_000);
    expect(createdAt).toBeLessThanOrEqual(Date.now() + 5_000);

    expect(await users.verifier.verify(payload.accessToken)).toEqual({
      userId: payload.user.id,
      role: 'CUSTOMER',
    });
    expect(payload.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await graphqlOk(url, ME, {}, { token: payload.accessToken });
    expect(me.me).toEqual(payload.user);

    const again = await login(url, 'JANE.DOE@example.com ', GOOD_PASSWORD);
    expect(again.user).toEqual(payload.user);
    expect(again.refreshToken).not.toBe(payload.refreshToken);
  });

  it('stores an argon2id hash, never the password', async () => {
    const email = uniqueEmail('hash');
    await registerUser(url, { email });
    const postgres = openDatabase(users.databaseUrl);
    try {
      const row = await postgres.db.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.password_hash).not.toContain(GOOD_PASSWORD);
    } finally {
      await postgres.destroy();
    }
  });

  it('treats an empty name as no name and refuses one longer than 100 characters', async () => {
    expect((await registerUser(url, { name: '   ' })).user.name).toBeNull();
    expect((await registerUser(url, { name: 'é'.repeat(100) })).user.name).toBe('é'.repeat(100));
    const long = await graphql(url, REGISTER, { input: { email: uniqueEmail(), password: GOOD_PASSWORD, name: 'x'.repeat(101) } });
    expect(errorCodes(long)).toEqual(['BAD_USER_INPUT']);
    expect(long.errors?.[0]?.extensions?.field).toBe('name');
  });

  it('answers me with null for an anonymous caller and UNAUTHENTICATED for a bad token', async () => {
    const anonymous = await graphql(url, ME);
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data).toEqual({ me: null });

    const forged = await graphql(url, ME, {}, { token: 'not.a.jwt' });
    expect(errorCodes(forged)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a second account for the same email, whatever its case, with CONFLICT on email', async () => {
    const email = uniqueEmail('dup');
    await registerUser(url, { email });
    const result = await graphql(url, REGISTER, { input: { email: email.toUpperCase(), password: 'another password' } });
    expect(errorCodes(result)).toEqual(['CONFLICT']);
    expect(result.errors?.[0]?.extensions?.field).toBe('email');
    // The first account keeps its password.
    await expect(login(url, email, GOOD_PASSWORD)).resolves.toMatchObject({ user: { email } });
  });

  it('lets exactly one of several simultaneous registrations of one email win', async () => {
    const email = uniqueEmail('race');
    const passwords = ['racer-one-pass', 'racer-two-pass', 'racer-three-pass', 'racer-four-pass'];
    const results = await Promise.all(
      passwords.map((password) => graphql<{ register: AuthPayload }>(url, REGISTER, { input: { email, password } })),
    );
    const winners = results.filter((r) => r.data?.register);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers.map(errorCodes)).toEqual([['CONFLICT'], ['CONFLICT'], ['CONFLICT']]);
    const winningPassword = passwords[results.indexOf(winners[0]!)]!;
    await expect(login(url, email, winningPassword)).resolves.toMatchObject({ user: { email } });
  });

  it('refuses weak passwords with BAD_USER_INPUT on password, and creates no account', async () => {
    const email = uniqueEmail('weak');
    const weak = ['', 'short12', '🔒🔑🔒🔑', 'x'.repeat(129), 'aaaaaaaaaaaa', '🔒'.repeat(9), '1234567890123'];
    for (const password of weak) {
      const result = await graphql(url, REGISTER, { input: { email, password } });
      expect({ password, codes: errorCodes(result) }).toEqual({ password, codes: ['BAD_USER_INPUT'] });
      expect(result.errors?.[0]?.extensions?.field).toBe('password');
    }
    // Limits are inclusive: 8 and 128 characters are fine; the email was never taken.
    await registerUser(url, { email, password: 'abcd1234' });
    await registerUser(url, { password: `${'y'.repeat(127)}z` });
  });

  it('refuses malformed emails with BAD_USER_INPUT on email', async () => {
    const bad = ['', 'plainaddress', 'jane@', '@example.com', 'jane@example', 'ja ne@example.com', 'jane@exa_mple.com', `${'a'.repeat(65)}@example.com`];
    for (const email of bad) {
      const result = await graphql(url, REGISTER, { input: { email, password: GOOD_PASSWORD } });
      expect({ email, codes: errorCodes(result) }).toEqual({ email, codes: ['BAD_USER_INPUT'] });
      expect(result.errors?.[0]?.extensions?.field).toBe('email');
    }
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const { user } = await registerUser(url);
    const wrong = await graphql(url, LOGIN, { email: user.email, password: 'not my password' });
    const unknown = await graphql(url, LOGIN, { email: uniqueEmail('nobody'), password: GOOD_PASSWORD });
    const malformed = await graphql(url, LOGIN, { email: 'not an email', password: GOOD_PASSWORD });
    for (const result of [wrong, unknown, malformed]) {
      expect(result.data).toBeNull();
      expect(result.errors).toEqual([
        expect.objectContaining({ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
    }
  });
});

describe('access tokens', () => {
  it('are valid for 15 minutes from issue, after sign-up, sign-in and refresh alike', async () => {
    const email = uniqueEmail('ttl');
    const registered = await registerUser(url, { email });
    const signedIn = await login(url, email, GOOD_PASSWORD);
    const refreshed = (await refresh(signedIn.refreshToken)).data!.refreshToken;
    for (const { accessToken } of [registered, signedIn, refreshed]) {
      const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8'));
      expect(claims.exp - claims.iat).toBe(15 * 60);
    }
  });
});

describe('refresh tokens', () => {
  it('rotates: the new pair works, and the old refresh token is single-use', async () => {
    const first = await registerUser(url);
    const second = await refresh(first.refreshToken);
    expect(second.errors).toBeUndefined();
    const rotated = second.data!.refreshToken;
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    expect(rotated.user).toEqual(first.user);
    expect((await graphqlOk(url, ME, {}, { token: rotated.accessToken })).me.id).toBe(first.user.id);

    const third = await refresh(rotated.refreshToken);
    expect(third.errors).toBeUndefined();
    expect(third.data!.refreshToken.user.email).toBe(first.user.email);
  });

  it('treats reuse as theft: refuses it and revokes the newest token of the family, not other sign-ins', async () => {
    const email = uniqueEmail('theft');
    const stolen = await registerUser(url, { email });
    const otherDevice = await login(url, email, GOOD_PASSWORD);
    const legit = (await refresh(stolen.refreshToken)).data!.refreshToken;
    const newest = (await refresh(legit.refreshToken)).data!.refreshToken;

    const replay = await refresh(stolen.refreshToken);
    expect(errorCodes(replay)).toEqual(['UNAUTHENTICATED']);
    expect(replay.errors?.[0]?.message).toMatch(/already used/);

    expect(errorCodes(await refresh(newest.refreshToken))).toEqual(['UNAUTHENTICATED']);
    const elsewhere = await refresh(otherDevice.refreshToken);
    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data!.refreshToken.user.email).toBe(email);
  });

  it('exchanges one token only once even when it is presented several times at the same moment', async () => {
    const { refreshToken } = await registerUser(url);
    const results = await Promise.all([1, 2, 3, 4].map(() => refresh(refreshToken)));
    const issued = results.filter((r) => r.data?.refreshToken);
    expect(issued).toHaveLength(1);
    expect(results.flatMap(errorCodes)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    // The later presentations are reuse: the pair issued to the first is revoked as well.
    expect(errorCodes(await refresh(issued[0]!.data!.refreshToken.refreshToken))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses unknown and expired refresh tokens', async () => {
    expect(errorCodes(await refresh('made-up-token'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await refresh(''))).toEqual(['UNAUTHENTICATED']);

    const { refreshToken } = await registerUser(url);
    const postgres = openDatabase(users.databaseUrl);
    try {
      const tokenHash = createHash('sha256').update(refreshToken).digest('hex');
      const updated = await postgres.db
        .updateTable('refresh_tokens')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      expect(updated.numUpdatedRows).toBe(1n);
    } finally {
      await postgres.destroy();
    }
    expect(errorCodes(await refresh(refreshToken))).toEqual(['UNAUTHENTICATED']);
  });

  it('keeps only a SHA-256 hash of each refresh token, with a 30-day expiry', async () => {
    const { refreshToken, user } = await registerUser(url);
    const postgres = openDatabase(users.databaseUrl);
    try {
      const rows = await postgres.db
        .selectFrom('refresh_tokens')
        .select(['token_hash', 'expires_at'])
        .where('user_id', '=', user.id)
        .execute();
      expect(rows.map((r) => r.token_hash)).toEqual([createHash('sha256').update(refreshToken).digest('hex')]);
      const days = (rows[0]!.expires_at.getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThanOrEqual(30);
    } finally {
      await postgres.destroy();
    }
  });
});

describe('logout', () => {
  it('revokes the session the token belongs to and leaves other sign-ins alone', async () => {
    const email = uniqueEmail('logout');
    const session = await registerUser(url, { email });
    const rotated = (await refresh(session.refreshToken)).data!.refreshToken;
    const otherDevice = await login(url, email, GOOD_PASSWORD);

    expect(await graphqlOk(url, LOGOUT, { token: rotated.refreshToken })).toEqual({ logout: true });
    expect(errorCodes(await refresh(rotated.refreshToken))).toEqual(['UNAUTHENTICATED']);
    expect((await refresh(otherDevice.refreshToken)).errors).toBeUndefined();
  });

  it('answers false, not an error, for an unknown token', async () => {
    const result = await graphql(url, LOGOUT, { token: 'never-issued' });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ logout: false });
  });
});
