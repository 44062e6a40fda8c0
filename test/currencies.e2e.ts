import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createRedisStore, type KeyValueStore } from '@shop/kv';
import { errorCodes, eventually, graphql, graphqlOk, type GraphQLResponse } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Issue 13, currencies through the router: admin exchange rates and fixed prices, products priced
// in the shopper's currency (JPY has no minor unit), a signed-in shopper's cart, order and payment
// in their preferred currency, a guest's in the store's. Real PostgreSQL; carts on Redis.
let sg: Supergraph;
let kv: KeyValueStore;
let admin: string;
let productId: string;
let eurMinor: number;

const field = (result: GraphQLResponse) => ({ code: errorCodes(result)[0], field: result.errors?.[0]?.extensions?.field });
const priceIn = async (currency: string | null) =>
  (await graphqlOk(sg.url, 'query($id: ID!, $c: String) { product(id: $id) { price(currency: $c) { amount currencyCode } } }', { id: productId, c: currency })).product.price;

/** 19.99 EUR at 160.5 -> 3208.395 -> 3208 JPY: half away from zero at the yen. */
const toYen = (cents: number) => Math.round((cents * 1605) / 1000);

// Each test registers customers (argon2) and checks out through the whole stack: minutes on a busy machine.
jest.setTimeout(180_000);

beforeAll(async () => {
  kv = createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: `currencies-e2e:${randomUUID()}:` });
  // Correctness under contention, not latency: a loaded machine must not turn a slow checkout into a timeout.
  sg = await startSupergraph({ kv, router: { options: { subgraphTimeoutMs: 60_000 } } });
  admin = (await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password })).login
    .accessToken;
  const product = (await graphqlOk(sg.url, '{ products(first: 1) { edges { node { id price { amount currencyCode } } } } }')).products.edges[0].node;
  productId = product.id;
  eurMinor = Math.round(Number(product.price.amount) * 100);
  await graphqlOk(sg.url, 'mutation($id: ID!) { setStock(productId: $id, quantity: 100) { id } }', { id: productId }, { token: admin });
}, 120_000);

afterAll(async () => {
  await sg?.stop();
  await kv?.close();
});

