import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, connect, type Server, type Socket } from 'node:net';
import WebSocket from 'ws';
import { graphqlOk, until } from '@shop/testing';
import { startSupergraph, type Supergraph } from '../../../test/support/supergraph.js';
import { tokenExpiry } from '@shop/client-core';
import { createMobileClient, type MobileClient } from '../src/mobileClient.js';
import { CatalogueDocument, MyOrdersDocument, OrderStatusLiveDocument, PayOrderDocument } from '../src/gql/graphql.js';
import manifest from '../src/persisted-query-manifest.json' with { type: 'json' };

// The mobile client module under Node against the real router: operations by persisted id,
// a refreshed session, and a subscription that survives a dropped connection.

// React Native and browsers have a global WebSocket, and Apollo's GraphQLWsLink reads it to tell
// a failed connection (an error event) from a GraphQL error; Node 20 has none, so the link would
// throw a ReferenceError instead of handing the failure to the retry link.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
const PASSWORD = 'a-strong-password-1';

/**
 * A TCP hop to the router whose connections the test can cut, as a phone losing signal would,
 * and whose door it can hold shut (new connections are dropped at once) while it looks at the
 * router in between.
 */
async function cuttableProxy(target: URL) {
  const sockets = new Set<Socket>();
  let shut = false;
  const server: Server = createServer((client) => {
    if (shut) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s)).on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    cut: () => sockets.forEach((s) => s.destroy()),
    shut: (value: boolean) => void (shut = value),
    close: () => new Promise<void>((done) => (sockets.forEach((s) => s.destroy()), server.close(() => done()))),
  };
}

/**
 * The router's clock, which the test can move to a given instant (tasks due by then run at
 * once): token expiry without waiting 15 minutes. Otherwise it runs on real time.
 */
function movableClock() {
  let offset = 0;
  const tasks = new Set<{ at: number; task: () => void; timer: ReturnType<typeof setTimeout> }>();
  return {
    now: () => Date.now() + offset,
    after(ms: number, task: () => void) {
      const entry = { at: Date.now() + offset + ms, task, timer: setTimeout(() => (tasks.delete(entry), task()), Math.min(Math.max(ms, 0), 2 ** 31 - 1)) };
      entry.timer.unref();
      tasks.add(entry);
      return () => (clearTimeout(entry.timer), tasks.delete(entry));
    },
    /** The router's time becomes `at`; tasks due by then run now. */
    moveTo(at: number) {
      offset = at - Date.now();
      for (const entry of [...tasks]) {
        if (entry.at > at) continue;
        clearTimeout(entry.timer);
        tasks.delete(entry);
        entry.task();
      }
    },
  };
}

function memoryStorage() {
  const values = new Map<string, string>();
  return { values, getItem: (k: string) => values.get(k) ?? null, setItem: (k: string, v: string) => void values.set(k, v), removeItem: (k: string) => void values.delete(k) };
}

