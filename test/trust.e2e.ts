import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import WebSocket from 'ws';
import { createLogger, createServiceCredentials, serviceKeyRing, SERVICE_TOKEN_HEADER } from '@shop/subgraph-kit';
import { createRouter, type Router } from '@shop/router';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// The trust boundary of the real supergraph: subgraph ports serve the router and named services
// only, whatever user token a request carries; services reach the router on a path of their own.

let sg: Supergraph;
let admin: string;
let customer: string;

beforeAll(async () => {
  sg = await startSupergraph();
  admin = (await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password })).login
    .accessToken;
  const input = { email: `trust-${Date.now()}@e2e.test`, password: 'a-strong-password-1', name: 'Trust' };
  customer = (await graphqlOk(sg.url, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', { input })).register.accessToken;
});

afterAll(async () => {
  await sg?.stop();
});

/** A service's own credentials, as the stack gave it its key (SERVICE_PRIVATE_KEY). */
async function credentialsOf(name: string) {
  const ring = await serviceKeyRing(name, { text: sg.keys.services[name]! }, () => undefined);
  return createServiceCredentials({ name, key: ring.signing });
}

describe('a subgraph port', () => {
  const probes = {
    'a query': '{ __typename }',
    _service: '{ _service { sdl } }',
    _entities: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
    introspection: '{ __schema { queryType { name } } }',
  };

  it('refuses every request that does not come from the router or a named service: 401 UNAUTHENTICATED, a customer or ADMIN token notwithstanding', async () => {
    for (const [name, url] of Object.entries(sg.stack.urls)) {
      for (const [probe, query] of Object.entries(probes)) {
        for (const token of [undefined, customer, admin]) {
          const result = await graphql(url, query, { r: [{ __typename: 'Product', id: 'p' }] }, token ? { token } : {});
          expect({ name, probe, status: result.status, codes: errorCodes(result), data: result.data }).toEqual({
            name,
            probe,
            status: 401,
            codes: ['UNAUTHENTICATED'],
            data: undefined,
          });
        }
      }
    }
  });

  it('refuses a subscription socket without the router token at the upgrade (HTTP 401)', async () => {
    const socket = new WebSocket(sg.stack.urls.inventory!.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: { authorization: `Bearer ${admin}` } });
    socket.on('error', () => undefined);
    const [, response] = (await once(socket, 'unexpected-response')) as [unknown, { statusCode: number; resume(): void }];
    expect(response.statusCode).toBe(401);
    response.resume();
  });

  it("refuses a token the router signed for another subgraph, and a service's token for a subgraph that did not name it", async () => {
    const router = await credentialsOf('router');
    const forProducts = await router.headers('products');
    expect(errorCodes(await graphql(sg.stack.urls.users!, '{ __typename }', {}, { headers: forProducts }))).toEqual(['UNAUTHENTICATED']);
    // search may read products, but inventory does not serve search.
    const search = await credentialsOf('search');
    expect(errorCodes(await graphql(sg.stack.urls.products!, '{ __typename }', {}, { headers: await search.headers('products') }))).toEqual([]);
    expect(errorCodes(await graphql(sg.stack.urls.inventory!, '{ __typename }', {}, { headers: await search.headers('inventory') }))).toEqual(['UNAUTHENTICATED']);
  });

  it("refuses inventory's reserveStock to the router even with a customer's token: only the orders service holds stock", async () => {
    const router = await credentialsOf('router');
    const reserve = 'mutation($o: ID!, $p: ID!) { reserveStock(orderId: $o, items: [{ productId: $p, quantity: 1 }]) { status } }';
    const result = await graphql(sg.stack.urls.inventory!, reserve, { o: 'order-by-hand', p: 'any-product' }, { token: customer, headers: await router.headers('inventory') });
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  });
});

describe('the router', () => {
  let limited: Router;
  let url: string;

  beforeAll(async () => {
    // A replica with a tiny public limit: 3 requests a minute per client address.
    limited = createRouter({
      serviceKey: sg.routerKey,
      supergraphSdl: sg.stack.supergraphSdl,
      logger: createLogger({ service: 'router', level: 'silent' }),
      accessTokens: sg.jwksUrl,
      rateLimitPerMinute: 3,
    });
    url = (await limited.listen(0, '127.0.0.1')).url;
  });

  afterAll(async () => {
    await limited?.stop();
  });

  it('does not hold named services to the per-address limit that stops a client', async () => {
    const payments = await credentialsOf('payments');
    for (let i = 0; i < 6; i++) {
      expect(errorCodes(await graphql(url, '{ categories { id } }', {}, { headers: await payments.headers('router') }))).toEqual([]);
    }
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push(...errorCodes(await graphql(url, '{ categories { id } }')));
    expect(codes).toEqual(['RATE_LIMITED']);
  });

  it('refuses a forged service token from outside with 401 UNAUTHENTICATED and no details', async () => {
    for (const forged of ['not-a-token', (await (await credentialsOf('payments')).headers('products'))[SERVICE_TOKEN_HEADER]!]) {
      const result = await graphql(sg.url, '{ categories { id } }', {}, { headers: { [SERVICE_TOKEN_HEADER]: forged } });
      expect([result.status, errorCodes(result)]).toEqual([401, ['UNAUTHENTICATED']]);
      expect(JSON.stringify(result.errors)).not.toMatch(/stack|at \w+ \(/);
    }
  });
});
