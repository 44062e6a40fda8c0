import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, eventually, graphql, graphqlOk } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Issue 13 through the router: a wishlist kept by users with products stitched from products
// and inventory, private to its owner and admins, and a BACK_IN_STOCK notification (in the
// user's locale) each time a wished-for product goes from 0 to available.
let sg: Supergraph;
let admin: string;
let wanda: { id: string; token: string };
let lamp: { id: string; name: string };
let chair: { id: string; name: string };

const WISHLIST = '{ me { wishlist { addedAt product { id name inStock stock { available } } } } }';
const ADD = 'mutation($p: ID!) { addToWishlist(productId: $p) { product { id name } } }';
const REMOVE = 'mutation($p: ID!) { removeFromWishlist(productId: $p) { product { id } } }';
const SET_STOCK = 'mutation($p: ID!, $q: Int!) { setStock(productId: $p, quantity: $q) { id } }';

async function register(email: string, name: string) {
  const data = await graphqlOk(sg.url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }', {
    i: { email, password: 'a-strong-password-1', name },
  });
  return { id: data.register.user.id as string, token: data.register.accessToken as string };
}

const backInStock = async (token: string) =>
  ((await graphqlOk(sg.url, '{ me { notifications(first: 50) { type subject body } } }', {}, { token })).me.notifications as Array<{
    type: string;
    subject: string;
    body: string;
  }>).filter((n) => n.type === 'BACK_IN_STOCK');

beforeAll(async () => {
  sg = await startSupergraph();
  admin = (await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password }))
    .login.accessToken;
  const nodes = (await graphqlOk(sg.url, '{ products(first: 2) { edges { node { id name } } } }')).products.edges.map((e: any) => e.node);
  [lamp, chair] = nodes;
  wanda = await register('wanda@e2e.test', 'Wanda');
  await graphqlOk(sg.url, 'mutation { updatePreferences(input: { locale: "de-DE" }) { locale } }', {}, { token: wanda.token });
  await graphqlOk(sg.url, SET_STOCK, { p: lamp.id, q: 0 }, { token: admin });
}, 120_000);

afterAll(async () => {
  await sg?.stop();
});

describe('wishlist through the router', () => {
  it('adds and removes products, newest first, with names and stock from their own subgraphs', async () => {
    await graphqlOk(sg.url, ADD, { p: lamp.id }, { token: wanda.token });
    const added = await graphqlOk(sg.url, ADD, { p: chair.id }, { token: wanda.token });
    expect(added.addToWishlist.map((i: any) => i.product)).toEqual([chair, lamp]);
    // Adding twice changes nothing.
    expect((await graphqlOk(sg.url, ADD, { p: chair.id }, { token: wanda.token })).addToWishlist).toHaveLength(2);

    const list = (await graphqlOk(sg.url, WISHLIST, {}, { token: wanda.token })).me.wishlist;
    expect(list.map((i: any) => i.product.name)).toEqual([chair.name, lamp.name]);
    expect(list[1].product).toMatchObject({ inStock: false, stock: { available: 0 } });
    expect(Date.parse(list[0].addedAt)).toBeGreaterThanOrEqual(Date.parse(list[1].addedAt));

    expect((await graphqlOk(sg.url, REMOVE, { p: chair.id }, { token: wanda.token })).removeFromWishlist).toEqual([{ product: { id: lamp.id } }]);
  });

  it('refuses strangers, anonymous callers, unknown and malformed products with coded errors', async () => {
    const stranger = await register('stranger@e2e.test', 'Sam');
    expect(errorCodes(await graphql(sg.url, ADD, { p: lamp.id }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await graphql(sg.url, ADD, { p: 'ffffffffffffffffffffffff' }, { token: stranger.token }))).toEqual(['NOT_FOUND']);
    const malformed = await graphql(sg.url, ADD, { p: 'not a product' }, { token: stranger.token });
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.errors?.[0]?.extensions?.field).toBe('productId');

    // A review makes Wanda reachable by anyone; her wishlist is not.
    await graphqlOk(sg.url, 'mutation($p: ID!) { addReview(productId: $p, rating: 5, title: "Bright") { id } }', { p: lamp.id }, { token: wanda.token });
    const REVIEW_AUTHORS = 'query($p: ID!) { product(id: $p) { reviews(first: 5) { edges { node { author { id wishlist { product { id } } } } } } } }';
    const seen = await graphql(sg.url, REVIEW_AUTHORS, { p: lamp.id }, { token: stranger.token });
    expect(errorCodes(seen)).toContain('FORBIDDEN');
    const asAdmin = await graphqlOk(sg.url, 'query($id: ID!) { user(id: $id) { wishlist { product { id } } } }', { id: wanda.id }, { token: admin });
    expect(asAdmin.user.wishlist).toEqual([{ product: { id: lamp.id } }]);
  });

  it('batches: the wishlists of a whole page of users cost one statement, however many users', async () => {
    const LIST = 'query($n: Int) { users(first: $n) { edges { node { id wishlist { product { id } } } } } }';
    const statements = async (n: number) => {
      sg.resetCounters();
      await graphqlOk(sg.url, LIST, { n }, { token: admin });
      return sg.roundTrips().sqlBySubgraph.users;
    };
    expect(await statements(1)).toBe(await statements(3));
  });

  it('tells the user once per restock from 0, in their language; other stock movements say nothing', async () => {
    await graphqlOk(sg.url, SET_STOCK, { p: lamp.id, q: 5 }, { token: admin });
    const first = await eventually(() => backInStock(wanda.token), (list) => list.length >= 1);
    expect(first).toEqual([{ type: 'BACK_IN_STOCK', subject: `Wieder verfügbar: ${lamp.name}`, body: expect.stringContaining('Hallo Wanda,') }]);

    // 5 -> 7 is no restock; 7 -> 0 -> 3 is. Events are handled in order, so once the second
    // message is there, the movement before it has been handled too.
    await graphqlOk(sg.url, SET_STOCK, { p: lamp.id, q: 7 }, { token: admin });
    await graphqlOk(sg.url, SET_STOCK, { p: lamp.id, q: 0 }, { token: admin });
    await graphqlOk(sg.url, SET_STOCK, { p: lamp.id, q: 3 }, { token: admin });
    const second = await eventually(() => backInStock(wanda.token), (list) => list.length >= 2);
    expect(second).toHaveLength(2);
  });
});
