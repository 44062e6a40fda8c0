import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { migrateToLatest } from '@shop/postgres';
import { createTestDatabase, errorCodes, graphql, graphqlOk } from '@shop/testing';
import { initial as initialMigration } from '../src/db/migrations/0001_initial.js';
import { login, openDatabase, registerUser, startUsers, type AuthPayload, type RunningUsers } from './helpers.js';

let users: RunningUsers;

beforeAll(async () => {
  users = await startUsers({ admin: { email: 'root@shop.test', password: 'admin-password-1' } });
});

afterAll(async () => {
  await users.stop();
});

const ADDRESS_FIELDS = 'id name line1 line2 city postalCode country isDefault';
const ADD_ADDRESS = `mutation Add($input: AddressInput!) { addAddress(input: $input) { ${ADDRESS_FIELDS} } }`;
const UPDATE_ADDRESS = `mutation Update($id: ID!, $input: AddressUpdateInput!) { updateAddress(id: $id, input: $input) { ${ADDRESS_FIELDS} } }`;
const REMOVE_ADDRESS = 'mutation Remove($id: ID!) { removeAddress(id: $id) }';
const SET_DEFAULT = `mutation SetDefault($id: ID!) { setDefaultAddress(id: $id) { ${ADDRESS_FIELDS} } }`;
const MY_ADDRESSES = `{ me { addresses { ${ADDRESS_FIELDS} } defaultAddress { ${ADDRESS_FIELDS} } } }`;

interface Address {
  id: string;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  country: string;
  isDefault: boolean;
}

const valid = { name: 'Jane Doe', line1: 'Invalidenstraße 117', line2: null, city: 'Berlin', postalCode: '10115', country: 'DE' };

async function add(token: string, change: Record<string, unknown> = {}): Promise<Address> {
  return (await graphqlOk<{ addAddress: Address }>(users.url, ADD_ADDRESS, { input: { ...valid, ...change } }, { token })).addAddress;
}

async function mine(token: string): Promise<{ addresses: Address[]; defaultAddress: Address | null }> {
  return (await graphqlOk(users.url, MY_ADDRESSES, {}, { token })).me;
}

/** Which cities the user has, oldest first, and which one is the default. */
async function book(token: string): Promise<{ cities: string[]; defaultCity: string | null }> {
  const { addresses, defaultAddress } = await mine(token);
  expect(addresses.filter((a) => a.isDefault)).toEqual(defaultAddress === null ? [] : [defaultAddress]);
  return { cities: addresses.map((a) => a.city), defaultCity: defaultAddress?.city ?? null };
}

