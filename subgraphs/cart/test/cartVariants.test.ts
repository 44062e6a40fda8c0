import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql, graphqlOk, type GraphQLResponse } from '@shop/testing';
import { startCart, startProductsStandIn, STORES, token, type Harness, type ProductsStandIn } from './harness.js';

// Issue 14: a line is a product in one variant (size, colour), priced as products prices that
// variant; guest lines keep their variants when they are merged into a signed-in shopper's cart.

const LINE = 'product { id } variant { id product { id } } quantity unitPrice { amount currencyCode } lineTotal { amount }';
const FIELDS = `id itemCount subtotal { amount currencyCode } items { ${LINE} }`;
const ADD = `mutation($cartId: ID, $productId: ID!, $variantId: ID, $quantity: Int!) {
  addToCart(cartId: $cartId, productId: $productId, variantId: $variantId, quantity: $quantity) { ${FIELDS} } }`;
const UPDATE = `mutation($cartId: ID, $productId: ID!, $variantId: ID, $quantity: Int!) {
  updateCartItem(cartId: $cartId, productId: $productId, variantId: $variantId, quantity: $quantity) { ${FIELDS} } }`;
const REMOVE = `mutation($cartId: ID, $productId: ID!, $variantId: ID) {
  removeCartItem(cartId: $cartId, productId: $productId, variantId: $variantId) { ${FIELDS} } }`;
const MERGE = `mutation($guestCartId: ID!) { mergeCart(guestCartId: $guestCartId) { ${FIELDS} } }`;

type Line = { product: { id: string }; variant: { id: string; product: { id: string } } | null; quantity: number; unitPrice: { amount: string } };
/** A cart's lines as [productId, variantId, quantity, unit price]. */
const linesOf = (cart: { items: Line[] }) => cart.items.map((item) => [item.product.id, item.variant?.id ?? null, item.quantity, item.unitPrice.amount]);
const refusal = (result: GraphQLResponse) => [result.errors?.[0]?.extensions?.code, result.errors?.[0]?.extensions?.field];

