import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { createLoaders } from '../src/loaders.js';
import { createUsersRepository } from '../src/repository.js';
import { createWishlistRepository } from '../src/wishlistRepository.js';
import { login, openDatabase, registerUser, startUsers, type AuthPayload, type RunningUsers } from './helpers.js';

const ADMIN = { email: 'root@shop.test', password: 'admin-password-1' };

let users: RunningUsers;
let alice: AuthPayload;
let bob: AuthPayload;
let carol: AuthPayload;
let admin: AuthPayload;

const ADD_ADDRESS = 'mutation Add($input: AddressInput!) { addAddress(input: $input) { id } }';

beforeAll(async () => {
  users = await startUsers({ admin: ADMIN });
  alice = await registerUser(users.url, { name: 'Alice' });
  bob = await registerUser(users.url, { name: 'Bob' });
  carol = await registerUser(users.url, { name: 'Carol' });
  admin = await login(users.url, ADMIN.email, ADMIN.password);
  for (const [who, city] of [
    [alice, 'Amsterdam'],
    [bob, 'Berlin'],
    [alice, 'Antwerp'],
  ] as const) {
    await graphqlOk(
      users.url,
      ADD_ADDRESS,
      { input: { name: who.user.name, line1: 'Main Street 1', city, postalCode: '1000', country: 'NL' } },
      { token: who.accessToken },
    );
  }
});

afterAll(async () => {
  await users.stop();
});

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id name createdAt } }
}`;
const PRIVATE_ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id email addresses { city } defaultAddress { city } preferences { currency } } }
}`;
const refs = (...ids: string[]) => ids.map((id) => ({ __typename: 'User', id }));

describe('User entity references', () => {
  it('resolves users in the order asked, null for a missing or malformed id, in one SQL query', async () => {
    const missing = randomUUID();
    users.subgraph.sqlStats.reset();
    const result = await graphql(users.url, ENTITIES, {
      representations: refs(carol.user.id, missing, alice.user.id, 'not-a-uuid', "1' OR '1'='1", bob.user.id),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([
      { id: carol.user.id, name: 'Carol', createdAt: carol.user.createdAt },
      null,
      { id: alice.user.id, name: 'Alice', createdAt: alice.user.createdAt },
      null,
      null,
      { id: bob.user.id, name: 'Bob', createdAt: bob.user.createdAt },
    ]);
    expect(users.subgraph.sqlStats.queries).toBe(1);
  });

  it('sends no SQL at all when no id could be one of ours', async () => {
    users.subgraph.sqlStats.reset();
    const result = await graphql(users.url, ENTITIES, { representations: refs('42', alice.user.id.toUpperCase(), '') });
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([null, null, null]);
    expect(users.subgraph.sqlStats.queries).toBe(0);
  });

  it('shows email, role, addresses and preferences to the user themself and to admins, FORBIDDEN to anyone else', async () => {
    const own = await graphql(users.url, PRIVATE_ENTITIES, { representations: refs(alice.user.id) }, { token: alice.accessToken });
    expect(own.errors).toBeUndefined();
    expect(own.data._entities).toEqual([
      { id: alice.user.id, email: alice.user.email, addresses: [{ city: 'Amsterdam' }, { city: 'Antwerp' }], defaultAddress: { city: 'Amsterdam' }, preferences: { currency: 'EUR' } },
    ]);

    for (const token of [bob.accessToken, undefined]) {
      for (const field of ['email', 'role', 'addresses { city }', 'defaultAddress { city }', 'preferences { locale }']) {
        const name = field.split(' ')[0]!;
        const other = await graphql(
          users.url,
          `query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id ${field} } } }`,
          { representations: refs(alice.user.id) },
          { token },
        );
        expect(other.errors).toEqual([
          expect.objectContaining({ path: ['_entities', 0, name], extensions: { code: 'FORBIDDEN' } }),
        ]);
        // A refused non-null field takes the whole user with it; the nullable one is just null.
        expect(other.data).toEqual({ _entities: [name === 'defaultAddress' ? { id: alice.user.id, defaultAddress: null } : null] });
      }
    }
  });

  it('gives an admin every user with addresses, default address and preferences in two SQL queries, however many users', async () => {
    users.subgraph.sqlStats.reset();
    const result = await graphql(
      users.url,
      PRIVATE_ENTITIES,
      { representations: refs(bob.user.id, carol.user.id, alice.user.id) },
      { token: admin.accessToken },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([
      { id: bob.user.id, email: bob.user.email, addresses: [{ city: 'Berlin' }], defaultAddress: { city: 'Berlin' }, preferences: { currency: 'EUR' } },
      { id: carol.user.id, email: carol.user.email, addresses: [], defaultAddress: null, preferences: { currency: 'EUR' } },
      { id: alice.user.id, email: alice.user.email, addresses: [{ city: 'Amsterdam' }, { city: 'Antwerp' }], defaultAddress: { city: 'Amsterdam' }, preferences: { currency: 'EUR' } },
    ]);
    expect(users.subgraph.sqlStats.queries).toBe(2);
  });
});

describe('Query.user', () => {
  const USER = 'query User($id: ID!) { user(id: $id) { id email name } }';

  it('lets an admin look anyone up, null when there is no such user', async () => {
    const found = await graphqlOk(users.url, USER, { id: bob.user.id }, { token: admin.accessToken });
    expect(found.user).toEqual({ id: bob.user.id, email: bob.user.email, name: 'Bob' });
    for (const id of [randomUUID(), 'nope']) {
      const result = await graphql(users.url, USER, { id }, { token: admin.accessToken });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ user: null });
    }
  });

  it('is FORBIDDEN to customers and UNAUTHENTICATED to anonymous callers', async () => {
    expect(errorCodes(await graphql(users.url, USER, { id: alice.user.id }, { token: alice.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(users.url, USER, { id: alice.user.id }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('loaders', () => {
  it('userById: one batch query, results in key order, null for a missing key', async () => {
    const postgres = openDatabase(users.databaseUrl);
    try {
      const loaders = createLoaders(createUsersRepository(postgres.db), createWishlistRepository(postgres.db));
      const missing = randomUUID();
      postgres.stats.reset();
      const found = await Promise.all(
        [bob.user.id, missing, alice.user.id, 'malformed', carol.user.id].map((id) => loaders.userById.load(id)),
      );
      expect(found.map((u) => u?.name ?? null)).toEqual(['Bob', null, 'Alice', null, 'Carol']);
      expect(found[0]?.id).toBe(bob.user.id);
      expect(postgres.stats.queries).toBe(1);
    } finally {
      await postgres.destroy();
    }
  });

  it('addressesByUserId: one batch query, grouped per user in key order, empty for a user without any', async () => {
    const postgres = openDatabase(users.databaseUrl);
    try {
      const loaders = createLoaders(createUsersRepository(postgres.db), createWishlistRepository(postgres.db));
      postgres.stats.reset();
      const grouped = await Promise.all(
        [carol.user.id, alice.user.id, bob.user.id].map((id) => loaders.addressesByUserId.load(id)),
      );
      expect(grouped.map((list) => list.map((a) => a.city))).toEqual([[], ['Amsterdam', 'Antwerp'], ['Berlin']]);
      expect(postgres.stats.queries).toBe(1);
    } finally {
      await postgres.destroy();
    }
  });
});
