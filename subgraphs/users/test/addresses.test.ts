import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { registerUser, startUsers, type RunningUsers } from './helpers.js';

let users: RunningUsers;

beforeAll(async () => {
  users = await startUsers();
});

afterAll(async () => {
  await users.stop();
});

const ADD_ADDRESS = `mutation Add($input: AddressInput!) {
  addAddress(input: $input) { id name line1 line2 city postalCode country }
}`;
const MY_ADDRESSES = '{ me { addresses { id name line1 line2 city postalCode country } } }';

const valid = { name: 'Jane Doe', line1: 'Invalidenstraße 117', line2: null, city: 'Berlin', postalCode: '10115', country: 'DE' };

describe('addAddress', () => {
  it('needs a signed-in user', async () => {
    const result = await graphql(users.url, ADD_ADDRESS, { input: valid });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('saves trimmed fields and lists the addresses oldest first', async () => {
    const { accessToken } = await registerUser(users.url);
    const first = await graphqlOk(
      users.url,
      ADD_ADDRESS,
      { input: { name: ' Jane Doe ', line1: ' 10 Downing Street ', line2: '  ', city: ' London ', postalCode: ' SW1A 2AA ', country: 'GB' } },
      { token: accessToken },
    );
    expect(first.addAddress).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Jane Doe',
      line1: '10 Downing Street',
      line2: null,
      city: 'London',
      postalCode: 'SW1A 2AA',
      country: 'GB',
    });
    const second = await graphqlOk(users.url, ADD_ADDRESS, { input: { ...valid, line2: 'Hinterhaus, 3. OG' } }, { token: accessToken });

    const mine = await graphqlOk(users.url, MY_ADDRESSES, {}, { token: accessToken });
    expect(mine.me.addresses).toEqual([first.addAddress, second.addAddress]);
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
    const mine = await graphqlOk(users.url, MY_ADDRESSES, {}, { token: accessToken });
    expect(mine.me.addresses).toEqual([]);
  });

  it('accepts the limits themselves', async () => {
    const { accessToken } = await registerUser(users.url);
    const input = { name: 'n'.repeat(100), line1: 'l'.repeat(200), line2: 'm'.repeat(200), city: 'c'.repeat(100), postalCode: 'AB-12 345678', country: 'NL' };
    const result = await graphqlOk(users.url, ADD_ADDRESS, { input }, { token: accessToken });
    expect(result.addAddress).toMatchObject(input);
  });
});