describe.each(STORES)('variant lines on the %s', (_name, createStore) => {
  let products: ProductsStandIn;
  let cart: Harness;

  beforeAll(async () => {
    products = await startProductsStandIn({ 'p-tee': '20.00', 'p-hoodie': '50.00', 'p-mug': '7.25' });
    // M costs the tee's price, XXL its own (the stand-in answers as products does: discount applied).
    products.setVariants('p-tee', { 'v-tee-m': '20.00', 'v-tee-xxl': '23.50' });
    products.setVariants('p-hoodie', { 'v-hoodie-m': '50.00' });
    cart = await startCart({ kv: createStore(), productsUrl: products.url });
  });

  afterAll(async () => {
    await cart?.stop();
    await products?.stop();
  });

  async function add(productId: string, variantId: string | null, quantity: number, options: { cartId?: string | null; token?: string } = {}) {
    const { token: bearer, cartId = null } = options;
    return (await graphqlOk(cart.url, ADD, { cartId, productId, variantId, quantity }, bearer ? { token: bearer } : {})).addToCart;
  }

  it('keeps two variants of a product as two lines, each at its own price, and sums them exactly', async () => {
    let guest = await add('p-tee', 'v-tee-m', 2);
    guest = await add('p-tee', 'v-tee-xxl', 1, { cartId: guest.id });
    guest = await add('p-tee', 'v-tee-m', 1, { cartId: guest.id });
    expect(linesOf(guest)).toEqual([
      ['p-tee', 'v-tee-m', 3, '20.00'],
      ['p-tee', 'v-tee-xxl', 1, '23.50'],
    ]);
    expect(guest.items[1].variant).toEqual({ id: 'v-tee-xxl', product: { id: 'p-tee' } });
    expect(guest.subtotal).toEqual({ amount: '83.50', currencyCode: 'EUR' });
    expect(guest.itemCount).toBe(4);
    // Stored by product and variant; a product sold in one form is stored as before variants.
    const withMug = await add('p-mug', null, 1, { cartId: guest.id });
    expect((await cart.stored(withMug.id))?.lines).toEqual([
      { productId: 'p-tee', variantId: 'v-tee-m', quantity: 3 },
      { productId: 'p-tee', variantId: 'v-tee-xxl', quantity: 1 },
      { productId: 'p-mug', quantity: 1 },
    ]);
  });

  it('refuses a variant of another product or an unknown one on variantId, writing nothing', async () => {
    const guest = await add('p-tee', 'v-tee-m', 1);
    cart.kv.reset();
    for (const variantId of ['v-hoodie-m', 'v-nope']) {
      expect(refusal(await graphql(cart.url, ADD, { cartId: guest.id, productId: 'p-tee', variantId, quantity: 1 }))).toEqual(['BAD_USER_INPUT', 'variantId']);
    }
    expect(refusal(await graphql(cart.url, ADD, { cartId: guest.id, productId: 'p-mug', variantId: 'v-tee-m', quantity: 1 }))).toEqual(['BAD_USER_INPUT', 'variantId']);
    expect(cart.kv.writes()).toBe(0);
  });

  it('changes and removes the line of one variant, and asks which when a product has several', async () => {
    let guest = await add('p-tee', 'v-tee-m', 1);
    guest = await add('p-tee', 'v-tee-xxl', 1, { cartId: guest.id });
    const updated = (await graphqlOk(cart.url, UPDATE, { cartId: guest.id, productId: 'p-tee', variantId: 'v-tee-xxl', quantity: 4 })).updateCartItem;
    expect(linesOf(updated)).toEqual([
      ['p-tee', 'v-tee-m', 1, '20.00'],
      ['p-tee', 'v-tee-xxl', 4, '23.50'],
    ]);
    expect(refusal(await graphql(cart.url, UPDATE, { cartId: guest.id, productId: 'p-tee', quantity: 2 }))).toEqual(['BAD_USER_INPUT', 'variantId']);
    expect(refusal(await graphql(cart.url, REMOVE, { cartId: guest.id, productId: 'p-tee' }))).toEqual(['BAD_USER_INPUT', 'variantId']);
    const removed = (await graphqlOk(cart.url, REMOVE, { cartId: guest.id, productId: 'p-tee', variantId: 'v-tee-m' })).removeCartItem;
    expect(linesOf(removed)).toEqual([['p-tee', 'v-tee-xxl', 4, '23.50']]);
    // One line of the product left: a client from before variants can address it without the variant.
    const cleared = (await graphqlOk(cart.url, UPDATE, { cartId: guest.id, productId: 'p-tee', quantity: 0 })).updateCartItem;
    expect(cleared.items).toEqual([]);
  });

  it('merges guest variant lines into the signed-in cart: same variant summed, other variants kept apart', async () => {
    const ivy = await token('user-ivy-variants');
    await add('p-tee', 'v-tee-m', 1, { token: ivy });
    await add('p-hoodie', 'v-hoodie-m', 1, { token: ivy });
    let guest = await add('p-tee', 'v-tee-m', 2);
    guest = await add('p-tee', 'v-tee-xxl', 1, { cartId: guest.id });
    guest = await add('p-mug', null, 3, { cartId: guest.id });

    const { mergeCart } = await graphqlOk(cart.url, MERGE, { guestCartId: guest.id }, { token: ivy });
    expect(linesOf(mergeCart)).toEqual([
      ['p-tee', 'v-tee-m', 3, '20.00'],
      ['p-hoodie', 'v-hoodie-m', 1, '50.00'],
      ['p-tee', 'v-tee-xxl', 1, '23.50'],
      ['p-mug', null, 3, '7.25'],
    ]);
    expect(mergeCart.subtotal).toEqual({ amount: '155.25', currencyCode: 'EUR' });
    expect(await cart.stored(guest.id)).toBeNull();
  });

  it('hides a line whose variant the catalog no longer sells, like a product it no longer knows', async () => {
    products.setVariants('p-hoodie', { 'v-hoodie-m': '50.00', 'v-hoodie-l': '52.00' });
    let guest = await add('p-hoodie', 'v-hoodie-l', 1);
    guest = await add('p-mug', null, 1, { cartId: guest.id });
    products.setVariants('p-hoodie', { 'v-hoodie-m': '50.00' });
    const read = (await graphqlOk(cart.url, `query($id: ID) { cart(id: $id) { ${FIELDS} } }`, { id: guest.id })).cart;
    expect(linesOf(read)).toEqual([['p-mug', null, 1, '7.25']]);
    expect(read.subtotal.amount).toBe('7.25');
  });
});
