import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPostgres, migrateToLatest, type Postgres } from '@shop/postgres';
import { createTestDatabase } from '@shop/testing';
import { migrations } from '../src/db/migrations/index.js';
import type { OrdersDatabase } from '../src/db/schema.js';
import { createOrdersLoaders } from '../src/loaders.js';
import type { Order } from '../src/model.js';
import { orderIdFor } from '../src/orderId.js';
import { createPromotionsRepository, type PromotionsRepository } from '../src/promotionsRepository.js';
import { createOrdersRepository, type NewOrder, type OrdersRepository } from '../src/repository.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

function draft(userId: string, key: string, productIds: string[]): NewOrder {
  return {
    id: orderIdFor(userId, key),
    userId,
    idempotencyKey: key,
    cartId: `cart-${key}`,
    currency: 'EUR',
    subtotalMinor: productIds.length * 100,
    shippingMinor: 0,
    discountMinor: 0,
    totalMinor: productIds.length * 100,
    shippingMethodId: 'standard',
    shippingAddress: { addressId: 'a-1', name: 'N', line1: 'L', line2: null, city: 'C', postalCode: 'P', country: 'DE' },
    lines: productIds.map((productId) => ({ productId, quantity: 1, unitPriceMinor: 100, discountMinor: 0 })),
    promotion: null,
  };
}

