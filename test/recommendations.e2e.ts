import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, eventually, graphql, graphqlOk } from '@shop/testing';
import { shopper } from './support/shop.js';
import { startSupergraph, type Supergraph } from './support/supergraph.js';

// Issue 13 through the router: analytics learns from paid orders (events) what is bought
// together and what sells; the storefront asks for a whole page in one analytics fetch, and
// archived or sold-out products drop out as soon as their events arrive.
let sg: Supergraph;
let shop: ReturnType<typeof shopper>;
let admin: string;
let ann: { id: string; token: string };
let ids: string[];

const PAGE = `query($n: Int) { products(first: $n) { edges { node { id frequentlyBoughtTogether(first: 3) { id name } } } } }`;
const FOR_ME = '{ recommendedForMe(first: 3) { id name } }';

const together = async (productId: string) =>
  ((await graphqlOk(sg.url, 'query($id: ID!) { product(id: $id) { frequentlyBoughtTogether { id } } }', { id: productId })).product
    .frequentlyBoughtTogether as Array<{ id: string }>).map((p) => p.id);

beforeAll(async () => {
  sg = await startSupergraph();
  shop = shopper(sg.url);
  admin = await shop.admin();
  ids = (await graphqlOk(sg.url, '{ products(first: 4) { edges { node { id } } } }')).products.edges.map((e: any) => e.node.id);
  for (const id of ids) await shop.setStock(admin, id, 50);
  ann = await shop.register('ann@e2e.test', 'Ann');
  const bob = await shop.register('bob@e2e.test', 'Bob');
  await shop.buy(ann.token, [{ productId: ids[0]!, quantity: 1 }, { productId: ids[1]!, quantity: 1 }], 'reco-ann');
  await shop.buy(bob.token, [{ productId: ids[0]!, quantity: 1 }, { productId: ids[1]!, quantity: 1 }, { productId: ids[2]!, quantity: 3 }], 'reco-bob');
}, 180_000);

afterAll(async () => {
  await sg?.stop();
});

describe('recommendations through the router', () => {
  it('shows what paid orders held together, a whole page of products in one analytics fetch', async () => {
    const [a, b, c, d] = ids as [string, string, string, string];
    expect(await eventually(() => together(a), (list) => list.length === 2)).toEqual([b, c]);
    sg.resetCounters();
    const page = (await graphqlOk(sg.url, PAGE, { n: 4 })).products.edges.map((e: any) => e.node);
    expect(page.map((p: any) => [p.id, p.frequentlyBoughtTogether.map((o: any) => o.id)])).toEqual([
      [a, [b, c]],
      [b, [a, c]],
      [c, [a, b]],
      [d, []],
    ]);
    expect(page[0].frequentlyBoughtTogether[0].name).toEqual(expect.any(String));
    expect(sg.fetches.filter((f) => f.service === 'analytics')).toHaveLength(1);
  });

  it('recommends from the signed-in user history, best sellers without one, and needs a sign-in', async () => {
    const [a, b, c] = ids as [string, string, string];
    // Ann bought a and b: c went with them in Bob's order.
    expect((await graphqlOk(sg.url, FOR_ME, {}, { token: ann.token })).recommendedForMe[0].id).toBe(c);
    const newcomer = await shop.register('new@e2e.test', 'Nia');
    // No history: the best sellers by units (c: 3, then a and b: 2 each, lower id first).
    expect((await graphqlOk(sg.url, FOR_ME, {}, { token: newcomer.token })).recommendedForMe.map((p: any) => p.id)).toEqual([c, ...[a, b].sort()]);
    expect(errorCodes(await graphql(sg.url, FOR_ME))).toEqual(['UNAUTHENTICATED']);
  });

  it('leaves out a product once it is sold out or archived', async () => {
    const [a, b, c] = ids as [string, string, string];
    await shop.setStock(admin, c, 0);
    expect(await eventually(() => together(a), (list) => list.length === 1)).toEqual([b]);
    await graphqlOk(sg.url, 'mutation($id: ID!) { archiveProduct(id: $id) { id } }', { id: b }, { token: admin });
    expect(await eventually(() => together(a), (list) => list.length === 0)).toEqual([]);
  });
});
