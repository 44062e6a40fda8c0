import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { eventually, graphql, graphqlOk, type GraphQLResponse } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Issue 14, variants a shopper can buy, end to end through the router on real PostgreSQL: two
// sizes of one T-shirt at different prices stay two lines in the cart, each at the variant's
// price (its own list price or the product's, less the product's discount), the order records
// each size (id, SKU, name, unit price), and stock is held per product over both lines.

let sg: Supergraph;
let admin: string;
let shopper: string;
let tee: { id: string; variants: Array<{ id: string; sku: string; size: string }> };
let hoodie: { id: string; variants: Array<{ id: string }> };
/** The order of both sizes, placed by the second test. */
let orderId: string;

const LINE = 'product { id } variant { id sku name size color price { amount currencyCode } } quantity unitPrice { amount currencyCode } lineTotal { amount }';
const CART = `id itemCount subtotal { amount currencyCode } items { ${LINE} }`;
const ADD = `mutation($c: ID, $p: ID!, $v: ID, $q: Int!) { addToCart(cartId: $c, productId: $p, variantId: $v, quantity: $q) { ${CART} } }`;
const CREATE = 'mutation($input: ProductInput!) { createProduct(input: $input) { id variants { id sku size } } }';
const ORDER_LINES = 'product { id } variant { id sku name size color } quantity unitPrice { amount currencyCode } lineTotal { amount }';
const refusal = (result: GraphQLResponse) => [result.errors?.[0]?.extensions?.code, result.errors?.[0]?.extensions?.field];
const size = (id: string) => tee.variants.find((variant) => variant.size === id)!;

// Registration (argon2) and checkout through every subgraph: minutes on a busy machine.
jest.setTimeout(180_000);

beforeAll(async () => {
  sg = await startSupergraph({ router: { options: { subgraphTimeoutMs: 60_000 } } });
  admin = (await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password })).login.accessToken;
  const categoryId = (await graphqlOk(sg.url, '{ categories { id slug } }')).categories.find((c: { slug: string }) => c.slug === 't-shirts').id;
  // 20.00 EUR, 10 % off: M costs the product's 18.00, XXL its own 23.50 less 10 %: 21.15.
  tee = (
    await graphqlOk(sg.url, CREATE, {
      input: {
        sku: 'VAR-TEE-1',
        name: 'Variant Test Tee',
        categoryId,
        basePrice: { amount: '20.00', currencyCode: 'EUR' },
        discount: { type: 'PERCENTAGE', value: '10' },
        variants: [
          { sku: 'VAR-TEE-1-M', size: 'M', color: 'Heather Grey' },
          { sku: 'VAR-TEE-1-XXL', size: 'XXL', color: 'Heather Grey', price: { amount: '23.50', currencyCode: 'EUR' } },
        ],
      },
    }, { token: admin })
  ).createProduct;
  hoodie = (
    await graphqlOk(sg.url, CREATE, {
      input: { sku: 'VAR-HOODIE-1', name: 'Variant Test Hoodie', categoryId, basePrice: { amount: '50.00', currencyCode: 'EUR' }, variants: [{ sku: 'VAR-HOODIE-1-L', size: 'L' }] },
    }, { token: admin })
  ).createProduct;
  await graphqlOk(sg.url, 'mutation($p: ID!) { setStock(productId: $p, quantity: 10) { id } }', { p: tee.id }, { token: admin });
  shopper = (await graphqlOk(sg.url, 'mutation { register(input: { email: "variants@e2e.test", password: "a-strong-password-1", name: "Vera" }) { accessToken } }')).register.accessToken;
}, 180_000);

afterAll(async () => {
  await sg?.stop();
});