describe('orders loaders', () => {
  let store: Postgres<OrdersDatabase>;
  let repository: OrdersRepository;
  let promotions: PromotionsRepository;
  let a: Order;
  let b: Order;
  let c: Order;

  beforeAll(async () => {
    store = createPostgres<OrdersDatabase>({ url: await createTestDatabase('orders_loaders') });
    await migrateToLatest(store.db, migrations);
    repository = createOrdersRepository(store.db);
    promotions = createPromotionsRepository(store.db);
    a = (await repository.create(draft('u-1', 'key-a-000', ['p-1', 'p-2']), 'u-1'))!;
    b = (await repository.create(draft('u-2', 'key-b-000', ['p-3']), 'u-2'))!;
    c = (await repository.create(draft('u-1', 'key-c-000', ['p-4']), 'u-1'))!;
  });

  afterAll(async () => {
    await store?.destroy();
  });

  it('orderById: one query for a batch, results in key order, null for missing and malformed ids', async () => {
    const loaders = createOrdersLoaders(repository, promotions);
    store.stats.reset();
    const result = await Promise.all([b.id, MISSING, a.id, 'not-a-uuid'].map((id) => loaders.orderById.load(id)));
    expect(store.stats.queries).toBe(1);
    expect(result.map((order) => order?.orderNumber ?? null)).toEqual([b.orderNumber, null, a.orderNumber, null]);
  });

  it('itemsByOrderId: one query, lines grouped per order in checkout order, [] for a missing order', async () => {
    const loaders = createOrdersLoaders(repository, promotions);
    store.stats.reset();
    const result = await Promise.all([a.id, MISSING, b.id].map((id) => loaders.itemsByOrderId.load(id)));
    expect(store.stats.queries).toBe(1);
    expect(result.map((lines) => lines.map((line) => line.productId))).toEqual([['p-1', 'p-2'], [], ['p-3']]);
  });

  it('itemsByOrderId: lines of one product in two variants come with their snapshots from the same one query', async () => {
    const tee = (id: string, size: string, unitPriceMinor: number) => ({
      productId: 'p-tee',
      variant: { id, sku: `TEE-${size}`, name: `${size} / Black`, size, color: 'Black' },
      quantity: 1,
      unitPriceMinor,
      discountMinor: 0,
    });
    const sized = { ...draft('u-3', 'key-sized-0', []), lines: [tee('v-m', 'M', 1800), tee('v-xxl', 'XXL', 2115), { productId: 'p-mug', quantity: 2, unitPriceMinor: 725, discountMinor: 0 }] };
    const order = (await repository.create(sized, 'u-3'))!;
    const loaders = createOrdersLoaders(repository, promotions);
    store.stats.reset();
    const [lines, others] = await Promise.all([order.id, a.id].map((id) => loaders.itemsByOrderId.load(id)));
    expect(store.stats.queries).toBe(1);
    expect(lines!.map((line) => [line.productId, line.variant, line.unitPriceMinor])).toEqual([
      ['p-tee', { id: 'v-m', sku: 'TEE-M', name: 'M / Black', size: 'M', color: 'Black' }, 1800],
      ['p-tee', { id: 'v-xxl', sku: 'TEE-XXL', name: 'XXL / Black', size: 'XXL', color: 'Black' }, 2115],
      ['p-mug', null, 725],
    ]);
    expect(others!.map((line) => line.variant)).toEqual([null, null]);
  });

  it('historyByOrderId: one query, [] for a missing order', async () => {
    const loaders = createOrdersLoaders(repository, promotions);
    store.stats.reset();
    const result = await Promise.all([c.id, MISSING].map((id) => loaders.historyByOrderId.load(id)));
    expect(store.stats.queries).toBe(1);
    expect(result.map((changes) => changes.map((change) => change.status))).toEqual([['PENDING_PAYMENT'], []]);
  });

  it('ordersByUserId: one query per distinct page arguments, pages in key order, empty for a user without orders', async () => {
    const loaders = createOrdersLoaders(repository, promotions);
    const page = { first: 10, after: null, status: null };
    store.stats.reset();
    const result = await Promise.all([
      loaders.ordersByUserId.load({ userId: 'u-2', ...page }),
      loaders.ordersByUserId.load({ userId: 'nobody', ...page }),
      loaders.ordersByUserId.load({ userId: 'u-1', ...page }),
      loaders.ordersByUserId.load({ userId: 'u-1', ...page, first: 1 }),
    ]);
    expect(store.stats.queries).toBe(2);
    expect(result.map((p) => [p.orders.map((order) => order.id), p.hasNextPage, p.totalCount])).toEqual([
      [[b.id], false, 1],
      [[], false, 0],
      [[c.id, a.id], false, 2],
      [[c.id], true, 2],
    ]);
  });

  it('ordersByUserId with lines: each order with its lines in checkout order, in the same one query', async () => {
    const loaders = createOrdersLoaders(repository, promotions);
    const page = { first: 10, after: null, status: null, lines: true };
    store.stats.reset();
    const [own, none] = await Promise.all([loaders.ordersByUserId.load({ userId: 'u-1', ...page }), loaders.ordersByUserId.load({ userId: 'nobody', ...page })]);
    expect(store.stats.queries).toBe(1);
    expect(own.orders.map((order) => [order.id, order.lines?.map((line) => line.productId)])).toEqual([
      [c.id, ['p-4']],
      [a.id, ['p-1', 'p-2']],
    ]);
    expect(none.orders).toEqual([]);
    expect(own.orders[1]!.lines).toEqual(await createOrdersLoaders(repository, promotions).itemsByOrderId.load(a.id));
  });

  it('ordersByUserId: a status, a cursor and lines together (each shape of the statement fills in its own values)', async () => {
    const loaders = createOrdersLoaders(repository, promotions);
    const after = { createdAt: c.createdAt, id: c.id };
    const [next, none] = await Promise.all([
      loaders.ordersByUserId.load({ userId: 'u-1', first: 10, after, status: 'PENDING_PAYMENT', lines: true }),
      loaders.ordersByUserId.load({ userId: 'u-1', first: 10, after, status: 'CANCELLED', lines: true }),
    ]);
    expect([next.orders.map((order) => [order.id, order.lines?.map((line) => line.productId)]), next.totalCount]).toEqual([[[a.id, ['p-1', 'p-2']]], 2]);
    expect([none.orders, none.totalCount]).toEqual([[], 0]);
  });

  it('promotionByCode: one query for a batch, results in key order, null for a missing code', async () => {
    const base = { kind: 'PERCENTAGE' as const, percentBp: 1000, amountMinor: null, currency: null, minSubtotalMinor: null, startsAt: null, endsAt: null, usageLimit: null, perCustomerLimit: null };
    await promotions.insert({ ...base, code: 'LOAD-A' });
    await promotions.insert({ ...base, code: 'LOAD-B' });
    const loaders = createOrdersLoaders(repository, promotions);
    store.stats.reset();
    const result = await Promise.all(['LOAD-B', 'MISSING', 'LOAD-A'].map((code) => loaders.promotionByCode.load(code)));
    expect(store.stats.queries).toBe(1);
    expect(result.map((promotion) => promotion?.code ?? null)).toEqual(['LOAD-B', null, 'LOAD-A']);
  });

  it('ordersByUserId: the same user and arguments twice in one request cost nothing more', async () => {
    const loaders = createOrdersLoaders(repository, promotions);
    const key = { userId: 'u-1', first: 5, after: null, status: 'PENDING_PAYMENT' as const };
    store.stats.reset();
    await Promise.all([loaders.ordersByUserId.load(key), loaders.ordersByUserId.load({ ...key })]);
    await loaders.ordersByUserId.load({ ...key });
    expect(store.stats.queries).toBe(1);
  });
});
