import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createEvent, createMemoryBus, type EventBus } from '@shop/events';
import { createRedisStore, type KeyValueStore } from '@shop/kv';
import { createLogger } from '@shop/subgraph-kit';
import { cutSubscriberConnection } from '@shop/testing';
import { emptyCart } from '../src/cartRules.js';
import type { CartContext } from '../src/context.js';
import { newCartId } from '../src/ids.js';
import { createCartHolds, forgettingWarnings, type CartHold } from '../src/holds.js';
import { createCartRepository } from '../src/repository.js';
import { createCartService } from '../src/service.js';
import type { StockHolds } from '../src/stockHolds.js';

// `reservationExpiring` is one pub/sub message per hold, and pub/sub keeps nothing: a shopper
// whose replica was reconnecting to Redis when it went out (Redis restarting, a network blip),
// or who subscribed after it (a page reloaded), lost their hold unwarned.
const url = () => process.env.SHOP_TEST_REDIS_URL!;
const logger = createLogger({ service: 'test', level: 'silent' });
const now = Date.parse('2026-12-06T12:00:00Z');
const guest = { caller: null, authError: null } as unknown as CartContext;
const line = { productId: 'p-1', quantity: 2 };
const cleanup: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const stop of cleanup.splice(0).reverse()) await stop();
});

// Inventory holds everything asked for, for `seconds` on the test's clock.
const inventory: StockHolds = {
  hold: async (_cartId, lines, seconds) => ({ ok: true, expiresAt: new Date(now + seconds * 1000).toISOString(), items: [...lines] }),
  move: async () => null,
};

/** A cart replica over its own connections to the test's Redis (named, so the test can cut its subscriber). */
function replica(keyPrefix: string) {
  const connectionName = `cart-${randomUUID().slice(0, 8)}`;
  const kv: KeyValueStore = createRedisStore(url(), { keyPrefix, connectionName });
  cleanup.push(() => kv.close());
  const repository = createCartRepository(kv, { ttlSeconds: 3600 });
  const stock = forgettingWarnings(inventory, kv);
  const service = createCartService({ repository, stock, logger });
  const holds = createCartHolds({ service, repository, stock, kv, logger, clock: () => new Date(now) });
  return { kv, repository, stock, holds, connectionName };
}

async function setUp() {
  const keyPrefix = `cart-holds-test:${randomUUID()}:`;
  const bus: EventBus = createMemoryBus();
  cleanup.push(() => bus.close());
  // One replica consumes inventory's warnings; the shopper's subscription is served by the other.
  const consumer = replica(keyPrefix);
  const warnings = await consumer.holds.startWarnings(bus);
  cleanup.push(() => warnings.stop());
  const serving = replica(keyPrefix);
  const cartId = newCartId();
  await serving.repository.save({ ...emptyCart(cartId, null, new Date(now).toISOString()), lines: [line] });
  const hold = async (seconds: number): Promise<CartHold> => {
    const held = await serving.stock.hold(cartId, [line], seconds);
    if (!held.ok) throw new Error('not held');
    return { cartId, expiresAt: held.expiresAt, lines: held.items };
  };
  // What inventory's sweeper sends when a fifth of the hold is left.
  const warn = (held: CartHold) => bus.publish([createEvent('inventory', 'stock.hold_expiring', held.cartId, { cartId, expiresAt: held.expiresAt, items: held.lines })]);
  const subscribe = async () => {
    const events = await serving.holds.subscribe(guest, cartId);
    cleanup.push(async () => void (await events.return?.()));
    return events;
  };
  return { serving, hold, warn, subscribe };
}

describe('reservationExpiring', () => {
  it("warns a shopper whose replica was reconnecting to Redis when the warning went out, once it is back, and once", async () => {
    const { serving, hold, warn, subscribe } = await setUp();
    const events = await subscribe();
    const held = await hold(600);
    const first = events.next();
    await cutSubscriberConnection(url(), serving.connectionName);
    await warn(held);
    expect((await first).value).toEqual(held);

    // The next warning the shopper gets is the next hold's: the first is not repeated.
    const again = await hold(300);
    await warn(again);
    expect((await events.next()).value).toEqual(again);
  });

  it('warns a subscription started in the last fifth at once, unless the cart was held again since', async () => {
    const { hold, warn, subscribe } = await setUp();
    const open = await subscribe();
    const held = await hold(600);
    await warn(held);
    expect((await open.next()).value).toEqual(held);

    // The shopper reloads the page: the new subscription is told at once.
    const reloaded = await subscribe();
    expect((await reloaded.next()).value).toEqual(held);

    // Held again, that warning no longer stands: a new subscription's first push is the new hold's.
    const again = await hold(300);
    const afterwards = await subscribe();
    await warn(again);
    expect((await afterwards.next()).value).toEqual(again);
    expect((await open.next()).value).toEqual(again);
  });
});