describe('addAddress', () => {
  it('needs a signed-in user', async () => {
    const result = await graphql(users.url, ADD_ADDRESS, { input: valid });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('saves trimmed fields and lists the addresses oldest first', async () => {
    const { accessToken } = await registerUser(users.url);
    const first = await add(accessToken, {
      name: ' Jane Doe ',
      line1: ' 10 Downing Street ',
      line2: '  ',
      city: ' London ',
      postalCode: ' SW1A 2AA ',
      country: 'GB',
    });
    expect(first).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Jane Doe',
      line1: '10 Downing Street',
      line2: null,
      city: 'London',
      postalCode: 'SW1A 2AA',
      country: 'GB',
      isDefault: true,
    });
    const second = await add(accessToken, { line2: 'Hinterhaus, 3. OG' });
    expect(second.isDefault).toBe(false);

    expect(await mine(accessToken)).toEqual({ addresses: [first, second], defaultAddress: first });
  });

  it('names the bad field in BAD_USER_INPUT and saves nothing', async () => {
    const { accessToken } = await registerUser(users.url);
    const cases: Array<[string, Record<string, unknown>]> = [
      ['name', { name: '   ' }],
      ['name', { name: 'n'.repeat(101) }],
      ['line1', { line1: '' }],
      ['line1', { line1: 'l'.repeat(201) }],
      ['line1', { line1: 'Main St\n1' }],
      ['line2', { line2: 'x'.repeat(201) }],
      ['city', { city: ' ' }],
      ['postalCode', { postalCode: '1' }],
      ['postalCode', { postalCode: '1234567890123' }],
      ['postalCode', { postalCode: '10115;' }],
      ['country', { country: 'de' }],
      ['country', { country: 'DEU' }],
      ['country', { country: 'XX' }],
      ['country', { country: '' }],
    ];
    for (const [field, change] of cases) {
      const result = await graphql(users.url, ADD_ADDRESS, { input: { ...valid, ...change } }, { token: accessToken });
      expect({ change, codes: errorCodes(result), field: result.errors?.[0]?.extensions?.field }).toEqual({
        change,
        codes: ['BAD_USER_INPUT'],
        field,
      });
    }
    expect(await mine(accessToken)).toEqual({ addresses: [], defaultAddress: null });
  });

  it('accepts the limits themselves', async () => {
    const { accessToken } = await registerUser(users.url);
    const input = { name: 'n'.repeat(100), line1: 'l'.repeat(200), line2: 'm'.repeat(200), city: 'c'.repeat(100), postalCode: 'AB-12 345678', country: 'NL' };
    expect(await add(accessToken, input)).toMatchObject(input);
  });

  it('keeps at most 20 addresses per user: the 21st is a CONFLICT until one is removed', async () => {
    const { accessToken } = await registerUser(users.url);
    const saved: Address[] = [];
    for (let i = 1; i <= 20; i += 1) saved.push(await add(accessToken, { city: `City ${i}` }));

    const refused = await graphql(users.url, ADD_ADDRESS, { input: { ...valid, city: 'City 21' } }, { token: accessToken });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect((await book(accessToken)).cities).toHaveLength(20);

    await graphqlOk(users.url, REMOVE_ADDRESS, { id: saved[4]!.id }, { token: accessToken });
    await add(accessToken, { city: 'City 21' });
    expect((await book(accessToken)).cities).toHaveLength(20);
  });

  it('holds the limit and the single default when a user adds many addresses at the same moment', async () => {
    const fresh = await registerUser(users.url);
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => graphql(users.url, ADD_ADDRESS, { input: { ...valid, city: `Race ${i}` } }, { token: fresh.accessToken })),
    );
    expect(results.flatMap(errorCodes)).toEqual([]);
    expect((await mine(fresh.accessToken)).addresses.filter((a) => a.isDefault)).toHaveLength(1);

    const nearlyFull = await registerUser(users.url);
    for (let i = 1; i <= 18; i += 1) await add(nearlyFull.accessToken, { city: `City ${i}` });
    const burst = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => graphql(users.url, ADD_ADDRESS, { input: { ...valid, city: `Burst ${i}` } }, { token: nearlyFull.accessToken })),
    );
    expect(burst.filter((r) => r.data?.addAddress)).toHaveLength(2);
    expect(burst.flatMap(errorCodes)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
    expect((await book(nearlyFull.accessToken)).cities).toHaveLength(20);
  });
});

