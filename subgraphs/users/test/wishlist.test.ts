import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEvent, createMemoryBus, type EventBus } from '@shop/events';
import { errorCodes, eventually, graphql, graphqlOk } from '@shop/testing';
import type { Catalog, CatalogProduct } from '../src/catalog.js';
import { createLoaders } from '../src/loaders.js';
import { createUsersRepository } from '../src/repository.js';
import { MAX_WISHLIST_ITEMS } from '../src/wishlist.js';
import { createWishlistRepository } from '../src/wishlistRepository.js';
import { openDatabase, registerUser, startUsers, type RunningUsers } from './helpers.js';

// The wishlist on its own subgraph: the catalog is a stand-in that counts its calls, stock
// events are published on the bus as inventory would, alerts are read from the outbox.
const products = new Map<string, CatalogProduct>();
const catalogCalls: string[][] = [];
const catalog: Catalog = {
  async describe(ids) {
    catalogCalls.push([...ids]);
    return new Map(ids.map((id) => [id, products.get(id) ?? null]));
  },
};

let users: RunningUsers;
let bus: EventBus;
let db: ReturnType<typeof openDatabase>;

const ADD = 'mutation($p: ID!) { addToWishlist(productId: $p) { product { id } } }';
const stockChanged = (productId: string, previousAvailable: number, available: number) =>
  createEvent('inventory', 'stock.changed', productId, { productId, available, reserved: 0, onHand: available, inStock: available > 0, previousAvailable });

async function alerts() {
  const rows = await db.db
    .selectFrom('event_outbox' as never)
    .select(['event' as never])
    .where('type' as never, '=', 'wishlist.back_in_stock' as never)
    .orderBy('seq' as never)
    .execute();
  return (rows as Array<{ event: { data: { userId: string; productId: string; productName: string } } }>).map((r) => r.event.data);
}

beforeAll(async () => {
  bus = createMemoryBus();
  users = await startUsers({ catalog, bus });
  db = openDatabase(users.databaseUrl);
  for (let i = 0; i <= MAX_WISHLIST_ITEMS; i++) products.set(`p-${i}`, { name: `Product ${i}`, archived: false });
  products.set('lamp', { name: 'Lamp', archived: false });
  products.set('mug', { name: 'Mug', archived: false });
  products.set('old-lamp', { name: 'Old lamp', archived: true });
});

afterAll(async () => {
  await db?.destroy();
  await users?.stop();
  await bus?.close();
});

describe('wishlist', () => {
  it(`holds at most ${MAX_WISHLIST_ITEMS} products (CONFLICT LIMIT_REACHED beyond), asking the catalog once per add`, async () => {
    const { accessToken: token } = await registerUser(users.url);
    catalogCalls.length = 0;
    for (let i = 0; i < MAX_WISHLIST_ITEMS; i++) await graphqlOk(users.url, ADD, { p: `p-${i}` }, { token });
    expect(catalogCalls).toHaveLength(MAX_WISHLIST_ITEMS);
    const full = await graphql(users.url, ADD, { p: `p-${MAX_WISHLIST_ITEMS}` }, { token });
    expect(errorCodes(full)).toEqual(['CONFLICT']);
    expect(full.errors?.[0]?.extensions).toMatchObject({ reason: 'LIMIT_REACHED', field: 'productId' });
    // One already on the list is no addition.
    expect((await graphqlOk(users.url, ADD, { p: 'p-0' }, { token })).addToWishlist).toHaveLength(MAX_WISHLIST_ITEMS);
  });

  it('alerts every wisher once per restock from 0; not for other movements, redeliveries or archived products', async () => {
    const [ann, bob, cid] = await Promise.all([registerUser(users.url), registerUser(users.url), registerUser(users.url)]);
    await graphqlOk(users.url, ADD, { p: 'lamp' }, { token: ann.accessToken });
    await graphqlOk(users.url, ADD, { p: 'lamp' }, { token: bob.accessToken });
    await graphqlOk(users.url, ADD, { p: 'old-lamp' }, { token: cid.accessToken });
    const before = (await alerts()).length;

    const restock = stockChanged('lamp', 0, 4);
    // The mug is on nobody's list.
    await bus.publish([stockChanged('lamp', 4, 6), restock, restock, stockChanged('old-lamp', 0, 2), stockChanged('mug', 0, 1)]);
    // A second restock behind them: once it is alerted, everything before it was handled.
    await bus.publish([stockChanged('lamp', 0, 1)]);
    const all = await eventually(alerts, (list) => list.length >= before + 4);
    const wishers = [ann.user.id, bob.user.id].sort();
    const alert = (userId: string, available: number) => ({ userId, productId: 'lamp', productName: 'Lamp', available, restockEventId: expect.any(String) });
    expect(all.slice(before)).toEqual([alert(wishers[0]!, 4), alert(wishers[1]!, 4), alert(wishers[0]!, 1), alert(wishers[1]!, 1)]);
  });

  it('wishlistByUserId: one batch query, each list newest first in key order, empty for a user without one', async () => {
    const [dan, eve] = await Promise.all([registerUser(users.url), registerUser(users.url)]);
    await graphqlOk(users.url, ADD, { p: 'lamp' }, { token: dan.accessToken });
    await graphqlOk(users.url, ADD, { p: 'mug' }, { token: dan.accessToken });
    const loaders = createLoaders(createUsersRepository(db.db), createWishlistRepository(db.db));
    db.stats.reset();
    const lists = await Promise.all([eve.user.id, dan.user.id, 'not-a-user'].map((id) => loaders.wishlistByUserId.load(id)));
    expect(lists.map((list) => list.map((item) => item.productId))).toEqual([[], ['mug', 'lamp'], []]);
    expect(db.stats.queries).toBe(1);
  });
});
