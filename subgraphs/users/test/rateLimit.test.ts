import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { freePort } from '@shop/postgres';
import { createTestDatabase, errorCodes, FAKE_DATE_ONLY, graphql, type GraphQLResponse } from '@shop/testing';
import {
  CHANGE_PASSWORD,
  GOOD_PASSWORD,
  LOGIN,
  registerUser,
  startUsers,
  uniqueEmail,
  type RunningUsers,
  type StartUsersOptions,
} from './helpers.js';

// The documented defaults: 5 wrong passwords per email, 20 attempts per address, 15 minutes.
const LIMITS = { maxFailuresPerEmail: 5, maxAttemptsPerIp: 20, windowSeconds: 900 };

/** A client address no other test uses (the router forwards it as x-forwarded-for). */
function freshIp(): string {
  return `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::1`;
}

function signIn(url: string, email: string, password: string, ip: string): Promise<GraphQLResponse> {
  return graphql(url, LOGIN, { email, password }, { headers: { 'x-forwarded-for': ip } });
}

/** Answers `count` attempts one after the other and returns their error codes ([] for a success). */
async function attempts(count: number, attempt: (i: number) => Promise<GraphQLResponse>): Promise<string[][]> {
  const codes: string[][] = [];
  for (let i = 0; i < count; i += 1) codes.push(errorCodes(await attempt(i)));
  return codes;
}

const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

function expectRateLimited(result: GraphQLResponse, windowSeconds = LIMITS.windowSeconds): void {
  expect(errorCodes(result)).toEqual(['RATE_LIMITED']);
  const retryAfter = result.errors?.[0]?.extensions?.retryAfter;
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

const adapters: Array<[string, () => StartUsersOptions]> = [
  ['process memory', () => ({})],
  ['Redis', () => ({ redisUrl: process.env.SHOP_TEST_REDIS_URL! })],
];

describe.each(adapters)('sign-in rate limits counted in %s', (_adapter, storeOptions) => {
  let users: RunningUsers;

  beforeAll(async () => {
    users = await startUsers({ ...storeOptions(), loginRateLimit: LIMITS });
  });

  afterAll(async () => {
    await users.stop();
  });

  it('refuses the 6th try after 5 wrong passwords for one email, even with the right password and from elsewhere', async () => {
    const email = uniqueEmail('guessed');
    await registerUser(users.url, { email });
    const ip = freshIp();
    expect(await attempts(5, (i) => signIn(users.url, email, `wrong password ${i}`, ip))).toEqual(times(5, ['UNAUTHENTICATED']));

    // Refused before the account is even looked up: no SQL, so no argon2 verification either.
    users.subgraph.sqlStats.reset();
    expectRateLimited(await signIn(users.url, email, GOOD_PASSWORD, ip));
    expect(users.subgraph.sqlStats.queries).toBe(0);
    expectRateLimited(await signIn(users.url, ` ${email.toUpperCase()} `, GOOD_PASSWORD, freshIp()));

    // Other accounts from the same address are not affected.
    const neighbour = await registerUser(users.url);
    expect(errorCodes(await signIn(users.url, neighbour.user.email, GOOD_PASSWORD, ip))).toEqual([]);
  });

  it('counts wrong passwords for unknown emails too', async () => {
    const email = uniqueEmail('unknown');
    const ip = freshIp();
    expect(await attempts(5, () => signIn(users.url, email, GOOD_PASSWORD, ip))).toEqual(times(5, ['UNAUTHENTICATED']));
    expectRateLimited(await signIn(users.url, email, GOOD_PASSWORD, ip));
  });

  it('forgets the failures of an email once its password is given right', async () => {
    const email = uniqueEmail('forgetful');
    await registerUser(users.url, { email });
    const ip = freshIp();
    expect(await attempts(4, (i) => signIn(users.url, email, `wrong password ${i}`, ip))).toEqual(times(4, ['UNAUTHENTICATED']));
    expect(errorCodes(await signIn(users.url, email, GOOD_PASSWORD, ip))).toEqual([]);
    expect(await attempts(5, (i) => signIn(users.url, email, `wrong again ${i}`, ip))).toEqual(times(5, ['UNAUTHENTICATED']));
    expectRateLimited(await signIn(users.url, email, GOOD_PASSWORD, ip));
  });

  it('allows 20 attempts per client address, right or wrong and whatever the email, then refuses the rest', async () => {
    const ip = freshIp();
    const account = await registerUser(users.url);
    const codes = await attempts(20, (i) =>
      i % 2 === 0 ? signIn(users.url, account.user.email, GOOD_PASSWORD, ip) : signIn(users.url, uniqueEmail('spray'), 'guess guess', ip),
    );
    expect(codes).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? [] : ['UNAUTHENTICATED'])));

    expectRateLimited(await signIn(users.url, account.user.email, GOOD_PASSWORD, ip));
    expectRateLimited(await signIn(users.url, uniqueEmail('spray'), 'guess guess', ip));
    // Another address signs in to the same account at once.
    expect(errorCodes(await signIn(users.url, account.user.email, GOOD_PASSWORD, freshIp()))).toEqual([]);
  });

  it('lets no more than 5 of many simultaneous guesses for one email be checked', async () => {
    const email = uniqueEmail('burst');
    await registerUser(users.url, { email });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(users.url, email, `burst guess ${i}`, freshIp())));
    const codes = results.map((r) => errorCodes(r)[0]).sort();
    expect(codes).toEqual([...times(7, 'RATE_LIMITED'), ...times(5, 'UNAUTHENTICATED')]);
  });

  it('counts wrong current passwords in changePassword against the account too', async () => {
    const email = uniqueEmail('oracle');
    const session = await registerUser(users.url, { email });
    const ip = freshIp();
    const change = (current: string) =>
      graphql(users.url, CHANGE_PASSWORD, { current, next: 'a brand new passphrase' }, { token: session.accessToken, headers: { 'x-forwarded-for': ip } });
    expect(await attempts(5, (i) => change(`wrong password ${i}`))).toEqual(times(5, ['BAD_USER_INPUT']));
    expectRateLimited(await change(GOOD_PASSWORD));
    expectRateLimited(await signIn(users.url, email, GOOD_PASSWORD, freshIp()));
  });
});

