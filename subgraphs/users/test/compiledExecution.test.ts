import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyJwk } from '@shop/subgraph-kit';
import { graphql, graphqlOk, type GraphQLCallOptions } from '@shop/testing';
import { login, registerUser, startUsers, type AuthPayload, type RunningUsers } from './helpers.js';

// Users answers queries through graphql-jit (the kit's compiled execution). A second users
// subgraph on the same database and signing key runs everything through graphql-js: every
// answer here, data, errors and HTTP status, must be the same from both.

const ADMIN = { email: 'root@compiled.test', password: 'admin-password-1' };
const ADD_ADDRESS = 'mutation Add($input: AddressInput!) { addAddress(input: $input) { id } }';

describe('compiled execution (graphql-jit) against graphql-js, on the users schema', () => {
  let compiled: RunningUsers;
  let reference: RunningUsers;
  let alice: AuthPayload;
  let bob: AuthPayload;
  let admin: AuthPayload;

  const both = async (query: string, variables: Record<string, unknown> = {}, options: GraphQLCallOptions = {}) => {
    const [fromJit, fromGraphqlJs] = await Promise.all([graphql(compiled.url, query, variables, options), graphql(reference.url, query, variables, options)]);
    const answer = (result: typeof fromJit) => JSON.stringify({ status: result.status, data: result.data, errors: result.errors });
    expect(answer(fromJit)).toBe(answer(fromGraphqlJs));
    return fromJit;
  };
  const as = (who: AuthPayload): GraphQLCallOptions => ({ token: who.accessToken });

  beforeAll(async () => {
    const jwtPrivateKey = JSON.stringify(await generateKeyJwk());
    compiled = await startUsers({ admin: ADMIN, jwtPrivateKey });
    reference = await startUsers({ databaseUrl: compiled.databaseUrl, jwtPrivateKey, execution: 'graphql-js' });
    alice = await registerUser(compiled.url, { name: 'Alice' });
    bob = await registerUser(compiled.url, { name: null });
    admin = await login(compiled.url, ADMIN.email, ADMIN.password);
    for (const city of ['Amsterdam', 'Antwerp']) {
      await graphqlOk(compiled.url, ADD_ADDRESS, { input: { name: 'Alice', line1: 'Main Street 1', city, postalCode: '1000', country: 'NL' } }, as(alice));
    }
  });

  afterAll(async () => {
    await reference?.stop();
    await compiled?.stop();
  });

  it('answers `me` as graphql-js does, signed in or not', async () => {
    const me = await both(`{ me { id email name role createdAt addresses { city country } defaultAddress { city } preferences { __typename } } }`, {}, as(alice));
    expect(me.data.me.addresses).toHaveLength(2);
    await both(`{ me { id } }`, {}, as(bob));
    await both(`{ me { id } }`);
  });

  it("answers entities with a forbidden field in the middle of the list as graphql-js does", async () => {
    // Another user's email is FORBIDDEN; email is non-null, so that user's entity is null.
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email name } } }`;
    const r = [alice, bob, alice].map((who) => ({ __typename: 'User', id: who.user.id })).concat([{ __typename: 'User', id: 'nobody' }]);
    const result = await both(query, { r }, as(alice));
    expect(result.data._entities.map((entity: { id: string } | null) => entity?.id ?? null)).toEqual([alice.user.id, null, alice.user.id, null]);
    expect(result.errors!.map((error) => [error.path, error.extensions?.code])).toEqual([[['_entities', 1, 'email'], 'FORBIDDEN']]);
    await both(query, { r }, as(admin));
  });

  it('refuses variables and arguments as graphql-js does', async () => {
    const query = `query($first: Int, $role: Role) { users(first: $first, role: $role) { totalCount edges { node { id email } } } }`;
    const wrongType = await both(query, { first: 'all' }, as(admin));
    expect(wrongType.status).toBe(400);
    expect(wrongType.errors!.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', 'first']]);
    await both(query, { role: 'KING' }, as(admin));
    await both(query, { first: 1000 }, as(admin));
    await both(query, { first: 2, role: 'CUSTOMER' }, as(admin));
    await both(query, { first: 2 }, as(alice));
  });
});
