import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import {
  CHANGE_PASSWORD,
  GOOD_PASSWORD,
  LOGIN,
  REFRESH,
  login,
  registerUser,
  startUsers,
  uniqueEmail,
  type RunningUsers,
} from './helpers.js';

let users: RunningUsers;

beforeAll(async () => {
  users = await startUsers();
});

afterAll(async () => {
  await users.stop();
});

const UPDATE_PROFILE = 'mutation Profile($name: String) { updateProfile(name: $name) { id name email } }';
const UPDATE_PROFILE_WITHOUT_NAME = 'mutation { updateProfile { id name } }';
const UPDATE_PREFERENCES = `mutation Prefs($input: PreferencesInput!) {
  updatePreferences(input: $input) { locale currency marketingOptIn }
}`;
const MY_PREFERENCES = '{ me { preferences { locale currency marketingOptIn } } }';

async function myName(token: string): Promise<string | null> {
  return (await graphqlOk(users.url, '{ me { name } }', {}, { token })).me.name;
}

describe('updateProfile', () => {
  it('sets a trimmed name, leaves it when name is omitted, and removes it with null or blank', async () => {
    const { accessToken, user } = await registerUser(users.url, { name: 'Jane' });
    const renamed = await graphqlOk(users.url, UPDATE_PROFILE, { name: '  Jane Q. Public ' }, { token: accessToken });
    expect(renamed.updateProfile).toEqual({ id: user.id, name: 'Jane Q. Public', email: user.email });
    expect(await myName(accessToken)).toBe('Jane Q. Public');

    expect((await graphqlOk(users.url, UPDATE_PROFILE_WITHOUT_NAME, {}, { token: accessToken })).updateProfile.name).toBe('Jane Q. Public');

    expect((await graphqlOk(users.url, UPDATE_PROFILE, { name: null }, { token: accessToken })).updateProfile.name).toBeNull();
    await graphqlOk(users.url, UPDATE_PROFILE, { name: 'Back' }, { token: accessToken });
    expect((await graphqlOk(users.url, UPDATE_PROFILE, { name: '   ' }, { token: accessToken })).updateProfile.name).toBeNull();
    expect(await myName(accessToken)).toBeNull();
  });

  it('refuses a name over 100 characters or with line breaks, keeping the old one', async () => {
    const { accessToken } = await registerUser(users.url, { name: 'Kept' });
    for (const name of ['x'.repeat(101), 'Jane\nDoe']) {
      const result = await graphql(users.url, UPDATE_PROFILE, { name }, { token: accessToken });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.field).toBe('name');
    }
    expect(await myName(accessToken)).toBe('Kept');
  });

  it('needs a signed-in user', async () => {
    expect(errorCodes(await graphql(users.url, UPDATE_PROFILE, { name: 'Anon' }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('changePassword', () => {
  it('switches to the new password and signs out every session, this one included', async () => {
    const email = uniqueEmail('change');
    const phone = await registerUser(users.url, { email });
    const laptop = await login(users.url, email, GOOD_PASSWORD);
    const rotated = (await graphqlOk(users.url, REFRESH, { token: laptop.refreshToken })).refreshToken;

    const result = await graphqlOk(users.url, CHANGE_PASSWORD, { current: GOOD_PASSWORD, next: 'a brand new passphrase' }, { token: phone.accessToken });
    expect(result).toEqual({ changePassword: true });

    for (const token of [phone.refreshToken, rotated.refreshToken]) {
      expect(errorCodes(await graphql(users.url, REFRESH, { token }))).toEqual(['UNAUTHENTICATED']);
    }
    expect(errorCodes(await graphql(users.url, LOGIN, { email, password: GOOD_PASSWORD }))).toEqual(['UNAUTHENTICATED']);
    const fresh = await login(users.url, email, 'a brand new passphrase');
    expect(fresh.user.id).toBe(phone.user.id);
    expect((await graphql(users.url, REFRESH, { token: fresh.refreshToken })).errors).toBeUndefined();
  });

  it('refuses a wrong current password on currentPassword and a weak new one on newPassword, changing nothing', async () => {
    const email = uniqueEmail('nochange');
    const session = await registerUser(users.url, { email });
    const cases: Array<[string, { current: string; next: string }]> = [
      ['currentPassword', { current: 'not my password', next: 'a brand new passphrase' }],
      ['newPassword', { current: GOOD_PASSWORD, next: 'short' }],
      ['newPassword', { current: GOOD_PASSWORD, next: '1234567890' }],
      ['newPassword', { current: GOOD_PASSWORD, next: 'x'.repeat(129) }],
    ];
    for (const [field, variables] of cases) {
      const result = await graphql(users.url, CHANGE_PASSWORD, variables, { token: session.accessToken });
      expect({ variables, codes: errorCodes(result), field: result.errors?.[0]?.extensions?.field }).toEqual({
        variables,
        codes: ['BAD_USER_INPUT'],
        field,
      });
    }
    // The session survived and the old password still works.
    expect((await graphql(users.url, REFRESH, { token: session.refreshToken })).errors).toBeUndefined();
    await expect(login(users.url, email, GOOD_PASSWORD)).resolves.toMatchObject({ user: { email } });
  });

  it('needs a signed-in user', async () => {
    const result = await graphql(users.url, CHANGE_PASSWORD, { current: GOOD_PASSWORD, next: 'a brand new passphrase' });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('preferences', () => {
  it('start as en-GB, EUR and no marketing', async () => {
    const { accessToken } = await registerUser(users.url);
    expect((await graphqlOk(users.url, MY_PREFERENCES, {}, { token: accessToken })).me.preferences).toEqual({
      locale: 'en-GB',
      currency: 'EUR',
      marketingOptIn: false,
    });
  });

  it('change only the fields given; a locale is accepted in any letter case and kept in canonical form', async () => {
    const { accessToken } = await registerUser(users.url);
    const steps: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [{ locale: 'de-de' }, { locale: 'de-DE', currency: 'EUR', marketingOptIn: false }],
      [{ currency: 'CHF' }, { locale: 'de-DE', currency: 'CHF', marketingOptIn: false }],
      [{ marketingOptIn: true }, { locale: 'de-DE', currency: 'CHF', marketingOptIn: true }],
      [{ locale: ' EN-us ', currency: 'JPY', marketingOptIn: false }, { locale: 'en-US', currency: 'JPY', marketingOptIn: false }],
      [{}, { locale: 'en-US', currency: 'JPY', marketingOptIn: false }],
    ];
    for (const [input, expected] of steps) {
      const result = await graphqlOk(users.url, UPDATE_PREFERENCES, { input }, { token: accessToken });
      expect({ input, preferences: result.updatePreferences }).toEqual({ input, preferences: expected });
      expect((await graphqlOk(users.url, MY_PREFERENCES, {}, { token: accessToken })).me.preferences).toEqual(expected);
    }
  });

  it('refuses unsupported or malformed values with BAD_USER_INPUT naming the field, saving none of the input', async () => {
    const { accessToken } = await registerUser(users.url);
    const cases: Array<[string, Record<string, unknown>]> = [
      ['locale', { locale: 'pt-BR' }],
      ['locale', { locale: 'en' }],
      ['locale', { locale: 'en_GB' }],
      ['locale', { locale: 'english' }],
      ['locale', { locale: '' }],
      ['locale', { locale: null }],
      ['currency', { currency: 'BTC' }],
      ['currency', { currency: 'eur' }],
      ['currency', { currency: 'EURO' }],
      ['currency', { currency: null }],
      ['marketingOptIn', { marketingOptIn: null }],
      ['locale', { currency: 'USD', marketingOptIn: true, locale: 'xx-XX' }],
    ];
    for (const [field, input] of cases) {
      const result = await graphql(users.url, UPDATE_PREFERENCES, { input }, { token: accessToken });
      expect({ input, codes: errorCodes(result), field: result.errors?.[0]?.extensions?.field }).toEqual({
        input,
        codes: ['BAD_USER_INPUT'],
        field,
      });
    }
    expect((await graphqlOk(users.url, MY_PREFERENCES, {}, { token: accessToken })).me.preferences).toEqual({
      locale: 'en-GB',
      currency: 'EUR',
      marketingOptIn: false,
    });
  });

  it('needs a signed-in user to change them', async () => {
    expect(errorCodes(await graphql(users.url, UPDATE_PREFERENCES, { input: { currency: 'USD' } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('cache hint on `me`', () => {
  const cacheControl = async (query: string, token?: string) => (await graphql(users.url, query, {}, token ? { token } : {})).headers.get('cache-control');

  it('lets only the caller keep their own account fields, 60 s, and nothing else of theirs', async () => {
    const { accessToken } = await registerUser(users.url, { name: 'Kept' });
    expect(await cacheControl('{ me { id email name role createdAt } }', accessToken)).toBe('max-age=60, private');
    expect(await cacheControl('{ me { id addresses { id } } }', accessToken)).toBe('no-store');
    expect(await cacheControl(MY_PREFERENCES, accessToken)).toBe('no-store');
    // Nobody's data: `me` is null. The router keeps nothing private for an anonymous caller.
    expect(await cacheControl('{ me { id } }')).toBe('max-age=60, private');
  });
});