describe('updateAddress', () => {
  it('changes only the fields given, clears line2 with null, and answers the whole address', async () => {
    const { accessToken } = await registerUser(users.url);
    const original = await add(accessToken, { line2: 'Hinterhaus' });
    const other = await add(accessToken, { city: 'Potsdam' });

    const moved = await graphqlOk(users.url, UPDATE_ADDRESS, { id: original.id, input: { city: ' Hamburg ', postalCode: '20095' } }, { token: accessToken });
    expect(moved.updateAddress).toEqual({ ...original, city: 'Hamburg', postalCode: '20095' });

    const cleared = await graphqlOk(users.url, UPDATE_ADDRESS, { id: original.id, input: { line2: null } }, { token: accessToken });
    expect(cleared.updateAddress).toEqual({ ...original, city: 'Hamburg', postalCode: '20095', line2: null });

    const unchanged = await graphqlOk(users.url, UPDATE_ADDRESS, { id: original.id, input: {} }, { token: accessToken });
    expect(unchanged.updateAddress).toEqual(cleared.updateAddress);

    expect((await mine(accessToken)).addresses).toEqual([cleared.updateAddress, other]);
  });

  it('refuses a bad or removed required field with BAD_USER_INPUT naming it, and changes nothing', async () => {
    const { accessToken } = await registerUser(users.url);
    const original = await add(accessToken);
    const cases: Array<[string, Record<string, unknown>]> = [
      ['name', { name: null }],
      ['name', { name: ' ' }],
      ['line1', { line1: null }],
      ['line2', { line2: 'x'.repeat(201) }],
      ['city', { city: null }],
      ['postalCode', { postalCode: null }],
      ['country', { country: 'Germany' }],
      // Valid fields before the bad one are not saved either.
      ['country', { city: 'Munich', country: null }],
    ];
    for (const [field, input] of cases) {
      const result = await graphql(users.url, UPDATE_ADDRESS, { id: original.id, input }, { token: accessToken });
      expect({ input, codes: errorCodes(result), field: result.errors?.[0]?.extensions?.field }).toEqual({
        input,
        codes: ['BAD_USER_INPUT'],
        field,
      });
    }
    expect((await mine(accessToken)).addresses).toEqual([original]);
  });
});

describe('default address', () => {
  it('moves with setDefaultAddress, leaving exactly one default', async () => {
    const { accessToken } = await registerUser(users.url);
    await add(accessToken, { city: 'Aachen' });
    const bonn = await add(accessToken, { city: 'Bonn' });
    await add(accessToken, { city: 'Cologne' });
    expect(await book(accessToken)).toEqual({ cities: ['Aachen', 'Bonn', 'Cologne'], defaultCity: 'Aachen' });

    const result = await graphqlOk(users.url, SET_DEFAULT, { id: bonn.id }, { token: accessToken });
    expect(result.setDefaultAddress).toEqual({ ...bonn, isDefault: true });
    expect(await book(accessToken)).toEqual({ cities: ['Aachen', 'Bonn', 'Cologne'], defaultCity: 'Bonn' });

    // Setting the default again changes nothing.
    await graphqlOk(users.url, SET_DEFAULT, { id: bonn.id }, { token: accessToken });
    expect(await book(accessToken)).toEqual({ cities: ['Aachen', 'Bonn', 'Cologne'], defaultCity: 'Bonn' });
  });

  it('passes to the newest remaining address when the default is removed, and to the next one added when none remain', async () => {
    const { accessToken } = await registerUser(users.url);
    const aachen = await add(accessToken, { city: 'Aachen' });
    const bonn = await add(accessToken, { city: 'Bonn' });
    const cologne = await add(accessToken, { city: 'Cologne' });
    const dresden = await add(accessToken, { city: 'Dresden' });
    await graphqlOk(users.url, SET_DEFAULT, { id: bonn.id }, { token: accessToken });

    // Removing another address leaves the default alone.
    expect(await graphqlOk(users.url, REMOVE_ADDRESS, { id: dresden.id }, { token: accessToken })).toEqual({ removeAddress: true });
    expect(await book(accessToken)).toEqual({ cities: ['Aachen', 'Bonn', 'Cologne'], defaultCity: 'Bonn' });

    await graphqlOk(users.url, REMOVE_ADDRESS, { id: bonn.id }, { token: accessToken });
    expect(await book(accessToken)).toEqual({ cities: ['Aachen', 'Cologne'], defaultCity: 'Cologne' });

    await graphqlOk(users.url, REMOVE_ADDRESS, { id: cologne.id }, { token: accessToken });
    await graphqlOk(users.url, REMOVE_ADDRESS, { id: aachen.id }, { token: accessToken });
    expect(await book(accessToken)).toEqual({ cities: [], defaultCity: null });

    await add(accessToken, { city: 'Essen' });
    expect(await book(accessToken)).toEqual({ cities: ['Essen'], defaultCity: 'Essen' });
  });

  it('is given, on upgrade, to the oldest address of each user saved before defaults existed', async () => {
    const databaseUrl = await createTestDatabase('users_upgrade');
    const postgres = openDatabase(databaseUrl);
    let userId: string;
    try {
      await migrateToLatest(postgres.db, { '0001_initial': initialMigration });
      const user = await postgres.db
        .insertInto('users')
        .values({ email: 'old@example.com', password_hash: 'x' })
        .returning('id')
        .executeTakeFirstOrThrow();
      userId = user.id;
      for (const [city, at] of [['Newer', '2024-06-01T00:00:00Z'], ['Oldest', '2024-01-01T00:00:00Z'], ['Middle', '2024-03-01T00:00:00Z']]) {
        await sql`INSERT INTO addresses (user_id, name, line1, city, postal_code, country, created_at)
                  VALUES (${userId}, 'Old', 'Street 1', ${city}, '12345', 'DE', ${at}::timestamptz)`.execute(postgres.db);
      }
    } finally {
      await postgres.destroy();
    }
    const upgraded = await startUsers({ databaseUrl, admin: { email: 'root@shop.test', password: 'admin-password-1' } });
    try {
      const admin = await login(upgraded.url, 'root@shop.test', 'admin-password-1');
      const result = await graphqlOk(
        upgraded.url,
        'query($id: ID!) { user(id: $id) { addresses { city isDefault } defaultAddress { city } } }',
        { id: userId },
        { token: admin.accessToken },
      );
      expect(result.user).toEqual({
        addresses: [
          { city: 'Oldest', isDefault: true },
          { city: 'Middle', isDefault: false },
          { city: 'Newer', isDefault: false },
        ],
        defaultAddress: { city: 'Oldest' },
      });
    } finally {
      await upgraded.stop();
    }
  });
});

