import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createRedisStore, type KeyValueStore } from '@shop/kv';
import { createRouter, type Router } from '@shop/router';
import { createLogger } from '@shop/subgraph-kit';
import { eventually, graphql, graphqlOk, type GraphQLResponse } from '@shop/testing';
import { STAND_IN_SECRET_KEY, startStripeStandIn, type StripeStandIn } from '../subgraphs/payments/test/stripeStandIn.js';
import { clientAttemptKey } from '../subgraphs/payments/src/service.js';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Idempotency-Key on mutations, through two router replicas that share the suite's Redis, with
// payments on the real Stripe SDK against the Stripe-shaped stand-in that counts charges.
const prefix = `e2e-idempotency:${randomUUID()}:`;
const stores: KeyValueStore[] = [];
let stripe: StripeStandIn;
let sg: Supergraph;
let replica: Router;
let urlA: string;
let urlB: string;
let productId: string;

const CHECKOUT = 'mutation($input: CheckoutInput!) { checkout(input: $input) { id orderNumber status total { amount } } }';
const PAY = 'mutation($id: ID!, $m: String!) { payOrder(orderId: $id, paymentMethod: $m) { id status } }';

const store = () => {
  const kv = createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: prefix });
  stores.push(kv);
  return kv;
};

const send = (url: string, query: string, variables: Record<string, unknown>, token: string, key?: string) =>
  graphql(url, query, variables, { token, headers: key ? { 'idempotency-key': key } : {} });

const replayed = (response: GraphQLResponse) => response.headers.get('idempotent-replayed') === 'true';

/** A signed-in customer with a cart of one product and an address: ready to check out. */
async function customer() {
  const email = `idem-${randomUUID()}@e2e.test`;
  const registered = await graphqlOk(urlA, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }', {
    i: { email, password: 'a-strong-password-1', name: 'Ida' },
  });
  const token = registered.register.accessToken as string;
  const cartId = (await graphqlOk(urlA, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { id } }', { p: productId }, { token })).addToCart.id;
  const addressId = (
    await graphqlOk(urlA, 'mutation { addAddress(input: { name: "Ida", line1: "Hauptstr. 1", city: "Berlin", postalCode: "10115", country: "DE" }) { id } }', {}, { token })
  ).addAddress.id;
  const input = { cartId, shippingAddressId: addressId, shippingMethodId: 'standard', idempotencyKey: `checkout-${randomUUID()}` };
  return { token, userId: registered.register.user.id as string, input };
}

const intentsFor = (orderId: string) => [...stripe.intents.values()].filter((intent) => intent.metadata.orderId === orderId);

beforeAll(async () => {
  stripe = await startStripeStandIn();
  sg = await startSupergraph({
    // A loaded test machine must not turn a slow checkout into a timeout (which is not replayed).
    router: { kv: store(), options: { subgraphTimeoutMs: 30_000 } },
    env: { STRIPE_SECRET_KEY: STAND_IN_SECRET_KEY, STRIPE_WEBHOOK_SECRET: 'whsec_e2e_idempotency_0123456789', STRIPE_API_BASE: stripe.url },
  });
  urlA = sg.url;
  replica = createRouter({
    supergraphSdl: sg.stack.supergraphSdl,
    logger: createLogger({ service: 'router-b', level: 'silent' }),
    accessTokens: sg.jwksUrl,
    serviceKey: sg.routerKey,
    kv: store(),
    subgraphTimeoutMs: 30_000,
  });
  urlB = (await replica.listen(0, '127.0.0.1')).url;
  const admin = (await graphqlOk(urlA, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password })).login
    .accessToken;
  productId = (await graphqlOk(urlA, '{ products(first: 1) { edges { node { id } } } }')).products.edges[0].node.id;
  await graphqlOk(urlA, 'mutation($id: ID!) { setStock(productId: $id, quantity: 100) { id } }', { id: productId }, { token: admin });
}, 120_000);

afterAll(async () => {
  await replica?.stop();
  await sg?.stop();
  await stripe?.stop();
  await Promise.all(stores.map((kv) => kv.close()));
});

