import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createEvent } from '@shop/events';
import { errorCodes, eventually, graphql, graphqlOk, type GraphQLResponse } from '@shop/testing';
import { shopper } from './support/shop.js';
import { startSupergraph, type Supergraph } from './support/supergraph.js';

// Issue 13, privacy rights through the router: a data export assembled from every subgraph's
// part (by events), readable only by its owner; an account deletion that erases or anonymises
// the person everywhere, revokes every token, and completes once a subgraph that was down
// when it happened is back. Real PostgreSQL; events on the stack's bus.
let sg: Supergraph;
let shop: ReturnType<typeof shopper>;
let admin: string;
let productId: string;
let ordersPaid = 0;

const PASSWORD = 'a-strong-password-1';
const PARTICIPANTS = ['analytics', 'cart', 'inventory', 'notifications', 'orders', 'payments', 'products', 'users'];
const DELETION = 'query($u: ID!) { accountDeletion(userId: $u) { erasedIn pendingIn completedAt } }';

/** A customer with something in every subgraph: address, wishlist, review, a paid order, a cart. */
async function customerWithHistory(name: string) {
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@e2e.test`;
  const data = await graphqlOk(sg.url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken refreshToken user { id } } }', {
    i: { email, password: PASSWORD, name },
  });
  const token = data.register.accessToken as string;
  await graphqlOk(sg.url, 'mutation($p: ID!) { addToWishlist(productId: $p) { addedAt } }', { p: productId }, { token });
  await graphqlOk(sg.url, 'mutation($p: ID!, $t: String) { addReview(productId: $p, rating: 4, title: $t, body: "Bought it twice.") { id } }', { p: productId, t: `${name} says: solid` }, { token });
  const orderId = await shop.buy(token, [{ productId, quantity: 1 }], randomUUID());
  await graphqlOk(sg.url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 2) { id } }', { p: productId }, { token });
  // The order's events have reached notifications and analytics, so their parts hold it.
  ordersPaid += 1;
  await eventually(async () => (await graphqlOk(sg.url, '{ me { notifications(first: 5) { id } } }', {}, { token })).me.notifications.length, (n) => n > 0);
  const day = 86_400_000;
  const report = { f: new Date(Date.now() - day).toISOString(), t: new Date(Date.now() + day).toISOString() };
  await eventually(
    async () => (await graphqlOk(sg.url, 'query($f: DateTime!, $t: DateTime!) { salesReport(from: $f, to: $t) { orderCount } }', report, { token: admin })).salesReport.orderCount,
    (n) => n >= ordersPaid,
  );
  return { id: data.register.user.id as string, email, name, token, refreshToken: data.register.refreshToken as string, orderId };
}

const refusal = (result: GraphQLResponse) => ({ code: errorCodes(result)[0], field: result.errors?.[0]?.extensions?.field });

// Customers check out through the whole stack and a subgraph restarts: minutes on a busy machine.
jest.setTimeout(180_000);

beforeAll(async () => {
  sg = await startSupergraph({ router: { options: { subgraphTimeoutMs: 60_000 } } });
  shop = shopper(sg.url);
  admin = await shop.admin();
  productId = (await graphqlOk(sg.url, '{ products(first: 1) { edges { node { id } } } }')).products.edges[0].node.id;
  await shop.setStock(admin, productId, 100);
}, 120_000);

afterAll(async () => {
  await sg?.stop();
});

describe('privacy rights through the router', () => {
  it("exports every subgraph's part to its owner alone, within seconds", async () => {
    const erika = await customerWithHistory('Erika');
    const started = Date.now();
    const requested = (await graphqlOk(sg.url, 'mutation { requestDataExport { id status createdAt } }', {}, { token: erika.token })).requestDataExport;
    expect(requested.status).toBe('EXPORT_PENDING');
    const read = async (token: string) => (await graphqlOk(sg.url, 'query($id: ID!) { dataExport(id: $id) { id status data } }', { id: requested.id }, { token })).dataExport;
    const ready = await eventually(() => read(erika.token), (e) => e?.status === 'EXPORT_READY', 30_000);
    const readyMs = Date.now() - started;
    expect(ready.status).toBe('EXPORT_READY');
    console.log(`data export: ${PARTICIPANTS.length} parts assembled by events, ready ${readyMs} ms after the request`);

    const data = ready.data;
    expect(Object.keys(data).sort()).toEqual(PARTICIPANTS);
    expect(data.users.account).toMatchObject({ id: erika.id, email: erika.email, name: 'Erika' });
    expect(data.users.addresses[0]).toMatchObject({ name: 'Erika Mustermann', city: 'Berlin' });
    expect(data.users.wishlist).toEqual([expect.objectContaining({ productId })]);
    expect(data.products.reviews).toEqual([expect.objectContaining({ productId, rating: 4, title: 'Erika says: solid' })]);
    expect(data.orders.orders).toEqual([expect.objectContaining({ id: erika.orderId, status: 'PAID', shippingAddress: expect.objectContaining({ name: 'Erika Mustermann' }) })]);
    expect(data.payments.payments).toEqual([expect.objectContaining({ orderId: erika.orderId, status: 'SUCCEEDED' })]);
    expect(data.inventory.reservations).toEqual([expect.objectContaining({ orderId: erika.orderId })]);
    expect(data.cart.cart.lines).toEqual([{ productId, quantity: 2 }]);
    expect(data.notifications.notifications.length).toBeGreaterThan(0);
    expect(data.analytics.purchasesForRecommendations).toEqual([{ productId, units: 1 }]);

    // Nobody else reads it: another customer and even an admin see no such export.
    const other = await shop.register(`other-${randomUUID().slice(0, 8)}@e2e.test`, 'Otto');
    expect(await read(other.token)).toBeNull();
    expect(await read(admin)).toBeNull();
    expect(errorCodes(await graphql(sg.url, 'query($id: ID!) { dataExport(id: $id) { id } }', { id: requested.id }))).toEqual(['UNAUTHENTICATED']);
  });

  it('deletes an account everywhere, revoking every token, and completes when a subgraph that was down returns', async () => {
    const max = await customerWithHistory('Maximilian');
    const wrong = await graphql(sg.url, 'mutation { deleteMyAccount(password: "not-my-password") }', {}, { token: max.token });
    expect(refusal(wrong)).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });

    await sg.subgraphs.orders!.stop();
    expect((await graphqlOk(sg.url, 'mutation($p: String!) { deleteMyAccount(password: $p) }', { p: PASSWORD }, { token: max.token })).deleteMyAccount).toBe(true);

    // No token works: the access token is refused by the router, the refresh token and the password by users.
    const me = await eventually(() => graphql(sg.url, '{ me { id } }', {}, { token: max.token }), (r) => errorCodes(r)[0] === 'UNAUTHENTICATED');
    expect(errorCodes(me)).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await graphql(sg.url, 'mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }', { r: max.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await graphql(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: max.email, p: PASSWORD }))).toEqual([
      'UNAUTHENTICATED',
    ]);

    // Everyone but orders has erased; orders is down, so the deletion waits for it.
    const waiting = await eventually(
      async () => (await graphqlOk(sg.url, DELETION, { u: max.id }, { token: admin })).accountDeletion,
      (d) => d.pendingIn.length === 1,
    );
    expect(waiting).toEqual({ erasedIn: PARTICIPANTS.filter((p) => p !== 'orders'), pendingIn: ['orders'], completedAt: null });
    const user = (await graphqlOk(sg.url, 'query($u: ID!) { user(id: $u) { email name addresses { id } wishlist { addedAt } } }', { u: max.id }, { token: admin })).user;
    expect(user).toEqual({ email: `deleted-${max.id}@deleted.invalid`, name: null, addresses: [], wishlist: [] });
    const reviews = (await graphqlOk(sg.url, 'query($p: ID!) { product(id: $p) { reviews(first: 50) { edges { node { title body author { id } } } } } }', { p: productId }))
      .product.reviews.edges.map((e: { node: { title: string | null; body: string | null; author: { id: string } } }) => e.node);
    expect(reviews.find((r: { author: { id: string } }) => r.author.id === max.id)).toEqual({ title: null, body: null, author: { id: max.id } });

    await sg.stack.restart('orders');
    const done = await eventually(
      async () => (await graphqlOk(sg.url, DELETION, { u: max.id }, { token: admin })).accountDeletion,
      (d) => d.completedAt !== null,
      30_000,
    );
    expect(done).toEqual({ erasedIn: PARTICIPANTS, pendingIn: [], completedAt: expect.any(String) });

    // The order is kept for accounting with the person removed: totals and country stay.
    const order = await eventually(
      () => graphql(sg.url, 'query($id: ID!) { order(id: $id) { status total { amount } shippingAddress { name line1 city postalCode country } user { email name } } }', { id: max.orderId }, { token: admin }),
      (r) => r.data?.order != null,
      30_000,
    );
    expect(order.data!.order).toEqual({
      status: 'PAID',
      total: { amount: expect.stringMatching(/^\d+\.\d{2}$/) },
      shippingAddress: { name: '', line1: '', city: '', postalCode: '', country: 'DE' },
      user: { email: `deleted-${max.id}@deleted.invalid`, name: null },
    });

    // A redelivered deletion: every subgraph erases again (nothing is left) and answers; nothing changes.
    const answered = new Set<string>();
    const listener = await sg.stack.bus.subscribe({
      group: `test.erasures.${randomUUID()}`,
      types: ['user.erased'],
      startAt: 'new',
      handler: async (event) => {
        const data = event.data as { userId: string; service: string };
        if (data.userId === max.id) answered.add(data.service);
      },
    });
    await sg.stack.bus.publish([createEvent('users', 'user.deleted', max.id, { userId: max.id, deletedAt: new Date().toISOString() })]);
    expect(await eventually(async () => answered.size, (n) => n === PARTICIPANTS.length - 1)).toBe(PARTICIPANTS.length - 1);
    await listener.stop();
    expect((await graphqlOk(sg.url, DELETION, { u: max.id }, { token: admin })).accountDeletion).toEqual(done);
  });
});