describe('variants in the cart and on the order', () => {
  it('refuses a variant of another product or an unknown variant, naming variantId', async () => {
    const guest = (await graphqlOk(sg.url, ADD, { p: hoodie.id, v: hoodie.variants[0]!.id, q: 1 })).addToCart;
    expect(guest.items.map((item: { variant: { sku: string } }) => item.variant.sku)).toEqual(['VAR-HOODIE-1-L']);
    expect(guest.subtotal).toEqual({ amount: '50.00', currencyCode: 'EUR' });
    expect(refusal(await graphql(sg.url, ADD, { c: guest.id, p: hoodie.id, v: size('M').id, q: 1 }))).toEqual(['BAD_USER_INPUT', 'variantId']);
    expect(refusal(await graphql(sg.url, ADD, { c: guest.id, p: hoodie.id, v: 'no-such-variant', q: 1 }))).toEqual(['BAD_USER_INPUT', 'variantId']);
    // Nothing was added by the refusals.
    expect((await graphqlOk(sg.url, 'query($id: ID) { cart(id: $id) { itemCount } }', { id: guest.id })).cart.itemCount).toBe(1);
  });

  it('keeps two sizes as two lines at their own prices, sums exactly, and the order records each size', async () => {
    const token = shopper;
    const add = async (v: string, q: number) => (await graphqlOk(sg.url, ADD, { p: tee.id, v, q }, { token })).addToCart;
    await add(size('M').id, 2);
    await add(size('XXL').id, 1);
    const cart = await add(size('M').id, 1);
    expect(cart.items).toEqual([
      {
        product: { id: tee.id },
        variant: { id: size('M').id, sku: 'VAR-TEE-1-M', name: 'M / Heather Grey', size: 'M', color: 'Heather Grey', price: { amount: '18.00', currencyCode: 'EUR' } },
        quantity: 3,
        unitPrice: { amount: '18.00', currencyCode: 'EUR' },
        lineTotal: { amount: '54.00' },
      },
      {
        product: { id: tee.id },
        variant: { id: size('XXL').id, sku: 'VAR-TEE-1-XXL', name: 'XXL / Heather Grey', size: 'XXL', color: 'Heather Grey', price: { amount: '21.15', currencyCode: 'EUR' } },
        quantity: 1,
        unitPrice: { amount: '21.15', currencyCode: 'EUR' },
        lineTotal: { amount: '21.15' },
      },
    ]);
    expect(cart.subtotal).toEqual({ amount: '75.15', currencyCode: 'EUR' });
    expect(cart.itemCount).toBe(4);

    // A promotion code takes its share of the variant prices: 10 % of 75.15, rounded half up.
    await graphqlOk(sg.url, 'mutation { createPromotion(input: { code: "SIZES10", kind: PERCENTAGE, value: "10" }) { id } }', {}, { token: admin });
    const promo = (await graphqlOk(sg.url, 'mutation { applyPromoCode(code: "sizes10") { discount { amount } total { amount } } }', {}, { token })).applyPromoCode;
    expect(promo).toEqual({ discount: { amount: '7.52' }, total: { amount: '67.63' } });

    // Holds are per product: both sizes hold 4 units of the tee.
    await graphqlOk(sg.url, 'mutation { holdCart(seconds: 300) { cartId } }', {}, { token });
    const stock = async () => (await graphqlOk(sg.url, 'query($id: ID!) { product(id: $id) { stock { available reserved } } }', { id: tee.id })).product.stock;
    expect(await stock()).toEqual({ available: 6, reserved: 4 });

    const addressId = (
      await graphqlOk(sg.url, 'mutation { addAddress(input: { name: "Vera", line1: "Hauptstr. 1", city: "Berlin", postalCode: "10115", country: "DE" }) { id } }', {}, { token })
    ).addAddress.id;
    const { checkout } = await graphqlOk(
      sg.url,
      `mutation($input: CheckoutInput!) { checkout(input: $input) { id subtotal { amount } discount { amount } promoCode items { ${ORDER_LINES} } } }`,
      { input: { cartId: cart.id, shippingAddressId: addressId, shippingMethodId: 'standard', idempotencyKey: `variants-${randomUUID()}` } },
      { token },
    );
    orderId = checkout.id;
    expect(checkout.subtotal).toEqual({ amount: '75.15' });
    expect([checkout.discount, checkout.promoCode]).toEqual([{ amount: '7.52' }, 'SIZES10']);
    expect(checkout.items).toEqual([
      {
        product: { id: tee.id },
        variant: { id: size('M').id, sku: 'VAR-TEE-1-M', name: 'M / Heather Grey', size: 'M', color: 'Heather Grey' },
        quantity: 3,
        unitPrice: { amount: '18.00', currencyCode: 'EUR' },
        lineTotal: { amount: '54.00' },
      },
      {
        product: { id: tee.id },
        variant: { id: size('XXL').id, sku: 'VAR-TEE-1-XXL', name: 'XXL / Heather Grey', size: 'XXL', color: 'Heather Grey' },
        quantity: 1,
        unitPrice: { amount: '21.15', currencyCode: 'EUR' },
        lineTotal: { amount: '21.15' },
      },
    ]);
    // The hold became the order's reservation: still 4 units of the one product.
    expect(await stock()).toEqual({ available: 6, reserved: 4 });

    // Order history and the admin's read show the same snapshot, whatever the catalog does next.
    await graphqlOk(sg.url, 'mutation($id: ID!) { updateProduct(id: $id, input: { variants: [{ sku: "VAR-TEE-1-S", size: "S" }] }) { id } }', { id: tee.id }, { token: admin });
    const history = (await graphqlOk(sg.url, '{ me { orders(first: 5) { edges { node { id items { variant { sku name } } } } } } }', {}, { token })).me.orders.edges;
    expect(history.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([checkout.id]);
    expect(history[0].node.items).toEqual([{ variant: { sku: 'VAR-TEE-1-M', name: 'M / Heather Grey' } }, { variant: { sku: 'VAR-TEE-1-XXL', name: 'XXL / Heather Grey' } }]);
    const asAdmin = await graphqlOk(sg.url, 'query($id: ID!) { order(id: $id) { items { variant { sku } quantity } } }', { id: checkout.id }, { token: admin });
    expect(asAdmin.order.items).toEqual([{ variant: { sku: 'VAR-TEE-1-M' }, quantity: 3 }, { variant: { sku: 'VAR-TEE-1-XXL' }, quantity: 1 }]);
    // The cart was emptied by checkout.
    expect((await graphqlOk(sg.url, '{ cart { items { quantity } } }', {}, { token })).cart.items).toEqual([]);
  });

  it('refunds the line of one size: the refund names the variant, the other size stays', async () => {
    const token = shopper;
    const status = async () => (await graphqlOk(sg.url, 'query($id: ID!) { order(id: $id) { status } }', { id: orderId }, { token })).order.status as string;
    await graphqlOk(sg.url, 'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status } }', { id: orderId }, { token });
    await eventually(status, (s) => s === 'PAID', 60_000);
    const shipment = (await graphqlOk(sg.url, 'mutation($id: ID!) { createShipment(orderId: $id, carrier: "DHL", trackingNumber: "JD0146000099") { id } }', { id: orderId }, { token: admin }))
      .createShipment;
    await eventually(status, (s) => s === 'SHIPPED', 60_000);
    await graphqlOk(sg.url, 'mutation($id: ID!) { markDelivered(shipmentId: $id) { id } }', { id: shipment.id }, { token: admin });
    await eventually(status, (s) => s === 'DELIVERED', 60_000);
    await graphqlOk(sg.url, 'mutation($id: ID!) { requestReturn(id: $id, reason: "XXL is too big") { status } }', { id: orderId }, { token });

    const REFUND = `mutation($id: ID!, $items: [RefundItemInput!]!, $key: String!) { refundOrderItems(orderId: $id, items: $items, idempotencyKey: $key) {
      status items { variant { sku } refundedQuantity } refunds { items { variantId quantity amount { amount } } } } }`;
    // The order holds the tee in two sizes: a refund must say which.
    const ambiguous = await graphql(sg.url, REFUND, { id: orderId, items: [{ productId: tee.id, quantity: 1 }], key: 'variants-refund-0' }, { token: admin });
    expect(refusal(ambiguous)).toEqual(['BAD_USER_INPUT', 'items[0].variantId']);
    const { refundOrderItems } = await graphqlOk(sg.url, REFUND, { id: orderId, items: [{ productId: tee.id, variantId: size('XXL').id, quantity: 1 }], key: 'variants-refund-1' }, { token: admin });
    expect(refundOrderItems.status).toBe('PARTIALLY_REFUNDED');
    expect(refundOrderItems.items).toEqual([
      { variant: { sku: 'VAR-TEE-1-M' }, refundedQuantity: 0 },
      { variant: { sku: 'VAR-TEE-1-XXL' }, refundedQuantity: 1 },
    ]);
    // 21.15 less its share of the 7.52 discount (pro rata to 21.15 of 75.15: 2.12).
    expect(refundOrderItems.refunds).toEqual([{ items: [{ variantId: size('XXL').id, quantity: 1, amount: { amount: '19.03' } }] }]);
  });

  it('still takes a product without a variant from clients that send none: the product itself at its own price', async () => {
    const cart = (await graphqlOk(sg.url, ADD, { p: hoodie.id, q: 2 })).addToCart;
    expect(cart.items).toEqual([expect.objectContaining({ variant: null, quantity: 2, unitPrice: { amount: '50.00', currencyCode: 'EUR' } })]);
  });
});