describe('Idempotency-Key on mutations', () => {
  it('replays a retried checkout and payment on any replica; the card is charged once', async () => {
    const { token, userId, input } = await customer();
    const first = await send(urlA, CHECKOUT, { input }, token, 'order-key-1');
    expect(first.errors).toBeUndefined();
    expect(replayed(first)).toBe(false);
    const retry = await send(urlB, CHECKOUT, { input }, token, 'order-key-1');
    expect(replayed(retry)).toBe(true);
    expect(retry.data).toEqual(first.data);
    const orderId = first.data.checkout.id as string;

    // Three copies of one payment at once (a double tap, a proxy's retry), across both replicas.
    const payments = await Promise.all([urlA, urlB, urlA].map((url) => send(url, PAY, { id: orderId, m: 'pm_card_visa' }, token, 'pay-key-1')));
    for (const payment of payments) expect(payment.data).toEqual(payments[0]!.data);
    expect(payments[0]!.data.payOrder.status).toBe('SUCCEEDED');
    expect(payments.filter(replayed)).toHaveLength(2);
    expect(intentsFor(orderId)).toHaveLength(1);
    // Payments handed the client's key to Stripe (scoped to the customer).
    const charges = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents' && r.params['metadata[orderId]'] === orderId);
    expect(new Set(charges.map((r) => r.idempotencyKey))).toEqual(new Set([clientAttemptKey(userId, 'pay-key-1')]));

    // A router that never saw the key (its record expired after 24 h): payments still answers
    // the first payment instead of charging again.
    const forgetful = createRouter({ supergraphSdl: sg.stack.supergraphSdl, logger: createLogger({ service: 'router-c', level: 'silent' }), accessTokens: sg.jwksUrl, serviceKey: sg.routerKey });
    try {
      const late = await send((await forgetful.listen(0, '127.0.0.1')).url, PAY, { id: orderId, m: 'pm_card_visa' }, token, 'pay-key-1');
      expect(replayed(late)).toBe(false);
      expect(late.data).toEqual(payments[0]!.data);
    } finally {
      await forgetful.stop();
    }
    expect(intentsFor(orderId)).toHaveLength(1);
    const status = await eventually(
      async () => (await graphqlOk(urlA, 'query($id: ID!) { order(id: $id) { status } }', { id: orderId }, { token })).order.status as string,
      (s) => s === 'PAID',
    );
    expect(status).toBe('PAID');
  });

  it('holds concurrent duplicate checkouts until the first answers, then gives them its order', async () => {
    const { token, input } = await customer();
    const answers = await Promise.all([urlA, urlB, urlB, urlA].map((url) => send(url, CHECKOUT, { input }, token, 'order-key-2')));
    expect(new Set(answers.map((a) => a.data?.checkout?.id)).size).toBe(1);
    expect(answers[0]!.data.checkout.status).toBe('PENDING_PAYMENT');
    expect(answers.filter(replayed)).toHaveLength(3);
  });

  it('refuses the same key with other variables, also while the first still runs', async () => {
    const { token, input } = await customer();
    await send(urlA, CHECKOUT, { input }, token, 'order-key-3');
    const other = await send(urlB, CHECKOUT, { input: { ...input, shippingMethodId: 'express' } }, token, 'order-key-3');
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(replayed(other)).toBe(false);
  });

  it('keeps keys apart per caller, and refuses a key that is not one', async () => {
    const alice = await customer();
    const bob = await customer();
    const address = 'mutation { addAddress(input: { name: "Twin", line1: "Gasse 2", city: "Wien", postalCode: "1010", country: "AT" }) { id } }';
    const forAlice = await send(urlA, address, {}, alice.token, 'shared-key');
    const forBob = await send(urlA, address, {}, bob.token, 'shared-key');
    expect(replayed(forBob)).toBe(false);
    expect(forBob.data.addAddress.id).not.toBe(forAlice.data.addAddress.id);

    const bad = await send(urlA, address, {}, alice.token, 'a key with spaces');
    expect(bad.status).toBe(400);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });
});