describe('the mobile client module', () => {
  let sg: Supergraph;
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  const routerClock = movableClock();
  const clients: MobileClient[] = [];
  const sent: Array<Record<string, unknown>> = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    if (typeof init?.body === 'string') sent.push(JSON.parse(init.body) as Record<string, unknown>);
    return fetch(input, init);
  };

  beforeAll(async () => {
    sg = await startSupergraph({ router: { options: { clock: routerClock } } });
    proxy = await cuttableProxy(new URL(sg.url));
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await proxy?.close();
    await sg?.stop();
  });

  async function client(storage = memoryStorage()) {
    const c = await createMobileClient({ url: proxy.url, storage, webSocketImpl: WebSocket, fetch: recordingFetch, retryDelayMs: 50 });
    clients.push(c);
    return c;
  }

  /** A registered customer with one order awaiting payment, placed through the API. */
  async function placeOrder(email: string): Promise<string> {
    const reg = await graphqlOk(sg.url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: { email, password: PASSWORD } });
    const token = { token: reg.register.accessToken as string };
    const products = await graphqlOk(sg.url, '{ products(first: 1) { edges { node { id } } } }');
    const admin = await graphqlOk(sg.url, 'mutation { login(email: "admin@e2e.test", password: "admin-e2e-password") { accessToken } }');
    const productId = products.products.edges[0].node.id as string;
    await graphqlOk(sg.url, 'mutation($p: ID!) { setStock(productId: $p, quantity: 50) { id } }', { p: productId }, { token: admin.login.accessToken });
    const cart = await graphqlOk(sg.url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { id } }', { p: productId }, token);
    const address = await graphqlOk(sg.url, 'mutation($i: AddressInput!) { addAddress(input: $i) { id } }', { i: { name: 'M', line1: 'L 1', city: 'Berlin', postalCode: '10115', country: 'DE' } }, token);
    const rates = await graphqlOk(sg.url, 'query($a: ID!, $c: ID!) { shippingRates(addressId: $a, cartId: $c) { id } }', { a: address.addAddress.id, c: cart.addToCart.id }, token);
    const order = await graphqlOk(
      sg.url,
      'mutation($i: CheckoutInput!) { checkout(input: $i) { id } }',
      { i: { cartId: cart.addToCart.id, shippingAddressId: address.addAddress.id, shippingMethodId: rates.shippingRates[0].id, idempotencyKey: email } },
      token,
    );
    return order.checkout.id as string;
  }

  /** Resolves once `condition` holds (bounded: 30 s on a loaded machine). */
  const waitFor = (condition: () => boolean, what: string) => until(condition, what, 30_000);

  it('sends operations by their persisted-query-list id, the text only once for a router that has not seen it', async () => {
    const c = await client();
    sent.length = 0;
    const first = await c.client.query({ query: CatalogueDocument, variables: { first: 3 }, fetchPolicy: 'network-only' });
    expect(first.data?.searchProducts.nodes).toHaveLength(3);
    const id = manifest.operations.find((op) => op.name === 'Catalogue')!.id;
    expect(sent[0]).toMatchObject({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });
    expect(sent[0]!.query).toBeUndefined();

    sent.length = 0;
    await c.client.query({ query: CatalogueDocument, variables: { first: 4 }, fetchPolicy: 'network-only' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.query).toBeUndefined();
  });

  it('keeps a session across restarts and refreshes a token the router refuses', async () => {
    const storage = memoryStorage();
    await graphqlOk(sg.url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: { email: 'mobile-1@e2e.test', password: PASSWORD } });
    const c = await client(storage);
    await c.signIn('mobile-1@e2e.test', PASSWORD);
    const firstRefresh = c.session.refreshToken;

    // The app restarts with a stored access token the router no longer accepts.
    storage.values.set('shop.mobile.accessToken', 'not-a-valid-token');
    const restarted = await client(storage);
    const orders = await restarted.client.query({ query: MyOrdersDocument, variables: { first: 5 } });
    expect(orders.data?.me?.orders?.totalCount).toBe(0);
    expect(restarted.session.refreshToken).not.toBe(firstRefresh);
    expect(storage.values.get('shop.mobile.accessToken')).not.toBe('not-a-valid-token');
  });

  it('resubscribes after the connection drops and still sees the order become PAID', async () => {
    const orderId = await placeOrder('mobile-2@e2e.test');

    const c = await client();
    await c.signIn('mobile-2@e2e.test', PASSWORD);
    const statuses: string[] = [];
    const subscription = c.client.subscribe({ query: OrderStatusLiveDocument, variables: { id: orderId } }).subscribe({
      next: (result) => result.data && statuses.push(result.data.orderStatusChanged.status),
    });
    await waitFor(() => c.socket.connected && sg.subscriptionsInEffect(), 'the subscription');

    // Held off until the router has let go of the old subscription, so the one counted next is new.
    proxy.shut(true);
    proxy.cut();
    await waitFor(() => !c.socket.connected && sg.router.subscriptionStats().upstreamSubscriptions === 0, 'the old subscription to end');
    proxy.shut(false);
    await waitFor(() => c.socket.connected && sg.subscriptionsInEffect(), 'the resubscription');

    const paid = await c.client.mutate({ mutation: PayOrderDocument, variables: { orderId, paymentMethod: 'pm_card_visa' } });
    expect(paid.data?.payOrder.status).toBe('SUCCEEDED');
    await waitFor(() => statuses.includes('PAID'), 'PAID over the new socket');
    subscription.unsubscribe();
  });

  // Last: it moves the router's clock (to the token's expiry and back).
  it('opens a new socket with a refreshed token when the router closes the old one at token expiry (4401)', async () => {
    const orderId = await placeOrder('mobile-3@e2e.test');
    const c = await client();
    await c.signIn('mobile-3@e2e.test', PASSWORD);
    const firstRefresh = c.session.refreshToken;
    const statuses: string[] = [];
    const subscription = c.client.subscribe({ query: OrderStatusLiveDocument, variables: { id: orderId } }).subscribe({
      next: (result) => result.data && statuses.push(result.data.orderStatusChanged.status),
    });
    await waitFor(() => c.socket.connected && sg.subscriptionsInEffect(), 'the subscription');

    // The router's time reaches the token's expiry: it closes the socket with 4401.
    proxy.shut(true);
    routerClock.moveTo(tokenExpiry(c.session.accessToken!)! * 1000);
    await waitFor(() => !c.socket.connected && sg.router.subscriptionStats().upstreamSubscriptions === 0, 'the router to close the socket');
    // Back to real time: new tokens live their full 15 minutes. The old one would pass again too,
    // which is why the test checks that the client did refresh.
    routerClock.moveTo(Date.now());
    proxy.shut(false);
    await waitFor(() => c.socket.connected && c.session.refreshToken !== firstRefresh, 'a new socket with a refreshed token');
    await waitFor(() => sg.subscriptionsInEffect(), 'the resubscription');

    await c.client.mutate({ mutation: PayOrderDocument, variables: { orderId, paymentMethod: 'pm_card_visa' } });
    await waitFor(() => statuses.includes('PAID'), 'PAID over the new socket');
    subscription.unsubscribe();
  });
});