describe('currencies through the router', () => {
  it('lets admins set exchange rates and fixed prices, refusing what is not one', async () => {
    const rate = await graphqlOk(sg.url, 'mutation { setExchangeRate(from: "EUR", to: "JPY", rate: "160.50") { from to rate updatedAt } }', {}, { token: admin });
    expect(rate.setExchangeRate).toMatchObject({ from: 'EUR', to: 'JPY', rate: '160.5' });
    expect(field(await graphql(sg.url, 'mutation { setExchangeRate(from: "EUR", to: "XYZ", rate: "2") { rate } }', {}, { token: admin }))).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(field(await graphql(sg.url, 'mutation { setExchangeRate(from: "EUR", to: "USD", rate: "-1") { rate } }', {}, { token: admin }))).toEqual({ code: 'BAD_USER_INPUT', field: 'rate' });

    const customer = (await graphqlOk(sg.url, 'mutation { register(input: { email: "rates@e2e.test", password: "a-strong-password-1", name: "Ray" }) { accessToken } }')).register
      .accessToken;
    expect(errorCodes(await graphql(sg.url, 'mutation { setExchangeRate(from: "EUR", to: "GBP", rate: "0.86") { rate } }', {}, { token: customer }))).toEqual(['FORBIDDEN']);
    expect((await graphqlOk(sg.url, '{ exchangeRates { from to rate } }')).exchangeRates).toEqual([{ from: 'EUR', to: 'JPY', rate: '160.5' }]);

    const fixed = await graphqlOk(
      sg.url,
      'mutation($id: ID!) { setProductPrice(productId: $id, price: { amount: "25.00", currencyCode: "USD" }) { prices { amount currencyCode } } }',
      { id: productId },
      { token: admin },
    );
    expect(fixed.setProductPrice.prices).toEqual([{ amount: '25.00', currencyCode: 'USD' }]);
    const own = await graphql(sg.url, 'mutation($id: ID!) { setProductPrice(productId: $id, price: { amount: "9.99", currencyCode: "EUR" }) { id } }', { id: productId }, { token: admin });
    expect(field(own)).toEqual({ code: 'BAD_USER_INPUT', field: 'price.currencyCode' });
    const fraction = await graphql(sg.url, 'mutation($id: ID!) { setProductPrice(productId: $id, price: { amount: "12.5", currencyCode: "JPY" }) { id } }', { id: productId }, { token: admin });
    expect(field(fraction)).toEqual({ code: 'BAD_USER_INPUT', field: 'price.amount' });
  });

  it("prices a product in the shopper's currency: fixed, converted to whole yen, or its own", async () => {
    expect(await priceIn('JPY')).toEqual({ amount: String(toYen(eurMinor)), currencyCode: 'JPY' });
    expect(await priceIn('USD')).toEqual({ amount: '25.00', currencyCode: 'USD' });
    // No fixed price and no rate: the product's own price, and its currency says so.
    expect(await priceIn('GBP')).toEqual({ amount: (eurMinor / 100).toFixed(2), currencyCode: 'EUR' });
    expect(await priceIn(null)).toEqual({ amount: (eurMinor / 100).toFixed(2), currencyCode: 'EUR' });
    const bad = await graphql(sg.url, 'query($id: ID!) { product(id: $id) { price(currency: "yen") { amount } } }', { id: productId });
    expect(field(bad)).toEqual({ code: 'BAD_USER_INPUT', field: 'currency' });
  });

  it("prices a product's variants in the shopper's currency too, as the product where they have no price of their own", async () => {
    const variants = async (currency: string) =>
      (await graphqlOk(sg.url, 'query($id: ID!, $c: String) { product(id: $id) { variants { sku price(currency: $c) { amount currencyCode } } } }', { id: productId, c: currency })).product
        .variants as Array<{ sku: string; price: { amount: string; currencyCode: string } }>;
    // The demo T-shirt comes in sizes, none of them priced apart from it.
    const inYen = await variants('JPY');
    expect(inYen.length).toBeGreaterThan(1);
    for (const variant of inYen) expect(variant.price).toEqual({ amount: String(toYen(eurMinor)), currencyCode: 'JPY' });
    for (const variant of await variants('USD')) expect(variant.price).toEqual({ amount: '25.00', currencyCode: 'USD' });
    const bad = await graphql(sg.url, 'query($id: ID!) { product(id: $id) { variants { price(currency: "yen") { amount } } } }', { id: productId });
    expect(field(bad)).toEqual({ code: 'BAD_USER_INPUT', field: 'currency' });
  });

  it("searches in the shopper's currency: price bounds, facets and range on the amounts price(currency:) answers", async () => {
    const SEARCH = `query($c: String, $f: SearchFilter) { searchProducts(currency: $c, filter: $f, sort: PRICE_ASC, first: 100) {
      totalCount nodes { id price(currency: $c) { amount currencyCode } } facets { field values { value count } } priceRange { min { amount currencyCode } max { amount currencyCode } } } }`;
    const search = async (currency: string, filter: object = {}) => (await graphqlOk(sg.url, SEARCH, { c: currency, f: filter })).searchProducts;
    const yen = String(toYen(eurMinor));
    // The rate and the fixed price reached the index as republished products (events).
    const exact = await eventually(
      () => search('JPY', { priceMin: yen, priceMax: yen }),
      (page) => page.nodes.some((node: { id: string }) => node.id === productId),
    );
    for (const node of exact.nodes) expect(node.price).toEqual({ amount: yen, currencyCode: 'JPY' });
    const dollars = await eventually(
      () => search('USD', { priceMin: '25.00', priceMax: '25.00' }),
      (page) => page.nodes.some((node: { id: string }) => node.id === productId),
    );
    expect(dollars.nodes).toContainEqual({ id: productId, price: { amount: '25.00', currencyCode: 'USD' } });

    const bounded = await search('JPY', { priceMin: '2500', priceMax: '4999' });
    expect(bounded.totalCount).toBeGreaterThan(0);
    for (const node of bounded.nodes) {
      expect(node.price.currencyCode).toBe('JPY');
      expect(Number(node.price.amount)).toBeGreaterThanOrEqual(2500);
      expect(Number(node.price.amount)).toBeLessThanOrEqual(4999);
    }
    // Facets and the range are in yen, whole units, over every product priced in yen.
    const all = await search('JPY');
    const prices = all.facets.find((facet: { field: string }) => facet.field === 'price').values;
    expect(prices).toContainEqual({ value: '2500-4999', count: bounded.totalCount });
    for (const { value } of prices) expect(value).toMatch(/^\d+-\d*$/);
    expect(prices.reduce((total: number, { count }: { count: number }) => total + count, 0)).toBe(all.totalCount);
    expect(all.priceRange.min.currencyCode).toBe('JPY');
    expect(all.priceRange.min).toEqual(all.nodes[0].price);
    expect(field(await graphql(sg.url, SEARCH, { c: 'yen' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'currency' });
    expect(field(await graphql(sg.url, SEARCH, { c: 'JPY', f: { priceMin: '10.50' } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.priceMin' });
  });

  it("keeps a signed-in shopper's cart, order and payment in their preferred currency, a guest's in the store's", async () => {
    const token = (await graphqlOk(sg.url, 'mutation { register(input: { email: "yen@e2e.test", password: "a-strong-password-1", name: "Yuki" }) { accessToken } }')).register
      .accessToken;
    await graphqlOk(sg.url, 'mutation { updatePreferences(input: { currency: "JPY" }) { currency } }', {}, { token });
    const cart = (
      await graphqlOk(sg.url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 2) { id subtotal { amount currencyCode } items { unitPrice { amount currencyCode } } } }', { p: productId }, { token })
    ).addToCart;
    const yen = toYen(eurMinor);
    expect(cart.items[0].unitPrice).toEqual({ amount: String(yen), currencyCode: 'JPY' });
    expect(cart.subtotal).toEqual({ amount: String(yen * 2), currencyCode: 'JPY' });

    const guest = (await graphqlOk(sg.url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { subtotal { amount currencyCode } } }', { p: productId })).addToCart;
    expect(guest.subtotal).toEqual({ amount: (eurMinor / 100).toFixed(2), currencyCode: 'EUR' });

    // A promotion with an amount in euros is for euro carts.
    await graphqlOk(sg.url, 'mutation { createPromotion(input: { code: "EURO5", kind: FIXED_AMOUNT, value: "5.00" }) { id } }', {}, { token: admin });
    const euro = await graphql(sg.url, 'mutation { applyPromoCode(code: "EURO5") { id } }', {}, { token });
    expect(field(euro)).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
    expect(euro.errors?.[0]?.message).toBe('EURO5 is only valid for orders in EUR');
    await graphqlOk(sg.url, 'mutation { createPromotion(input: { code: "YEN10", kind: PERCENTAGE, value: "10" }) { id } }', {}, { token: admin });
    await graphqlOk(sg.url, 'mutation { applyPromoCode(code: "YEN10") { id } }', {}, { token });

    const addressId = (
      await graphqlOk(sg.url, 'mutation { addAddress(input: { name: "Yuki", line1: "1-1 Chiyoda", city: "Tokyo", postalCode: "100-0001", country: "JP" }) { id } }', {}, { token })
    ).addAddress.id;
    const order = (
      await graphqlOk(
        sg.url,
        'mutation($input: CheckoutInput!) { checkout(input: $input) { id subtotal { amount currencyCode } shipping { amount currencyCode } discount { amount } total { amount currencyCode } items { unitPrice { amount } } } }',
        { input: { cartId: cart.id, shippingAddressId: addressId, shippingMethodId: 'standard', idempotencyKey: `yen-${randomUUID()}` } },
        { token },
      )
    ).checkout;
    const discount = Math.round((yen * 2) / 10);
    expect(order.subtotal).toEqual({ amount: String(yen * 2), currencyCode: 'JPY' });
    expect(order.shipping.currencyCode).toBe('JPY');
    expect(order.shipping.amount).toMatch(/^\d+$/);
    expect(order.discount.amount).toBe(String(discount));
    expect(order.total).toEqual({ amount: String(yen * 2 + Number(order.shipping.amount) - discount), currencyCode: 'JPY' });

    const payment = await graphqlOk(sg.url, 'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status amount { amount currencyCode } } }', { id: order.id }, { token });
    expect(payment.payOrder.amount).toEqual(order.total);
  });
});
