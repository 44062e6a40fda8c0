import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { serviceKeyRing, SERVICE_TOKEN_HEADER } from '@shop/subgraph-kit';
import { errorCodes, graphql, testServiceKey, type TestServiceKey } from '@shop/testing';
import { registerUser, startUsers, type AuthPayload, type RunningUsers } from './helpers.js';

// What notifications asks for when it addresses a message: no user is signed in.
const CONTACT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email name preferences { locale marketingOptIn } } } }`;
const ADDRESSES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id addresses { city } } } }`;

let users: RunningUsers;
let notifications: TestServiceKey;
let analytics: TestServiceKey;
let alice: AuthPayload;

beforeAll(async () => {
  notifications = await testServiceKey('notifications');
  analytics = await testServiceKey('analytics');
  // Both keys are published (as the router publishes every service's); only notifications is served.
  users = await startUsers({ serviceKeys: { keys: [...notifications.keySet.keys, ...analytics.keySet.keys] } });
  alice = await registerUser(users.url, { name: 'Alice' });
});

afterAll(async () => {
  await users.stop();
});

const asService = async (key: TestServiceKey, query: string, audience = 'users') =>
  graphql(users.url, query, { r: [{ __typename: 'User', id: alice.user.id }] }, { headers: await key.credentials.headers(audience) });

describe('services calling users', () => {
  it('shows the notifications service a user\'s contact details, with no user token minted or sent', async () => {
    const result = await asService(notifications, CONTACT);
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([
      { id: alice.user.id, email: alice.user.email, name: 'Alice', preferences: { locale: expect.any(String), marketingOptIn: false } },
    ]);
  });

  it('grants notifications contact details only: addresses stay the user\'s own', async () => {
    expect(errorCodes(await asService(notifications, ADDRESSES))).toEqual(['FORBIDDEN']);
  });

  it('refuses with HTTP 401 a token signed by another key, for another audience, or from a service users does not serve', async () => {
    const impostor = await testServiceKey('notifications');
    for (const result of [await asService(impostor, CONTACT), await asService(notifications, CONTACT, 'orders'), await asService(analytics, CONTACT)]) {
      expect(result.status).toBe(401);
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
      expect(result.data).toBeUndefined();
    }
  });

  it('refuses a service that signs as another with its own published key', async () => {
    const ring = await serviceKeyRing('analytics', { text: analytics.privateKey }, () => undefined);
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: ring.signing.alg, kid: ring.signing.kid, typ: 'service+jwt' })
      .setIssuer('notifications')
      .setSubject('notifications')
      .setAudience('users')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(ring.signing.privateKey);
    const result = await graphql(users.url, CONTACT, { r: [{ __typename: 'User', id: alice.user.id }] }, { headers: { [SERVICE_TOKEN_HEADER]: forged } });
    expect(result.status).toBe(401);
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('shows nobody else the email: anonymous callers and other customers get FORBIDDEN', async () => {
    const bob = await registerUser(users.url);
    const anonymous = await graphql(users.url, CONTACT, { r: [{ __typename: 'User', id: alice.user.id }] });
    const other = await graphql(users.url, CONTACT, { r: [{ __typename: 'User', id: alice.user.id }] }, { token: bob.accessToken });
    expect(errorCodes(anonymous)).toContain('FORBIDDEN');
    expect(errorCodes(other)).toContain('FORBIDDEN');
  });
});
