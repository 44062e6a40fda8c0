import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import {
  ADD,
  CART,
  CLEAR,
  linesOf,
  MERGE,
  REMOVE,
  startCart,
  startProductsStandIn,
  STORES,
  token,
  UPDATE,
  type Harness,
  type ProductsStandIn,
} from './harness.js';

const WEEK = 7 * 24 * 60 * 60;

describe.each(STORES)('cart on the %s', (_name, createStore) => {
  let products: ProductsStandIn;
  let cart: Harness;

  beforeAll(async () => {
    products = await startProductsStandIn({ 'p-shirt': '19.99', 'p-socks': '5.00', 'p-cap': '12.50', 'p-mug': '7.25' });
    products.setPrice('p-yen', '500', 'JPY');
    cart = await startCart({ kv: createStore(), productsUrl: products.url });
  });

  afterAll(async () => {
    await cart?.stop();
    await products?.stop();
  });

  /** A new guest cart holding `lines`; returns its id. */
  async function guestCart(lines: Array<[string, number]>): Promise<string> {
    let cartId: string | null = null;
    for (const [productId, quantity] of lines) {
      const added: { addToCart: { id: string } } = await graphqlOk(cart.url, ADD, { cartId, productId, quantity });
      cartId = added.addToCart.id;
    }
    return cartId!;
  }

  describe('guest carts', () => {
    it('creates a guest cart on the first add and prices it exactly, asking products once per request', async () => {
      const before = products.requests.length;
      const first = (await graphqlOk(cart.url, ADD, { productId: 'p-shirt', quantity: 2 })).addToCart;
      expect(first.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const { addToCart } = await graphqlOk(cart.url, ADD, { cartId: first.id, productId: 'p-socks', quantity: 1 });
      expect(products.requests.slice(before)).toEqual([['p-shirt'], ['p-socks', 'p-shirt']]);
      expect(addToCart).toEqual({
        id: first.id,
        itemCount: 3,
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        subtotal: { amount: '44.98', currencyCode: 'EUR' },
        items: [
          {
            product: { id: 'p-shirt' },
            quantity: 2,
            unitPrice: { amount: '19.99', currencyCode: 'EUR' },
            lineTotal: { amount: '39.98', currencyCode: 'EUR' },
          },
          {
            product: { id: 'p-socks' },
            quantity: 1,
            unitPrice: { amount: '5.00', currencyCode: 'EUR' },
            lineTotal: { amount: '5.00', currencyCode: 'EUR' },
          },
        ],
      });
      expect(Date.now() - Date.parse(addToCart.updatedAt)).toBeLessThan(60_000);
      expect(await cart.stored(first.id)).toMatchObject({
        userId: null,
        lines: [
          { productId: 'p-shirt', quantity: 2 },
          { productId: 'p-socks', quantity: 1 },
        ],
      });
      // Anyone holding the id reads it; without an id an anonymous caller has no cart.
      expect((await graphqlOk(cart.url, CART, { id: first.id })).cart).toEqual(addToCart);
      expect((await graphqlOk(cart.url, CART, {})).cart).toBeNull();
    });

    it('adds to the line of a product already in the cart', async () => {
      const cartId = await guestCart([['p-cap', 1], ['p-mug', 1], ['p-cap', 2]]);
      const { cart: found } = await graphqlOk(cart.url, CART, { id: cartId });
      expect(linesOf(found)).toEqual([['p-cap', 3], ['p-mug', 1]]);
      expect(found.subtotal.amount).toBe('44.75');
    });

    it('updates a quantity, removes with 0 or removeCartItem, and clears', async () => {
      const cartId = await guestCart([['p-shirt', 1], ['p-socks', 2], ['p-cap', 1]]);
      const updated = (await graphqlOk(cart.url, UPDATE, { cartId, productId: 'p-socks', quantity: 5 })).updateCartItem;
      expect(linesOf(updated)).toEqual([['p-shirt', 1], ['p-socks', 5], ['p-cap', 1]]);
      expect(updated.items[1].lineTotal).toEqual({ amount: '25.00', currencyCode: 'EUR' });
      expect(updated.subtotal.amount).toBe('57.49');

      const zeroed = (await graphqlOk(cart.url, UPDATE, { cartId, productId: 'p-shirt', quantity: 0 })).updateCartItem;
      expect(linesOf(zeroed)).toEqual([['p-socks', 5], ['p-cap', 1]]);
      const removed = (await graphqlOk(cart.url, REMOVE, { cartId, productId: 'p-cap' })).removeCartItem;
      expect(linesOf(removed)).toEqual([['p-socks', 5]]);
      expect(removed.itemCount).toBe(5);

      // Removing what is not there changes nothing (not even updatedAt).
      const again = (await graphqlOk(cart.url, REMOVE, { cartId, productId: 'p-cap' })).removeCartItem;
      expect(again).toEqual(removed);

      const cleared = (await graphqlOk(cart.url, CLEAR, { cartId })).clearCart;
      expect(cleared).toMatchObject({ id: cartId, items: [], itemCount: 0, subtotal: { amount: '0.00', currencyCode: 'EUR' } });
      expect((await cart.stored(cartId))?.lines).toEqual([]);
    });

    it('keeps a cart 7 days and restarts the 7 days on every change and read', async () => {
      const cartId = await guestCart([['p-shirt', 1]]);
      const ttl = () => cart.kv.ttl(`cart:${cartId}`);
      expect(await ttl()).toBeGreaterThan(WEEK - 10);
      expect(await ttl()).toBeLessThanOrEqual(WEEK);

      await cart.kv.expire(`cart:${cartId}`, 100);
      await graphqlOk(cart.url, UPDATE, { cartId, productId: 'p-shirt', quantity: 2 });
      expect(await ttl()).toBeGreaterThan(WEEK - 10);

      await cart.kv.expire(`cart:${cartId}`, 100);
      await graphqlOk(cart.url, CART, { id: cartId });
      expect(await ttl()).toBeGreaterThan(WEEK - 10);
    });

    it('shows a price change in products in the next subtotal', async () => {
      products.setPrice('p-lamp', '30.00');
      const cartId = await guestCart([['p-lamp', 2]]);
      expect((await graphqlOk(cart.url, CART, { id: cartId })).cart.subtotal.amount).toBe('60.00');
      products.setPrice('p-lamp', '24.99');
      const { cart: found } = await graphqlOk(cart.url, CART, { id: cartId });
      expect(found.subtotal).toEqual({ amount: '49.98', currencyCode: 'EUR' });
      expect(found.items[0].unitPrice).toEqual({ amount: '24.99', currencyCode: 'EUR' });
    });

    it('hides a product the catalog no longer knows and drops it on the next change', async () => {
      products.setPrice('p-gone', '3.00');
      const cartId = await guestCart([['p-gone', 1], ['p-mug', 2]]);
      products.forget('p-gone');
      const { cart: found } = await graphqlOk(cart.url, CART, { id: cartId });
      expect(linesOf(found)).toEqual([['p-mug', 2]]);
      expect(found).toMatchObject({ itemCount: 2, subtotal: { amount: '14.50' } });
      await graphqlOk(cart.url, ADD, { cartId, productId: 'p-mug', quantity: 1 });
      expect((await cart.stored(cartId))?.lines).toEqual([{ productId: 'p-mug', quantity: 3 }]);
    });

    it('answers NOT_FOUND for an unknown or malformed cart id and asks for one where it is needed', async () => {
      for (const cartId of ['A'.repeat(32), 'not a cart id']) {
        const read = await graphql(cart.url, CART, { id: cartId });
        expect(errorCodes(read)).toEqual(['NOT_FOUND']);
        expect(read.errors?.[0]?.extensions?.field).toBe('id');
        const add = await graphql(cart.url, ADD, { cartId, productId: 'p-shirt', quantity: 1 });
        expect(errorCodes(add)).toEqual(['NOT_FOUND']);
        expect(add.errors?.[0]?.extensions?.field).toBe('cartId');
      }
      const clear = await graphql(cart.url, CLEAR, {});
      expect(errorCodes(clear)).toEqual(['BAD_USER_INPUT']);
      expect(clear.errors?.[0]?.extensions?.field).toBe('cartId');
      expect(errorCodes(await graphql(cart.url, MERGE, { guestCartId: 'A'.repeat(32) }))).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('validation', () => {
    it('refuses bad quantities and unknown products with the field named, writing nothing', async () => {
      const cartId = await guestCart([['p-shirt', 98]]);
      const storedBefore = await cart.stored(cartId);
      const cases: Array<[string, Record<string, unknown>, string]> = [
        [ADD, { cartId, productId: 'p-socks', quantity: 0 }, 'quantity'],
        [ADD, { cartId, productId: 'p-socks', quantity: -1 }, 'quantity'],
        [ADD, { cartId, productId: 'p-socks', quantity: 100 }, 'quantity'],
        [ADD, { cartId, productId: 'p-shirt', quantity: 2 }, 'quantity'],
        [ADD, { cartId, productId: 'p-unknown', quantity: 1 }, 'productId'],
        [ADD, { cartId, productId: '', quantity: 1 }, 'productId'],
        [ADD, { productId: 'p-unknown', quantity: 1 }, 'productId'],
        [UPDATE, { cartId, productId: 'p-shirt', quantity: -1 }, 'quantity'],
        [UPDATE, { cartId, productId: 'p-shirt', quantity: 100 }, 'quantity'],
        [UPDATE, { cartId, productId: 'p-socks', quantity: 1 }, 'productId'],
      ];
      for (const [mutation, variables, field] of cases) {
        cart.kv.reset();
        const result = await graphql(cart.url, mutation, variables);
        expect([variables, errorCodes(result), result.errors?.[0]?.extensions?.field]).toEqual([variables, ['BAD_USER_INPUT'], field]);
        expect([variables, cart.kv.writes()]).toEqual([variables, 0]);
      }
      // A fractional quantity never reaches the resolver: GraphQL refuses it as an Int.
      cart.kv.reset();
      const fractional = await graphql(cart.url, ADD, { cartId, productId: 'p-socks', quantity: 1.5 });
      expect(errorCodes(fractional)).toEqual(['BAD_USER_INPUT']);
      expect(cart.kv.writes()).toBe(0);
      expect(await cart.stored(cartId)).toEqual(storedBefore);
    });

    it('refuses a product priced in another currency than the cart', async () => {
      const cartId = await guestCart([['p-shirt', 1]]);
      const result = await graphql(cart.url, ADD, { cartId, productId: 'p-yen', quantity: 1 });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.field).toBe('productId');
      expect(result.errors?.[0]?.message).toContain('JPY');
      expect((await cart.stored(cartId))?.lines).toEqual([{ productId: 'p-shirt', quantity: 1 }]);
    });

    it('holds at most 100 different products (CONFLICT for the 101st)', async () => {
      const ids = Array.from({ length: 101 }, (_, i) => `p-bulk-${i}`);
      for (const id of ids) products.setPrice(id, '1.00');
      const cartId = await guestCart(ids.slice(0, 100).map((id) => [id, 1]));
      const result = await graphql(cart.url, ADD, { cartId, productId: ids[100], quantity: 1 });
      expect(errorCodes(result)).toEqual(['CONFLICT']);
      const { cart: found } = await graphqlOk(cart.url, CART, { id: cartId });
      expect(found.items).toHaveLength(100);
      expect(found.subtotal.amount).toBe('100.00');
      // More of a product already in it is still fine.
      await graphqlOk(cart.url, ADD, { cartId, productId: ids[0], quantity: 1 });
    });
  });

  describe('signed-in carts', () => {
    it("keeps one cart per user and refuses every other caller (NOT_FOUND)", async () => {
      const alice = await token('user-alice-own');
      const bob = await token('user-bob-own');
      const first = (await graphqlOk(cart.url, ADD, { productId: 'p-shirt', quantity: 1 }, { token: alice })).addToCart;
      const second = (await graphqlOk(cart.url, ADD, { productId: 'p-socks', quantity: 1 }, { token: alice })).addToCart;
      expect(second.id).toBe(first.id);
      expect((await graphqlOk(cart.url, CART, {}, { token: alice })).cart).toEqual(second);
      expect((await graphqlOk(cart.url, CART, { id: first.id }, { token: alice })).cart).toEqual(second);
      expect(await cart.kv.get('user-cart:user-alice-own')).toBe(first.id);
      expect(await cart.kv.ttl('user-cart:user-alice-own')).toBeGreaterThan(WEEK - 10);

      expect((await graphqlOk(cart.url, CART, {}, { token: bob })).cart).toBeNull();
      for (const [operation, variables, options] of [
        [CART, { id: first.id }, { token: bob }],
        [CART, { id: first.id }, {}],
        [ADD, { cartId: first.id, productId: 'p-cap', quantity: 1 }, { token: bob }],
        [ADD, { cartId: first.id, productId: 'p-cap', quantity: 1 }, {}],
        [CLEAR, { cartId: first.id }, { token: bob }],
        [MERGE, { guestCartId: first.id }, { token: bob }],
      ] as const) {
        const result = await graphql(cart.url, operation, variables, options);
        expect(errorCodes(result)).toEqual(['NOT_FOUND']);
        expect(JSON.stringify(result.data)).not.toContain('p-shirt');
      }
      expect(linesOf((await graphqlOk(cart.url, CART, {}, { token: alice })).cart)).toEqual([['p-shirt', 1], ['p-socks', 1]]);
    });

    it('merges a guest cart into the user cart on login: quantities summed, guest cart gone, idempotent', async () => {
      const carol = await token('user-carol');
      await graphqlOk(cart.url, ADD, { productId: 'p-shirt', quantity: 1 }, { token: carol });
      await graphqlOk(cart.url, ADD, { productId: 'p-cap', quantity: 60 }, { token: carol });
      const guestId = await guestCart([['p-shirt', 2], ['p-socks', 1], ['p-cap', 50]]);

      const { mergeCart } = await graphqlOk(cart.url, MERGE, { guestCartId: guestId }, { token: carol });
      expect(mergeCart.id).not.toBe(guestId);
      // Summed, up to 99 per product; the guest's new products after the user's own.
      expect(linesOf(mergeCart)).toEqual([['p-shirt', 3], ['p-cap', 99], ['p-socks', 1]]);
      expect(await cart.stored(guestId)).toBeNull();
      expect(errorCodes(await graphql(cart.url, CART, { id: guestId }))).toEqual(['NOT_FOUND']);

      // Again (e.g. a retried login): the user's cart unchanged.
      const again = (await graphqlOk(cart.url, MERGE, { guestCartId: guestId }, { token: carol })).mergeCart;
      expect(again).toEqual(mergeCart);
      // Another user cannot read the merged cart.
      expect(errorCodes(await graphql(cart.url, CART, { id: mergeCart.id }, { token: await token('user-dave') }))).toEqual(['NOT_FOUND']);
    });

    it('gives a user without a cart the guest cart merged into a new cart of their own', async () => {
      const erin = await token('user-erin');
      const guestId = await guestCart([['p-mug', 2]]);
      const { mergeCart } = await graphqlOk(cart.url, MERGE, { guestCartId: guestId }, { token: erin });
      expect(linesOf(mergeCart)).toEqual([['p-mug', 2]]);
      expect(await cart.kv.get('user-cart:user-erin')).toBe(mergeCart.id);
      expect(await cart.stored(guestId)).toBeNull();
      // An unknown guest cart with no cart of one's own yet: an empty cart of one's own.
      const frank = await token('user-frank');
      const { mergeCart: empty } = await graphqlOk(cart.url, MERGE, { guestCartId: 'B'.repeat(32) }, { token: frank });
      expect(empty).toMatchObject({ items: [], itemCount: 0 });
      expect((await graphqlOk(cart.url, CART, {}, { token: frank })).cart.id).toBe(empty.id);
    });

    it('merges a guest cart first when a signed-in caller passes its id to addToCart or cart', async () => {
      const gina = await token('user-gina');
      await graphqlOk(cart.url, ADD, { productId: 'p-shirt', quantity: 1 }, { token: gina });
      const guestForAdd = await guestCart([['p-shirt', 1], ['p-socks', 1]]);
      const before = products.requests.length;
      const { addToCart } = await graphqlOk(cart.url, ADD, { cartId: guestForAdd, productId: 'p-socks', quantity: 2 }, { token: gina });
      expect(linesOf(addToCart)).toEqual([['p-shirt', 2], ['p-socks', 3]]);
      // Merge, add and the priced answer from one products request.
      expect(products.requests.length - before).toBe(1);
      expect(await cart.stored(guestForAdd)).toBeNull();

      const guestForRead = await guestCart([['p-mug', 1]]);
      const { cart: read } = await graphqlOk(cart.url, CART, { id: guestForRead }, { token: gina });
      expect(read.id).toBe(addToCart.id);
      expect(linesOf(read)).toEqual([['p-shirt', 2], ['p-socks', 3], ['p-mug', 1]]);
      expect(await cart.stored(guestForRead)).toBeNull();
      // The storefront may keep sending the merged guest id for a while: it means the user's cart.
      expect((await graphqlOk(cart.url, CART, { id: guestForRead }, { token: gina })).cart).toEqual(read);
    });

    it('refuses an unknown product before merging anything', async () => {
      const hana = await token('user-hana');
      const guestId = await guestCart([['p-mug', 1]]);
      cart.kv.reset();
      const result = await graphql(cart.url, ADD, { cartId: guestId, productId: 'p-unknown', quantity: 1 }, { token: hana });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(cart.kv.writes()).toBe(0);
      expect((await cart.stored(guestId))?.lines).toEqual([{ productId: 'p-mug', quantity: 1 }]);
    });
  });

  describe('concurrency', () => {
    it('keeps every unit of 20 concurrent adds to one cart', async () => {
      const cartId = await guestCart([['p-socks', 1]]);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => graphql(cart.url, ADD, { cartId, productId: 'p-shirt', quantity: 3 })),
      );
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      const { cart: found } = await graphqlOk(cart.url, CART, { id: cartId });
      expect(linesOf(found)).toEqual([['p-socks', 1], ['p-shirt', 60]]);
      expect(await cart.kv.get(`cart-lock:${cartId}`)).toBeNull();
    });

    it('keeps every unit of 20 concurrent adds to one cart spread over two replicas', async () => {
      const replica = await cart.replica();
      try {
        const cartId = await guestCart([['p-socks', 1]]);
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => graphql(i % 2 ? replica.url : cart.url, ADD, { cartId, productId: 'p-shirt', quantity: 3 })),
        );
        expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
        const { cart: found } = await graphqlOk(cart.url, CART, { id: cartId });
        expect(linesOf(found)).toEqual([['p-socks', 1], ['p-shirt', 60]]);
        expect(await cart.kv.get(`cart-lock:${cartId}`)).toBeNull();
      } finally {
        await replica.stop();
      }
    });

    it('keeps every line of 20 concurrent adds of different products', async () => {
      const ids = Array.from({ length: 20 }, (_, i) => `p-par-${i}`);
      for (const id of ids) products.setPrice(id, '2.50');
      const cartId = await guestCart([['p-socks', 1]]);
      await Promise.all(ids.map((productId) => graphqlOk(cart.url, ADD, { cartId, productId, quantity: 2 })));
      const { cart: found } = await graphqlOk(cart.url, CART, { id: cartId });
      expect(found.items).toHaveLength(21);
      expect(found.itemCount).toBe(41);
      expect(found.subtotal.amount).toBe('105.00');
    });

    it("creates one cart for a user's 20 concurrent first adds", async () => {
      const ivan = await token('user-ivan');
      const results = await Promise.all(
        Array.from({ length: 20 }, () => graphqlOk(cart.url, ADD, { productId: 'p-cap', quantity: 1 }, { token: ivan })),
      );
      expect(new Set(results.map((r) => r.addToCart.id)).size).toBe(1);
      expect(linesOf((await graphqlOk(cart.url, CART, {}, { token: ivan })).cart)).toEqual([['p-cap', 20]]);
    });

    it('moves a guest cart once when the same merge races', async () => {
      const jo = await token('user-jo');
      const guestId = await guestCart([['p-mug', 2]]);
      const merged = await Promise.all(
        Array.from({ length: 5 }, () => graphqlOk(cart.url, MERGE, { guestCartId: guestId }, { token: jo })),
      );
      expect(new Set(merged.map((m) => m.mergeCart.id)).size).toBe(1);
      expect(linesOf((await graphqlOk(cart.url, CART, {}, { token: jo })).cart)).toEqual([['p-mug', 2]]);
    });
  });
});
