import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql, type GraphQLResponse, testRouterKey } from '@shop/testing';
import { composeSupergraph, createRouter, type Router } from '../src/index.js';
import { freePort } from '@shop/testing';
import { fixtureSdls, fixtureSubgraphs } from './federationFixtures.js';
import { logger } from './fixtures.js';
import { startStockGateway } from './stockGateway.js';

// The router's own executor against stock @apollo/gateway (executeQueryPlan) on fixture
// subgraphs covering what federation can express: the same data, the same errors with the same
// paths and codes. Where stock @apollo/gateway breaks the GraphQL spec, the case says how and
// checks that ours follows the spec instead.

type Name = keyof typeof fixtureSubgraphs;
const names = Object.keys(fixtureSubgraphs) as Name[];
const servers = names.map((name) => fixtureSubgraphs[name]());
const urls: Partial<Record<Name, string>> = {};
const stops: Array<() => Promise<void>> = [];

async function pair(urlOf: (name: Name) => string): Promise<{ ours: string; stock: string; viaApollo: string }> {
  const { supergraphSdl } = composeSupergraph(names.map((name) => ({ name, url: urlOf(name), typeDefs: fixtureSdls[name] })));
  const router: Router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, subgraphTimeoutMs: 2000 });
  const withoutHotPath: Router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, subgraphTimeoutMs: 2000, hotPath: false });
  const ours = (await router.listen(0, '127.0.0.1')).url;
  const viaApollo = (await withoutHotPath.listen(0, '127.0.0.1')).url;
  const stock = await startStockGateway(supergraphSdl, await testRouterKey());
  stops.push(() => router.stop(), () => withoutHotPath.stop(), () => stock.stop());
  return { ours, stock: stock.url, viaApollo };
}

const normalized = (result: GraphQLResponse) =>
  (result.errors ?? [])
    .map((e: any) => ({ message: e.message, path: e.path ?? null, code: e.extensions?.code ?? null, serviceName: e.extensions?.serviceName ?? null }))
    .sort((a: any, b: any) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

let up: Awaited<ReturnType<typeof pair>>;
let inventoryDown: Awaited<ReturnType<typeof pair>>;

beforeAll(async () => {
  const listening = await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')));
  names.forEach((name, i) => (urls[name] = listening[i]!.url));
  up = await pair((name) => urls[name]!);
  const dead = `http://127.0.0.1:${await freePort()}/graphql`;
  inventoryDown = await pair((name) => (name === 'inventory' ? dead : urls[name]!));
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await Promise.all(servers.map((s) => s.stop()));
});

const same: Array<[string, string, Record<string, unknown>?]> = [
  ['interfaces and @interfaceObject (reviews reach Media through the interface object)', `{ media { __typename id title
    ... on Book { pages reviews { stars author { name } } } ... on Film { minutes reviews { stars body } } } }`],
  ['a union with fragments on abstract and concrete types', `{ search(term: "") { __typename
    ... on Media { id title } ... on Book { isbn stock } ... on Film { minutes } ... on Author { name } } }`],
  ['@requires without and with field arguments, aliases', '{ books { id t: title heavy eu: shippingCost(zone: "EU") us: shippingCost(zone: "US") } }'],
  ['one entity spanning four subgraphs, reached by its second key; a @shareable value type', `{ book(isbn: "isbn-1") {
    title price { amount currency } stock heavy reviews { stars } author { name } } }`],
  ['two paths to the same entities, completed by the same operation', '{ media { id ... on Book { stock } } book(isbn: "isbn-2") { title stock } }'],
  ['a compound key', '{ books { title stockings { count warehouse { region code name } } } }'],
  ['@provides: the author name comes with the review', '{ topReviews(first: 2) { stars body author { id name } } }'],
  ['from the @interfaceObject side: the implementation type comes from the owner', '{ topReviews(first: 3) { id media { __typename id title ... on Film { minutes } } } }'],
  ['named fragments on an interface, nested, with aliases', `query Shelf { all: media { ...Card } one: book(isbn: "isbn-3") { ...Card stock } }
    fragment Card on Media { id label: title ...Extra } fragment Extra on Media { ... on Book { author { name } pages } }`],
  ['@include/@skip with variables (a whole fetch behind a condition)', `query Q($withStock: Boolean!, $skipPrice: Boolean = false, $withBook: Boolean!) {
    books { title stock @include(if: $withStock) price @skip(if: $skipPrice) { amount } } book(isbn: "isbn-2") @include(if: $withBook) { title heavy } }`,
    { withStock: true, withBook: false }],
  ['@include/@skip, the other values', `query Q($withStock: Boolean!, $skipPrice: Boolean = false, $withBook: Boolean!) {
    books { title stock @include(if: $withStock) price @skip(if: $skipPrice) { amount } } book(isbn: "isbn-2") @include(if: $withBook) { title heavy } }`,
    { withStock: false, skipPrice: true, withBook: true }],
  ['a subgraph error inside an entity fetch keeps its code and gets the response path', '{ books { id title stock } }'],
  ['a null that a nullable field allows (no price for isbn-3)', '{ books { isbn price { amount } } }'],
  ['introspection and __typename at the root', '{ __typename __type(name: "Book") { name kind fields { name } } }'],
];

describe('the router executor answers like stock @apollo/gateway', () => {
  it.each(same)('%s', async (_name, query, variables = {}) => {
    const [ours, stock] = [await graphql(up.ours, query, variables), await graphql(up.stock, query, variables)];
    expect(ours.data).toEqual(stock.data);
    expect(normalized(ours)).toEqual(normalized(stock));
    expect(ours.status).toBe(stock.status);
  });

  it.each(same)('the hot path and Apollo Server\'s pipeline answer byte for byte alike: %s', async (_name, query, variables = {}) => {
    const post = (url: string, accept: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query, variables }) });
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const [fast, apollo] = [await post(up.ours, accept), await post(up.viaApollo, accept)];
      const seen = async (r: Response) => [r.status, r.headers.get('content-type'), r.headers.get('cache-control'), await r.text()];
      expect(await seen(fast)).toEqual(await seen(apollo));
    }
  });

  it('says which subgraph failed and where, like stock', async () => {
    const ours = await graphql(up.ours, '{ books { id stock } }');
    expect(normalized(ours)).toEqual([
      { message: 'Stock ledger of book "b3" not found', path: ['books', 2, 'stock'], code: 'NOT_FOUND', serviceName: 'inventory' },
    ]);
    expect(ours.data.books.map((b: any) => b.stock)).toEqual([5, 0, null]);
  });
});

