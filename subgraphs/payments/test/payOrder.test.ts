import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { ORDER_PAYMENTS, PAY, paymentRows, startPayments, token, type Harness, type ProviderKind } from './harness.js';

// The same behaviour, whichever provider adapter runs underneath: the simulated one, and the
// Stripe adapter (the official SDK) against a Stripe-shaped server over HTTP.
describe.each<[ProviderKind, string]>([
  ['simulated', 'simulated'],
  ['stripe', 'stripe'],
])('payOrder with the %s provider', (kind, providerName) => {
  let h: Harness;
  let alice: string;
  let bob: string;
  let admin: string;

  beforeAll(async () => {
    h = await startPayments({ provider: kind });
    alice = await token('user-alice');
    bob = await token('user-bob');
    admin = await token('user-admin', 'ADMIN');
  });

  afterAll(async () => {
    await h?.stop();
  });

  const pay = (orderId: string, paymentMethod: string, as: string) => graphql(h.url, PAY, { orderId, paymentMethod }, { token: as });

  it('charges the order total with pm_card_visa: SUCCEEDED and exactly one payment.succeeded event', async () => {
    const orderId = h.order('user-alice', 4999, 'EUR');
    const result = await pay(orderId, 'pm_card_visa', alice);
    expect(result.errors).toBeUndefined();
    const payment = result.data.payOrder;
    expect(payment).toMatchObject({
      status: 'SUCCEEDED',
      amount: { amount: '49.99', currencyCode: 'EUR' },
      provider: providerName,
      clientSecret: null,
      failureReason: null,
      order: { id: orderId },
    });
    await h.settle();
    const events = h.eventsFor(payment.id);
    expect(events).toHaveLength(1);
    const [row] = await paymentRows(h.store, orderId);
    expect(events[0]).toMatchObject({
      type: 'payment.succeeded',
      source: 'payments',
      key: orderId,
      data: { paymentId: payment.id, orderId, amountMinor: 4999, currency: 'EUR', provider: providerName, providerPaymentId: row!.provider_payment_id },
    });
    expect(row).toMatchObject({ user_id: 'user-alice', status: 'SUCCEEDED', amount_minor: 4999, payment_method: 'pm_card_visa', idempotency_key: `payment:${payment.id}` });
    expect(row!.provider_payment_id).toMatch(/^pi_/);
  });

  it('forwards the caller’s own Authorization header to the router', async () => {
    const orderId = h.order('user-alice');
    const before = h.router.authorizations.length;
    await pay(orderId, 'pm_card_visa', alice);
    expect(h.router.authorizations.slice(before)).toEqual([`Bearer ${alice}`]);
  });

  it('records a decline as FAILED with payment.failed, and the order can then be paid with another card', async () => {
    const orderId = h.order('user-alice', 1250, 'USD');
    const declined = await pay(orderId, 'pm_card_chargeDeclined', alice);
    expect(declined.errors).toBeUndefined();
    expect(declined.data.payOrder).toMatchObject({ status: 'FAILED', failureReason: 'generic_decline', amount: { amount: '12.50', currencyCode: 'USD' } });

    const paid = await pay(orderId, 'pm_card_visa', alice);
    expect(paid.data.payOrder).toMatchObject({ status: 'SUCCEEDED' });

    await h.settle();
    expect(h.eventsFor(declined.data.payOrder.id)).toEqual([
      expect.objectContaining({
        type: 'payment.failed',
        key: orderId,
        data: { paymentId: declined.data.payOrder.id, orderId, amountMinor: 1250, currency: 'USD', reason: 'generic_decline' },
      }),
    ]);
    expect(h.eventsFor(paid.data.payOrder.id).map((e) => e.type)).toEqual(['payment.succeeded']);

    const { _entities } = await graphqlOk(h.url, ORDER_PAYMENTS, { r: [{ __typename: 'Order', id: orderId }] }, { token: alice });
    expect(_entities[0].payment).toMatchObject({ id: paid.data.payOrder.id, status: 'SUCCEEDED' });
    expect(_entities[0].payments).toEqual([
      { id: paid.data.payOrder.id, status: 'SUCCEEDED' },
      { id: declined.data.payOrder.id, status: 'FAILED' },
    ]);
  });

  it('names insufficient funds as the failure reason', async () => {
    const result = await pay(h.order('user-alice'), 'pm_card_chargeDeclinedInsufficientFunds', alice);
    expect(result.data.payOrder).toMatchObject({ status: 'FAILED', failureReason: 'insufficient_funds' });
  });

  it('refuses a second payment once one succeeded: CONFLICT, nothing charged, no event', async () => {
    const orderId = h.order('user-alice');
    await pay(orderId, 'pm_card_visa', alice);
    await h.settle();
    const eventsBefore = h.events.length;
    const chargesBefore = h.stripe?.intents.size;

    for (const method of ['pm_card_visa', 'pm_card_mastercard']) {
      const again = await pay(orderId, method, alice);
      expect(errorCodes(again)).toEqual(['CONFLICT']);
    }
    expect(await paymentRows(h.store, orderId)).toHaveLength(1);
    expect(h.stripe?.intents.size).toBe(chargesBefore);
    await h.settle();
    expect(h.events).toHaveLength(eventsBefore);
  });

  it('answers NOT_FOUND for an order the caller may not see (as the router says), and stores nothing', async () => {
    const orderId = h.order('user-alice');
    const result = await pay(orderId, 'pm_card_visa', bob);
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    expect(result.data).toBeNull();
    expect(await paymentRows(h.store, orderId)).toHaveLength(0);
    expect(errorCodes(await pay('no-such-order', 'pm_card_visa', alice))).toEqual(['NOT_FOUND']);
  });

  it('lets an ADMIN pay any order', async () => {
    const result = await pay(h.order('user-alice'), 'pm_card_mastercard', admin);
    expect(result.data.payOrder.status).toBe('SUCCEEDED');
  });

  it('pays only PENDING_PAYMENT orders: CONFLICT with the status otherwise', async () => {
    const orderId = h.order('user-alice');
    h.router.orders.get(orderId)!.status = 'CANCELLED';
    const result = await pay(orderId, 'pm_card_visa', alice);
    expect(errorCodes(result)).toEqual(['CONFLICT']);
    expect(result.errors![0]!.extensions).toMatchObject({ status: 'CANCELLED' });
    expect(await paymentRows(h.store, orderId)).toHaveLength(0);
  });

  it('asks anonymous callers to sign in, without asking the router', async () => {
    const before = h.router.authorizations.length;
    expect(errorCodes(await graphql(h.url, PAY, { orderId: h.order('user-alice'), paymentMethod: 'pm_card_visa' }))).toEqual(['UNAUTHENTICATED']);
    expect(h.router.authorizations).toHaveLength(before);
  });

  it.each([
    ['an empty method', '   '],
    ['a method with odd characters', 'pm_card_visa; DROP TABLE payments'],
  ])('refuses %s as BAD_USER_INPUT on paymentMethod', async (_name, paymentMethod) => {
    const result = await pay(h.order('user-alice'), paymentMethod, alice);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.field).toBe('paymentMethod');
  });

  it('refuses a payment method the provider does not know as BAD_USER_INPUT, leaving no attempt behind', async () => {
    const orderId = h.order('user-alice');
    const result = await pay(orderId, 'pm_card_doesNotExist', alice);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.field).toBe('paymentMethod');
    expect(await paymentRows(h.store, orderId)).toHaveLength(0);
    expect((await pay(orderId, 'pm_card_visa', alice)).data.payOrder.status).toBe('SUCCEEDED');
  });

  it.each(['pm_card_authenticationRequired', 'pm_card_threeDSecure2Required'])(
    'asks the customer to authenticate for %s: REQUIRES_ACTION with a client secret for them alone',
    async (method) => {
      const orderId = h.order('user-alice');
      const result = await pay(orderId, method, alice);
      expect(result.data.payOrder).toMatchObject({ status: 'REQUIRES_ACTION', failureReason: null });
      expect(result.data.payOrder.clientSecret).toMatch(/^pi_.+_secret_/);

      const asAdmin = await graphqlOk(h.url, ORDER_PAYMENTS, { r: [{ __typename: 'Order', id: orderId }] }, { token: admin });
      expect(asAdmin._entities[0].payment).toMatchObject({ status: 'REQUIRES_ACTION', clientSecret: null });
      await h.settle();
      expect(h.eventsFor(result.data.payOrder.id)).toEqual([]);
    },
  );

  it('treats the same request again while the attempt waits for the customer as a retry: same payment, no new charge', async () => {
    const orderId = h.order('user-alice');
    const first = await pay(orderId, 'pm_card_authenticationRequired', alice);
    const chargesBefore = h.stripe?.intents.size;
    const second = await pay(orderId, 'pm_card_authenticationRequired', alice);
    expect(second.data.payOrder).toEqual(first.data.payOrder);
    expect(h.stripe?.intents.size).toBe(chargesBefore);
    expect(await paymentRows(h.store, orderId)).toHaveLength(1);
  });

  it('cancels an attempt waiting for authentication when the customer pays with another card instead', async () => {
    const orderId = h.order('user-alice');
    const waiting = await pay(orderId, 'pm_card_threeDSecure2Required', alice);
    const paid = await pay(orderId, 'pm_card_visa', alice);
    expect(paid.data.payOrder.status).toBe('SUCCEEDED');
    const rows = await paymentRows(h.store, orderId);
    expect(rows.map((row) => [row.id, row.status, row.failure_reason])).toEqual([
      [waiting.data.payOrder.id, 'FAILED', 'canceled'],
      [paid.data.payOrder.id, 'SUCCEEDED', null],
    ]);
    if (h.stripe) expect(h.stripe.intents.get(rows[0]!.provider_payment_id!)?.status).toBe('canceled');
    await h.settle();
    expect(h.eventsFor(waiting.data.payOrder.id).map((e) => e.type)).toEqual(['payment.failed']);
  });

  it('charges once when the same attempt is driven again after its answer was lost', async () => {
    const orderId = h.order('user-alice');
    // A crash between storing the attempt and hearing from the provider leaves it PROCESSING.
    const crashed = await pay(orderId, 'pm_card_visa', alice);
    await h.store.db.updateTable('payments').set({ status: 'PROCESSING', provider_payment_id: null }).where('id', '=', crashed.data.payOrder.id).execute();
    await sql`DELETE FROM event_outbox`.execute(h.store.db);
    h.events.length = 0;
    const chargesBefore = h.stripe?.intents.size;

    const retried = await pay(orderId, 'pm_card_visa', alice);
    expect(retried.data.payOrder).toMatchObject({ id: crashed.data.payOrder.id, status: 'SUCCEEDED' });
    expect(h.stripe?.intents.size).toBe(chargesBefore);
    if (h.stripe) {
      const sent = h.stripe.requests.filter((r) => r.params['metadata[paymentId]'] === crashed.data.payOrder.id);
      expect(sent.map((r) => [r.idempotencyKey, r.replayed])).toEqual([
        [`payment:${crashed.data.payOrder.id}`, false],
        [`payment:${crashed.data.payOrder.id}`, true],
      ]);
    }
    await h.settle();
    expect(h.eventsFor(crashed.data.payOrder.id).map((e) => e.type)).toEqual(['payment.succeeded']);
  });

  it('lets concurrent requests for one order charge it once', async () => {
    const orderId = h.order('user-alice');
    const results = await Promise.all(['pm_card_visa', 'pm_card_visa', 'pm_card_mastercard', 'pm_card_visa'].map((m) => pay(orderId, m, alice)));
    const succeeded = new Set(results.filter((r) => r.data?.payOrder?.status === 'SUCCEEDED').map((r) => r.data.payOrder.id));
    expect(succeeded.size).toBe(1);
    for (const result of results) if (!result.data?.payOrder) expect(errorCodes(result)).toEqual(['CONFLICT']);
    const rows = await paymentRows(h.store, orderId);
    expect(rows.filter((row) => row.status === 'SUCCEEDED')).toHaveLength(1);
  });
});
