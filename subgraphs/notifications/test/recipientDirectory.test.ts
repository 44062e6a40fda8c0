import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUsersDirectory, RecipientDirectoryUnavailableError, SERVICE_USER_ID } from '../src/recipientDirectory.js';
import { JWT_SECRET } from './harness.js';
import { startUsersStandIn, type UsersStandIn } from './usersStandIn.js';

describe('users directory (_entities over HTTP)', () => {
  let users: UsersStandIn;

  beforeAll(async () => {
    users = await startUsersStandIn(JWT_SECRET);
    users.add({ id: 'u1', email: 'one@example.com', name: 'One', locale: 'de-DE', marketingOptIn: true });
    users.add({ id: 'u2', email: 'two@example.com', name: null, locale: 'en-GB', marketingOptIn: false });
  });

  afterAll(async () => {
    await users?.stop();
  });

  it('looks a batch up with one request as an ADMIN service caller: one result per id, in key order, null for a missing one', async () => {
    const directory = createUsersDirectory({ url: users.url, jwtSecret: JWT_SECRET });
    users.requests.length = 0;
    const found = await directory.lookup(['u2', 'missing', 'u1']);
    expect(found).toEqual([
      { userId: 'u2', email: 'two@example.com', name: null, locale: 'en-GB', marketingOptIn: false },
      null,
      { userId: 'u1', email: 'one@example.com', name: 'One', locale: 'de-DE', marketingOptIn: true },
    ]);
    expect(users.requests).toEqual([{ ids: ['u2', 'missing', 'u1'], caller: { userId: SERVICE_USER_ID, role: 'ADMIN' } }]);
  });

  it('sends nothing for an empty batch and reuses its service token', async () => {
    const directory = createUsersDirectory({ url: users.url, jwtSecret: JWT_SECRET });
    users.requests.length = 0;
    expect(await directory.lookup([])).toEqual([]);
    await directory.lookup(['u1']);
    await directory.lookup(['u2']);
    expect(users.requests).toHaveLength(2);
    expect(users.requests.every((r) => r.caller?.role === 'ADMIN')).toBe(true);
  });

  it('throws RecipientDirectoryUnavailableError when users refuses (wrong secret) or is down', async () => {
    const wrongSecret = createUsersDirectory({ url: users.url, jwtSecret: 'another-secret-that-is-32-characters-long' });
    await expect(wrongSecret.lookup(['u1'])).rejects.toBeInstanceOf(RecipientDirectoryUnavailableError);
    const down = createUsersDirectory({ url: 'http://127.0.0.1:1/graphql', jwtSecret: JWT_SECRET, timeoutMs: 1000 });
    await expect(down.lookup(['u1'])).rejects.toBeInstanceOf(RecipientDirectoryUnavailableError);
  });
});
