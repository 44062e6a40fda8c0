import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testServiceKey, type TestServiceKey } from '@shop/testing';
import { createUsersDirectory, RecipientDirectoryUnavailableError } from '../src/recipientDirectory.js';
import { startUsersStandIn, type UsersStandIn } from './usersStandIn.js';

describe('users directory (_entities over HTTP)', () => {
  let users: UsersStandIn;
  let key: TestServiceKey;

  beforeAll(async () => {
    key = await testServiceKey('notifications');
    users = await startUsersStandIn(key.keySet);
    users.add({ id: 'u1', email: 'one@example.com', name: 'One', locale: 'de-DE', marketingOptIn: true });
    users.add({ id: 'u2', email: 'two@example.com', name: null, locale: 'en-GB', marketingOptIn: false });
  });

  afterAll(async () => {
    await users?.stop();
  });

  it('looks a batch up with one request as the notifications service: one result per id, in key order, null for a missing one', async () => {
    const directory = createUsersDirectory({ url: users.url, credentials: key.credentials });
    users.requests.length = 0;
    const found = await directory.lookup(['u2', 'missing', 'u1']);
    expect(found).toEqual([
      { userId: 'u2', email: 'two@example.com', name: null, locale: 'en-GB', marketingOptIn: false },
      null,
      { userId: 'u1', email: 'one@example.com', name: 'One', locale: 'de-DE', marketingOptIn: true },
    ]);
    // A service identity, not a user: no bearer token of any user is minted or sent.
    expect(users.requests).toEqual([{ ids: ['u2', 'missing', 'u1'], service: 'notifications', authorization: undefined }]);
  });

  it('sends nothing for an empty batch and proves itself on every request', async () => {
    const directory = createUsersDirectory({ url: users.url, credentials: key.credentials });
    users.requests.length = 0;
    expect(await directory.lookup([])).toEqual([]);
    await directory.lookup(['u1']);
    await directory.lookup(['u2']);
    expect(users.requests.map((r) => r.service)).toEqual(['notifications', 'notifications']);
  });

  it('throws RecipientDirectoryUnavailableError when users refuses (another key) or is down', async () => {
    const impostor = await testServiceKey('notifications');
    const wrongKey = createUsersDirectory({ url: users.url, credentials: impostor.credentials });
    await expect(wrongKey.lookup(['u1'])).rejects.toBeInstanceOf(RecipientDirectoryUnavailableError);
    const down = createUsersDirectory({ url: 'http://127.0.0.1:1/graphql', credentials: key.credentials, timeoutMs: 1000 });
    await expect(down.lookup(['u1'])).rejects.toBeInstanceOf(RecipientDirectoryUnavailableError);
  });
});
