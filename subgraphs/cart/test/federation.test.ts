import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql, graphqlOk } from '@shop/testing';
import { ADD, startCart, startProductsStandIn, STORES, token, type Harness, type ProductsStandIn } from './harness.js';

const CART_ENTITIES = `query($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Cart { id itemCount subtotal { amount currencyCode } items { product { id } quantity lineTotal { amount } } }
  }
}`;

interface CartEntity {
  id: string;
  itemCount: number;
  subtotal: { amount: string; currencyCode: string };
  items: Array<{ product: { id: string }; quantity: number; lineTotal: { amount: string } }>;
}

const carts = (ids: string[]) => ids.map((id) => ({ __typename: 'Cart', id }));

describe.each(STORES)('Cart entity on the %s', (_name, createStore) => {
  let products: ProductsStandIn;
  let cart: Harness;
  /** Ten guest carts; cart i holds products p-0 .. p-i, i + 1 units each. */
  const guestIds: string[] = [];
  let aliceCartId: string;
  let alice: string;

  beforeAll(async () => {
    products = await startProductsStandIn(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p-${i}`, `${i + 1}.10`])));
    cart = await startCart({ kv: createStore(), productsUrl: products.url });
    for (let i = 0; i < 10; i += 1) {
      let cartId: string | null = null;
      for (let p = 0; p <= i; p += 1) {
        cartId = (await graphqlOk(cart.url, ADD, { cartId, productId: `p-${p}`, quantity: i + 1 })).addToCart.id;
      }
      guestIds.push(cartId!);
    }
    alice = await token('user-alice');
    aliceCartId = (await graphqlOk(cart.url, ADD, { productId: 'p-0', quantity: 1 }, { token: alice })).addToCart.id;
  });

  afterAll(async () => {
    await cart?.stop();
    await products?.stop();
  });

  it('resolves many carts with one store round trip and one products request, in representation order', async () => {
    const ids = [...guestIds].reverse();
    const r = carts([...ids, 'C'.repeat(32), 'malformed']);
    cart.kv.reset();
    const before = products.requests.length;
    const { _entities } = await graphqlOk<{ _entities: Array<CartEntity | null> }>(cart.url, CART_ENTITIES, { r });
    expect(cart.kv.calls).toEqual({ getMany: 1 });
    const asked = products.requests.slice(before);
    expect(asked).toHaveLength(1);
    expect([...asked[0]!].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `p-${i}`));

    expect(_entities.map((entity) => entity?.id ?? null)).toEqual([...ids, null, null]);
    for (const entity of _entities.slice(0, 10)) {
      const i = guestIds.indexOf(entity!.id);
      expect(entity!.items.map((item) => [item.product.id, item.quantity])).toEqual(
        Array.from({ length: i + 1 }, (_, p) => [`p-${p}`, i + 1]),
      );
      expect(entity!.itemCount).toBe((i + 1) * (i + 1));
    }
    // Cart 2: 3 x (1.10 + 2.10 + 3.10) = 18.90, summed in minor units.
    expect(_entities[7]).toMatchObject({ id: guestIds[2], subtotal: { amount: '18.90', currencyCode: 'EUR' } });
  });

  it("resolves a user's cart for its owner only: null for anyone else, never an error", async () => {
    const r = carts([aliceCartId]);
    const own = await graphqlOk(cart.url, CART_ENTITIES, { r }, { token: alice });
    expect(own._entities).toEqual([expect.objectContaining({ id: aliceCartId, itemCount: 1 })]);
    for (const options of [{ token: await token('user-bob') }, {}]) {
      const other = await graphql(cart.url, CART_ENTITIES, { r }, options);
      expect(other.errors).toBeUndefined();
      expect(other.data?._entities).toEqual([null]);
    }
  });
});
