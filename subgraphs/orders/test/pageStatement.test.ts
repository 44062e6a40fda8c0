import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createPostgres, migrateToLatest, type Postgres } from '@shop/postgres';
import { createTestDatabase } from '@shop/testing';
import { migrations } from '../src/db/migrations/index.js';
import type { OrdersDatabase } from '../src/db/schema.js';
import type { Order, OrderLine, OrderPage, PageRequest } from '../src/model.js';
import { orderIdFor } from '../src/orderId.js';
import { createOrdersRepository, type NewOrder, type OrdersRepository } from '../src/repository.js';

// The page statement goes to PostgreSQL as a named statement, one per shape: PostgreSQL parses it
// once per connection and, after five calls, may answer from a generic plan. Every shape must give
// the same pages on every call, on a fresh connection, and after a migration.

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
    // Lines of a variant after the first, to read the variant's columns back (with and without a colour).
    lines: productIds.map((productId, i) => ({
      productId,
      quantity: 1 + i,
      unitPriceMinor: 100,
      discountMinor: 0,
      variant: i === 0 ? null : { id: `${productId}-v`, sku: `${productId}-SKU`, name: 'Large', size: 'L', color: i === 1 ? 'red' : null },
    })),
    promotion: null,
  };
}

const USERS = ['u-1', 'u-2', 'u-3'];

describe('the page statement, prepared', () => {
  let url: string;
  let store: Postgres<OrdersDatabase>;
  let repository: OrdersRepository;
  const placed = new Map<string, Order[]>();
  /** Each order's lines as the lines loader reads them (`findLinesByOrderIds`). */
  const linesOf = new Map<string, OrderLine[]>();

  beforeAll(async () => {
    // One connection, so every call after the first reuses the statement prepared on it.
    url = await createTestDatabase('orders_page_statement');
    store = createPostgres<OrdersDatabase>({ url, maxConnections: 1 });
    await migrateToLatest(store.db, migrations);
    repository = createOrdersRepository(store.db);
    for (const [u, userId] of USERS.entries()) {
      const orders: Order[] = [];
      for (let i = 0; i < 4 + u * 2; i++) {
        const order = (await repository.create(draft(userId, `key-${userId}-${i}-000`, [`p-${i}`, `p-${i + 1}`, `p-${i + 2}`]), userId))!;
        orders.push(order);
        linesOf.set(order.id, await repository.findLinesByOrderIds([order.id]));
      }
      placed.set(userId, orders);
    }
    // Every other order of u-2 paid, for the status filter.
    const paid = placed.get('u-2')!.filter((_, i) => i % 2 === 0);
    await store.db.updateTable('orders').set({ status: 'PAID' }).where('id', 'in', paid.map((order) => order.id)).execute();
  });

  afterAll(async () => {
    await store?.destroy();
  });

  /** What a page must hold, from the orders as placed (newest first, ties by id). */
  function expected(userId: string, page: PageRequest): { ids: string[]; hasNextPage: boolean; totalCount: number } {
    const newestFirst = [...placed.get(userId)!].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    const paid = new Set(placed.get('u-2')!.filter((_, i) => i % 2 === 0).map((order) => order.id));
    const matching = newestFirst.filter((order) => page.status === null || (page.status === 'PAID') === paid.has(order.id));
    const start = page.after ? matching.findIndex((order) => order.id === page.after!.id) + 1 : 0;
    const rest = matching.slice(start);
    return { ids: rest.slice(0, page.first).map((order) => order.id), hasNextPage: rest.length > page.first, totalCount: matching.length };
  }

  const summary = (page: OrderPage) => ({
    ids: page.orders.map((order) => order.id),
    hasNextPage: page.hasNextPage,
    totalCount: page.totalCount,
    lines: page.orders.map((order) => order.lines?.map((line) => line.productId) ?? null),
  });

  async function everyShape(): Promise<unknown[]> {
    const answers: unknown[] = [];
    for (const lines of [false, true]) {
      for (const status of [null, 'PAID' as const]) {
        for (const cursorAt of [null, 1]) {
          for (const users of [['u-2'], USERS, ['u-2', 'nobody']]) {
            const after = cursorAt === null ? null : { createdAt: placed.get('u-2')![placed.get('u-2')!.length - 1]!.createdAt, id: placed.get('u-2')!.at(-1)!.id };
            const page: PageRequest = { first: 2, after, status };
            const pages = await repository.pageByUserIds(users, page, { lines });
            pages.forEach((got, i) => {
              const userId = users[i]!;
              if (userId === 'nobody') {
                expect(summary(got)).toEqual({ ids: [], hasNextPage: false, totalCount: 0, lines: [] });
                return;
              }
              // A cursor is one of u-2's orders: for the others it still bounds by time and id.
              if (after === null || userId === 'u-2') {
                const want = expected(userId, page);
                expect(summary(got)).toMatchObject({ ids: want.ids, hasNextPage: want.hasNextPage, totalCount: want.totalCount });
              }
              if (lines) for (const order of got.orders) expect(order.lines).toEqual(linesOf.get(order.id));
            });
            answers.push(pages.map(summary));
          }
        }
      }
    }
    return answers;
  }

  it('answers every shape the same on every call, past the calls after which PostgreSQL may keep a generic plan', async () => {
    const first = await everyShape();
    for (let call = 0; call < 7; call++) expect(await everyShape()).toEqual(first);
    // Each shape was prepared once on the connection (one user, several users; status; cursor; lines).
    const prepared = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement like '%"owner"%'`.execute(store.db);
    expect(prepared.rows[0]!.n).toBe(16);
  });

  it('answers the same on a new connection and after a migration adds a column', async () => {
    const before = await everyShape();
    const admin = createPostgres<OrdersDatabase>({ url, maxConnections: 1 });
    try {
      await sql`select pg_terminate_backend(pid, 10000) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(admin.db);
    } finally {
      await admin.destroy();
    }
    // The first statement after the drop may fail, as any does when PostgreSQL drops a connection.
    await repository.pageByUserIds(['u-1'], { first: 1, after: null, status: null }).catch(() => undefined);
    expect(await everyShape()).toEqual(before);
    await sql`alter table orders add column gift_note text`.execute(store.db);
    await sql`alter table order_items add column gift_wrap boolean not null default false`.execute(store.db);
    expect(await everyShape()).toEqual(before);
  });
});
