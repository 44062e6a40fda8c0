import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPostgres, migrateToLatest, type Postgres } from '@shop/postgres';
import { createTestDatabase, graphql, graphqlOk } from '@shop/testing';
import { migrations } from '../src/db/migrations/index.js';
import type { PaymentsDatabase } from '../src/db/schema.js';
import { createPaymentsLoaders } from '../src/loaders.js';
import { createPaymentsRepository, type PaymentsRepository } from '../src/repository.js';
import { ORDER_PAYMENTS, PAY, startPayments, token, type Harness } from './harness.js';

const orders = (ids: string[]) => ids.map((id) => ({ __typename: 'Order', id }));

describe('Order entity: payment and payments', () => {
  let h: Harness;
  let alice: string;
  let bob: string;
  let admin: string;
  let aliceOrder: string;
  let bobOrder: string;
  let unpaidOrder: string;

  beforeAll(async () => {
    h = await startPayments({ provider: 'simulated' });
    [alice, bob, admin] = await Promise.all([token('user-alice'), token('user-bob'), token('user-admin', 'ADMIN')]);
    aliceOrder = h.order('user-alice');
    bobOrder = h.order('user-bob');
    unpaidOrder = h.order('user-alice');
    await graphqlOk(h.url, PAY, { orderId: aliceOrder, paymentMethod: 'pm_card_chargeDeclined' }, { token: alice });
    await graphqlOk(h.url, PAY, { orderId: aliceOrder, paymentMethod: 'pm_card_visa' }, { token: alice });
    await graphqlOk(h.url, PAY, { orderId: bobOrder, paymentMethod: 'pm_card_visa' }, { token: bob });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('shows the customer who paid their payments, latest first, and resolves every representation in order', async () => {
    const { _entities } = await graphqlOk(h.url, ORDER_PAYMENTS, { r: orders([unpaidOrder, aliceOrder, 'unknown-order']) }, { token: alice });
    expect(_entities.map((o: { id: string }) => o.id)).toEqual([unpaidOrder, aliceOrder, 'unknown-order']);
    expect(_entities[0]).toMatchObject({ payment: null, payments: [] });
    expect(_entities[1].payment).toMatchObject({ status: 'SUCCEEDED', provider: 'simulated', amount: { amount: '49.99', currencyCode: 'EUR' } });
    expect(_entities[1].payments.map((p: { status: string }) => p.status)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(_entities[2]).toMatchObject({ payment: null, payments: [] });
  });

  it('hides payment details from other customers and anonymous callers, without an error', async () => {
    const asBob = await graphql(h.url, ORDER_PAYMENTS, { r: orders([aliceOrder, bobOrder]) }, { token: bob });
    expect(asBob.errors).toBeUndefined();
    expect(asBob.data._entities[0]).toEqual({ id: aliceOrder, payment: null, payments: [] });
    expect(asBob.data._entities[1].payment.status).toBe('SUCCEEDED');
    const anonymous = await graphql(h.url, ORDER_PAYMENTS, { r: orders([aliceOrder]) });
    expect(anonymous.data._entities[0]).toEqual({ id: aliceOrder, payment: null, payments: [] });
  });

  it('shows an ADMIN every payment', async () => {
    const { _entities } = await graphqlOk(h.url, ORDER_PAYMENTS, { r: orders([aliceOrder, bobOrder]) }, { token: admin });
    expect(_entities.map((o: { payments: unknown[] }) => o.payments.length)).toEqual([2, 1]);
  });

  it('loads the payments of many orders with one SQL statement', async () => {
    const many = Array.from({ length: 30 }, (_, i) => [aliceOrder, bobOrder, unpaidOrder][i % 3]!);
    h.subgraph.sqlStats.reset();
    await graphqlOk(h.url, ORDER_PAYMENTS, { r: orders(many) }, { token: admin });
    expect(h.subgraph.sqlStats.queries).toBe(1);
  });
});

describe('payments loaders', () => {
  let store: Postgres<PaymentsDatabase>;
  let repository: PaymentsRepository;

  beforeAll(async () => {
    store = createPostgres<PaymentsDatabase>({ url: await createTestDatabase('payments_loaders') });
    await migrateToLatest(store.db, migrations);
    repository = createPaymentsRepository(store.db);
    for (const [orderId, method] of [['order-a', 'pm_1'], ['order-b', 'pm_2']] as const) {
      const start = await repository.beginAttempt({ orderId, userId: 'u', amountMinor: 100, currency: 'EUR', provider: 'simulated', paymentMethod: method });
      await repository.transition(start.payment.id, 'FAILED', { failureReason: 'generic_decline' });
    }
    await repository.beginAttempt({ orderId: 'order-a', userId: 'u', amountMinor: 100, currency: 'EUR', provider: 'simulated', paymentMethod: 'pm_3' });
  });

  afterAll(async () => {
    await store?.destroy();
  });

  it('paymentsByOrderId: one query for a batch, results in key order, newest first, [] for a missing key', async () => {
    const loaders = createPaymentsLoaders(repository);
    store.stats.reset();
    const result = await Promise.all(['order-b', 'order-missing', 'order-a'].map((id) => loaders.paymentsByOrderId.load(id)));
    expect(store.stats.queries).toBe(1);
    expect(result.map((payments) => payments.map((p) => p.paymentMethod))).toEqual([['pm_2'], [], ['pm_3', 'pm_1']]);
  });
});
