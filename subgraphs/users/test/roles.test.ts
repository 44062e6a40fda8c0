import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { REFRESH, login, registerUser, startUsers, type AuthPayload, type RunningUsers } from './helpers.js';

const ADMIN = { email: 'root@shop.test', password: 'admin-password-1' };

let users: RunningUsers;
let root: AuthPayload;

const SET_ROLE = 'mutation SetRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id email role } }';
const LIST = '{ users(first: 1) { totalCount } }';

beforeAll(async () => {
  users = await startUsers({ admin: ADMIN });
  root = await login(users.url, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await users.stop();
});

async function setRole(token: string, userId: string, role: 'CUSTOMER' | 'ADMIN') {
  return graphql(users.url, SET_ROLE, { userId, role }, { token });
}

async function refresh(session: AuthPayload): Promise<AuthPayload> {
  return (await graphqlOk<{ refreshToken: AuthPayload }>(users.url, REFRESH, { token: session.refreshToken })).refreshToken;
}

async function roleOf(userId: string): Promise<string> {
  return (await graphqlOk(users.url, 'query($id: ID!) { user(id: $id) { role } }', { id: userId }, { token: root.accessToken })).user.role;
}

/** An ADMIN session of a fresh account: promoted by root, then refreshed into an ADMIN token. */
async function newAdmin(): Promise<AuthPayload> {
  const customer = await registerUser(users.url);
  await graphqlOk(users.url, SET_ROLE, { userId: customer.user.id, role: 'ADMIN' }, { token: root.accessToken });
  return refresh(customer);
}

describe('setUserRole', () => {
  it('promotes a customer, whose next refresh carries ADMIN and opens the admin queries', async () => {
    const customer = await registerUser(users.url);
    expect(errorCodes(await graphql(users.url, LIST, {}, { token: customer.accessToken }))).toEqual(['FORBIDDEN']);

    const result = await graphqlOk(users.url, SET_ROLE, { userId: customer.user.id, role: 'ADMIN' }, { token: root.accessToken });
    expect(result.setUserRole).toEqual({ id: customer.user.id, email: customer.user.email, role: 'ADMIN' });

    const promoted = await refresh(customer);
    expect(promoted.user.role).toBe('ADMIN');
    expect((await users.verifier.verify(promoted.accessToken)).role).toBe('ADMIN');
    expect((await graphql(users.url, LIST, {}, { token: promoted.accessToken })).errors).toBeUndefined();
  });

  it('demotes another admin, whose next refresh is a CUSTOMER again', async () => {
    const other = await newAdmin();
    expect((await graphqlOk(users.url, SET_ROLE, { userId: other.user.id, role: 'CUSTOMER' }, { token: root.accessToken })).setUserRole.role).toBe(
      'CUSTOMER',
    );
    const demoted = await refresh(other);
    expect((await users.verifier.verify(demoted.accessToken)).role).toBe('CUSTOMER');
    expect(errorCodes(await graphql(users.url, LIST, {}, { token: demoted.accessToken }))).toEqual(['FORBIDDEN']);
  });

  it('will not let an admin demote themself (CONFLICT), but confirming their own ADMIN role is fine', async () => {
    const result = await setRole(root.accessToken, root.user.id, 'CUSTOMER');
    expect(errorCodes(result)).toEqual(['CONFLICT']);
    expect(await roleOf(root.user.id)).toBe('ADMIN');
    expect((await graphqlOk(users.url, SET_ROLE, { userId: root.user.id, role: 'ADMIN' }, { token: root.accessToken })).setUserRole.role).toBe('ADMIN');
  });

  it('goes by the role an admin has now, not the one in an access token issued before a demotion', async () => {
    const former = await newAdmin();
    const bystander = await registerUser(users.url);
    await graphqlOk(users.url, SET_ROLE, { userId: former.user.id, role: 'CUSTOMER' }, { token: root.accessToken });

    // `former.accessToken` still says ADMIN for up to 15 minutes.
    expect(errorCodes(await setRole(former.accessToken, former.user.id, 'ADMIN'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await setRole(former.accessToken, bystander.user.id, 'ADMIN'))).toEqual(['FORBIDDEN']);
    expect(await roleOf(former.user.id)).toBe('CUSTOMER');
    expect(await roleOf(bystander.user.id)).toBe('CUSTOMER');
  });

  it('lets only one of two admins demoting each other at the same moment succeed', async () => {
    const [a, b] = [await newAdmin(), await newAdmin()];
    const [aDemotesB, bDemotesA] = await Promise.all([
      setRole(a.accessToken, b.user.id, 'CUSTOMER'),
      setRole(b.accessToken, a.user.id, 'CUSTOMER'),
    ]);
    expect([errorCodes(aDemotesB), errorCodes(bDemotesA)].sort()).toEqual([[], ['FORBIDDEN']]);
    expect([await roleOf(a.user.id), await roleOf(b.user.id)].sort()).toEqual(['ADMIN', 'CUSTOMER']);
  });

  it('answers NOT_FOUND for an unknown user and BAD_USER_INPUT on userId for something that is not an id', async () => {
    expect(errorCodes(await setRole(root.accessToken, randomUUID(), 'ADMIN'))).toEqual(['NOT_FOUND']);
    const malformed = await setRole(root.accessToken, 'root', 'ADMIN');
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.errors?.[0]?.extensions?.field).toBe('userId');
  });

  it('is FORBIDDEN to customers (even for themselves) and UNAUTHENTICATED to anonymous callers', async () => {
    const customer = await registerUser(users.url);
    expect(errorCodes(await setRole(customer.accessToken, customer.user.id, 'ADMIN'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(users.url, SET_ROLE, { userId: customer.user.id, role: 'ADMIN' }))).toEqual(['UNAUTHENTICATED']);
    expect(await roleOf(customer.user.id)).toBe('CUSTOMER');
  });
});