describe('fewer subgraph calls than the plan has fetches', () => {
  it('fetches of one operation that start together share one request, each entity in it once', async () => {
    // The plan completes media.@ and book with two inventory fetches of the same operation, side
    // by side: stock sends both (four representations), the router one (three).
    const { supergraphSdl } = composeSupergraph(names.map((name) => ({ name, url: urls[name]!, typeDefs: fixtureSdls[name] })));
    const calls: string[] = [];
    const counting: Router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, onSubgraphFetch: (event) => calls.push(event.service) });
    stops.push(() => counting.stop());
    const query = '{ media { id ... on Book { stock } } book(isbn: "isbn-2") { title stock } }';
    const [ours, stock] = [await graphql((await counting.listen(0, '127.0.0.1')).url, query), await graphql(up.stock, query)];
    expect(ours.data).toEqual(stock.data);
    expect(normalized(ours)).toEqual(normalized(stock));
    expect(calls.filter((service) => service === 'inventory')).toHaveLength(1);
  });
});

describe('where stock @apollo/gateway breaks the spec, the router does not', () => {
  it('a null in a non-null field is an error with its path, not a silent data: null', async () => {
    // The catalog no longer knows isbn-404, so Book.title (non-null) has no value: the null
    // propagates up to `bestsellers` and the whole data. The spec calls that a field error at
    // `bestsellers.2.book.title`; stock @apollo/gateway only puts it in the executor's
    // extensions.valueCompletion, which Apollo Server does not even send: clients see
    // data: null and no error at all.
    const query = '{ bestsellers { copies book { title } } }';
    const [ours, stock] = [await graphql(up.ours, query), await graphql(up.stock, query)];
    expect(stock.data).toBeNull();
    expect(stock.errors).toBeUndefined();

    expect(ours.data).toBeNull();
    expect(normalized(ours)).toEqual([
      { message: 'Cannot return null for non-nullable field Book.title.', path: ['bestsellers', 2, 'book', 'title'], code: 'INTERNAL_SERVER_ERROR', serviceName: null },
    ]);
  });

  it('an @interfaceObject entity that no subgraph resolves: an error at the field, the null stops at the nearest nullable position', async () => {
    // r4 reviews b404, which the catalog (the only subgraph that knows Media's implementations)
    // does not know: Review.media (non-null) has no object type to complete as. graphql-js calls
    // that a field error; stock @apollo/gateway drops the review without a word.
    const query = '{ review(id: "r4") { id media { __typename id title } } topReviews(first: 1) { id } }';
    const [ours, stock] = [await graphql(up.ours, query), await graphql(up.stock, query)];
    expect(stock).toMatchObject({ data: { review: null, topReviews: [{ id: 'r1' }] } });
    expect(stock.errors).toBeUndefined();

    expect(ours.data).toEqual({ review: null, topReviews: [{ id: 'r1' }] });
    expect(normalized(ours)).toEqual([{
      message: 'Abstract type "Media" must resolve to an Object type at runtime for field "Review.media". No subgraph resolved the entity to one of its implementations.',
      path: ['review', 'media'],
      code: 'INTERNAL_SERVER_ERROR',
      serviceName: null,
    }]);
    // Nothing that needs the implementation selected: the interface object's own answer stands.
    expect(await graphql(up.ours, '{ review(id: "r4") { media { id } } }')).toMatchObject({ data: { review: { media: { id: 'b404' } } } });
  });

  it('an unreachable subgraph: the same data, and SUBGRAPH_UNAVAILABLE at each field it would have served', async () => {
    // Stock reports one error with no path (and no code of ours); the spec wants field errors
    // at the fields that could not be resolved, so clients can tell which values are missing.
    const query = '{ books { title stock } }';
    const [ours, stock] = [await graphql(inventoryDown.ours, query), await graphql(inventoryDown.stock, query)];
    expect(ours.data).toEqual(stock.data);
    expect(ours.data.books).toEqual([{ title: 'Dune', stock: null }, { title: 'Emma', stock: null }, { title: 'Ulysses', stock: null }]);
    expect(stock.errors!.every((e: any) => e.path === undefined)).toBe(true);
    expect(normalized(ours).map((e: any) => [e.path, e.code, e.serviceName])).toEqual(
      [0, 1, 2].map((i) => [['books', i, 'stock'], 'SUBGRAPH_UNAVAILABLE', 'inventory']),
    );
  });

  it('an unreachable subgraph behind a non-null field: nulls propagate the same way, explained by the outage', async () => {
    const query = '{ books { title heavy } media { id } }';
    const [ours, stock] = [await graphql(inventoryDown.ours, query), await graphql(inventoryDown.stock, query)];
    expect(ours.data).toEqual(stock.data);
    expect(ours.data).toBeNull();
    expect(normalized(ours).map((e: any) => [e.path, e.code])).toEqual([0, 1, 2].map((i) => [['books', i, 'heavy'], 'SUBGRAPH_UNAVAILABLE']));
  });
});