describe('only the owner may touch an address', () => {
  let owner: AuthPayload;
  let stranger: AuthPayload;
  let admin: AuthPayload;
  let address: Address;

  beforeAll(async () => {
    owner = await registerUser(users.url);
    stranger = await registerUser(users.url);
    admin = await login(users.url, 'root@shop.test', 'admin-password-1');
    address = await add(owner.accessToken, { city: 'Leipzig' });
    await add(owner.accessToken, { city: 'Halle' });
  });

  const attempts = (id: string) =>
    [
      [UPDATE_ADDRESS, { id, input: { city: 'Stolen' } }],
      [REMOVE_ADDRESS, { id }],
      [SET_DEFAULT, { id }],
    ] as const;

  it('answers NOT_FOUND to anyone else, admins included, exactly as for an address that does not exist', async () => {
    const missing = randomUUID();
    for (const token of [stranger.accessToken, admin.accessToken]) {
      const nobodys = attempts(missing);
      for (const [i, [query, variables]] of attempts(address.id).entries()) {
        const theirs = await graphql(users.url, query, variables, { token });
        const absent = await graphql(users.url, nobodys[i]![0], nobodys[i]![1], { token });
        expect(errorCodes(theirs)).toEqual(['NOT_FOUND']);
        expect(errorCodes(absent)).toEqual(['NOT_FOUND']);
        expect(theirs.errors?.[0]?.message.replace(address.id, '<id>')).toBe(absent.errors?.[0]?.message.replace(missing, '<id>'));
        expect(theirs.data).toBeNull();
      }
    }
    expect(await book(owner.accessToken)).toEqual({ cities: ['Leipzig', 'Halle'], defaultCity: 'Leipzig' });
    expect(await book(stranger.accessToken)).toEqual({ cities: [], defaultCity: null });
  });

  it('answers BAD_USER_INPUT on id for something that is not an id, and UNAUTHENTICATED without a sign-in', async () => {
    for (const [query, variables] of attempts('not-an-id')) {
      const result = await graphql(users.url, query, variables, { token: owner.accessToken });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.field).toBe('id');
    }
    for (const [query, variables] of attempts(address.id)) {
      expect(errorCodes(await graphql(users.url, query, variables))).toEqual(['UNAUTHENTICATED']);
    }
    expect(await book(owner.accessToken)).toEqual({ cities: ['Leipzig', 'Halle'], defaultCity: 'Leipzig' });
  });
});