describe('sign-in rate limits across replicas', () => {
  it('are shared through Redis: failures on one replica block the next try on another', async () => {
    const databaseUrl = await createTestDatabase('users_replicas');
    const redisUrl = process.env.SHOP_TEST_REDIS_URL!;
    const first = await startUsers({ databaseUrl, redisUrl, loginRateLimit: LIMITS });
    const second = await startUsers({ databaseUrl, redisUrl, loginRateLimit: LIMITS });
    try {
      const email = uniqueEmail('replicas');
      await registerUser(first.url, { email });
      const ip = freshIp();
      expect(await attempts(5, (i) => signIn(first.url, email, `wrong password ${i}`, ip))).toEqual(times(5, ['UNAUTHENTICATED']));
      expectRateLimited(await signIn(second.url, email, GOOD_PASSWORD, freshIp()));
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it('keep counting in each replica while Redis is unreachable', async () => {
    const users = await startUsers({ redisUrl: `redis://127.0.0.1:${await freePort()}`, loginRateLimit: LIMITS });
    try {
      const email = uniqueEmail('outage');
      await registerUser(users.url, { email });
      const ip = freshIp();
      expect(await attempts(5, (i) => signIn(users.url, email, `wrong password ${i}`, ip))).toEqual(times(5, ['UNAUTHENTICATED']));
      expectRateLimited(await signIn(users.url, email, GOOD_PASSWORD, ip));
    } finally {
      await users.stop();
    }
  });
});

describe('sign-in rate limit window', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('lets an email and an address try again once the window has passed', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    jest.useFakeTimers({ doNotFake: [...FAKE_DATE_ONLY.doNotFake], now });
    const limits = { maxFailuresPerEmail: 2, maxAttemptsPerIp: 3, windowSeconds: 60 };
    const users = await startUsers({ loginRateLimit: limits });
    try {
      const email = uniqueEmail('window');
      await registerUser(users.url, { email });
      const ip = freshIp();
      expect(await attempts(2, (i) => signIn(users.url, email, `wrong password ${i}`, ip))).toEqual(times(2, ['UNAUTHENTICATED']));
      jest.setSystemTime((now += 20_000));
      const blocked = await signIn(users.url, email, GOOD_PASSWORD, freshIp());
      expectRateLimited(blocked, 60);
      expect(blocked.errors?.[0]?.extensions?.retryAfter).toBe(40);
      const otherAccount = await registerUser(users.url);
      expect(errorCodes(await signIn(users.url, otherAccount.user.email, 'wrong', ip))).toEqual(['UNAUTHENTICATED']);
      expectRateLimited(await signIn(users.url, otherAccount.user.email, GOOD_PASSWORD, ip), 60);

      jest.setSystemTime((now += 40_000));
      expect(errorCodes(await signIn(users.url, email, GOOD_PASSWORD, ip))).toEqual([]);
    } finally {
      await users.stop();
    }
  });
});
