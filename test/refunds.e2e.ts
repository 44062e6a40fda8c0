import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { errorCodes, eventually, graphql, graphqlOk, type GraphQLResponse } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Issue 13, pro-rata partial refunds through the router: a returned order with a 10 % code,
// refunded line by line (each unit's price less its share of the discount, the shipping with the
// last refund), idempotent by key, never past what was charged; order and payment statuses
// follow. Real PostgreSQL; the payment through the simulated provider.
let sg: Supergraph;
let admin: string;
let customer: string;
type PlacedOrder = {
  id: string;
  total: { amount: string };
  shipping: { amount: string };
  items: { product: { id: string }; quantity: number; unitPrice: { amount: string }; discount: { amount: string } }[];
};
let order: PlacedOrder;
let products: string[];

const minor = (amount: string) => Math.round(Number(amount) * 100);
const eur = (value: number) => (value / 100).toFixed(2);
const REFUND = `mutation($id: ID!, $items: [RefundItemInput!]!, $key: String!) { refundOrderItems(orderId: $id, items: $items, idempotencyKey: $key) {
  status refunded { amount } items { product { id } refundedQuantity } refunds { amount { amount currencyCode } shipping { amount } items { product { id } quantity amount { amount } } } } }`;
const refund = (items: { productId: string; quantity: number }[], key: string, token = admin, id = order.id): Promise<GraphQLResponse> =>
  graphql(sg.url, REFUND, { id, items, key }, { token });
const payment = async (id = order.id) =>
  (await graphqlOk(sg.url, 'query($id: ID!) { order(id: $id) { status refunded { amount } items { refundedQuantity } payment { status amount { amount } refunded { amount } } } }', { id }, { token: customer })).order;
/** The line of three units, then the line of one. */
const lines = () => [order.items.find((item) => item.quantity === 3)!, order.items.find((item) => item.quantity === 1)!] as const;
const status = async (id = order.id) => (await payment(id)).status as string;
const refusal = (result: GraphQLResponse) => ({
  code: errorCodes(result)[0],
  field: result.errors?.[0]?.extensions?.field,
  reason: result.errors?.[0]?.extensions?.reason,
});

// Registration (argon2), checkout, shipping and delivery by events: minutes on a busy machine.
jest.setTimeout(180_000);

beforeAll(async () => {
  sg = await startSupergraph({ router: { options: { subgraphTimeoutMs: 60_000 } } });
  admin = (await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password })).login
    .accessToken;
  products = (await graphqlOk(sg.url, '{ products(first: 2) { edges { node { id } } } }')).products.edges.map((edge: { node: { id: string } }) => edge.node.id);
  for (const id of products) await graphqlOk(sg.url, 'mutation($id: ID!) { setStock(productId: $id, quantity: 50) { id } }', { id }, { token: admin });
  await graphqlOk(sg.url, 'mutation { createPromotion(input: { code: "RETURN10", kind: PERCENTAGE, value: "10" }) { id } }', {}, { token: admin });

  customer = (await graphqlOk(sg.url, 'mutation { register(input: { email: "refunds@e2e.test", password: "a-strong-password-1", name: "Rui" }) { accessToken } }')).register
    .accessToken;
  order = await placePaidOrder();
}, 180_000);

/** Three units of one product and one of another, 10 % off, paid. */
async function placePaidOrder(): Promise<PlacedOrder> {
  const token = customer;
  let cartId = '';
  for (const [i, id] of products.entries()) {
    cartId = (await graphqlOk(sg.url, 'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { id } }', { p: id, q: i === 0 ? 3 : 1 }, { token })).addToCart.id;
  }
  await graphqlOk(sg.url, 'mutation { applyPromoCode(code: "RETURN10") { id } }', {}, { token });
  const addressId = (
    await graphqlOk(sg.url, 'mutation { addAddress(input: { name: "Rui", line1: "Rua Augusta 1", city: "Lisboa", postalCode: "1100-053", country: "PT" }) { id } }', {}, { token })
  ).addAddress.id;
  const placed = (
    await graphqlOk(
      sg.url,
      'mutation($input: CheckoutInput!) { checkout(input: $input) { id total { amount } shipping { amount } items { product { id } quantity unitPrice { amount } discount { amount } } } }',
      { input: { cartId, shippingAddressId: addressId, shippingMethodId: 'standard', idempotencyKey: `refunds-${randomUUID()}` } },
      { token },
    )
  ).checkout as PlacedOrder;
  await graphqlOk(sg.url, 'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status } }', { id: placed.id }, { token });
  await eventually(() => status(placed.id), (s) => s === 'PAID', 60_000);
  return placed;
}

/** Shipped, delivered, and sent back by the customer. */
async function returned(id: string): Promise<void> {
  const shipment = (
    await graphqlOk(sg.url, 'mutation($id: ID!) { createShipment(orderId: $id, carrier: "DHL", trackingNumber: "JD014600003PT") { id } }', { id }, { token: admin })
  ).createShipment;
  await eventually(() => status(id), (s) => s === 'SHIPPED', 60_000);
  await graphqlOk(sg.url, 'mutation($id: ID!) { markDelivered(shipmentId: $id) { id } }', { id: shipment.id }, { token: admin });
  await eventually(() => status(id), (s) => s === 'DELIVERED', 60_000);
  await graphqlOk(sg.url, 'mutation($id: ID!) { requestReturn(id: $id, reason: "One jacket too many") { status } }', { id }, { token: customer });
}

afterAll(async () => {
  await sg?.stop();
});

describe('partial refunds through the router', () => {
  it('refuses a line refund before the customer asked to return the order, and to anyone but an admin', async () => {
    const line = { productId: lines()[0].product.id, quantity: 1 };
    expect(refusal(await refund([line], 'too-early-1'))).toMatchObject({ code: 'CONFLICT', reason: 'ILLEGAL_TRANSITION' });
    expect(errorCodes(await refund([line], 'customer-1', customer))).toEqual(['FORBIDDEN']);

    await returned(order.id);
  });

  it('refunds one unit pro rata: its price less its share of the discount; a retry with the key refunds nothing more', async () => {
    const [first, second] = lines();
    const lineDiscount = minor(first.discount.amount);
    expect(lineDiscount).toBeGreaterThan(0);
    // The discount kept back for the first of three units: a third of the line's, rounded half up.
    const expected = minor(first.unitPrice.amount) - Math.round(lineDiscount / 3);
    const key = `refund-${randomUUID()}`;
    const done = (await refund([{ productId: first.product.id, quantity: 1 }], key)).data!.refundOrderItems;
    expect(done.status).toBe('PARTIALLY_REFUNDED');
    expect(done.refunds).toEqual([
      { amount: { amount: eur(expected), currencyCode: 'EUR' }, shipping: { amount: '0.00' }, items: [{ product: { id: first.product.id }, quantity: 1, amount: { amount: eur(expected) } }] },
    ]);
    expect(done.refunded.amount).toBe(eur(expected));
    expect(done.items).toEqual(
      expect.arrayContaining([
        { product: { id: first.product.id }, refundedQuantity: 1 },
        { product: { id: second.product.id }, refundedQuantity: 0 },
      ]),
    );

    const again = (await refund([{ productId: first.product.id, quantity: 1 }], key)).data!.refundOrderItems;
    expect(again.refunds).toHaveLength(1);
    expect(refusal(await refund([{ productId: second.product.id, quantity: 1 }], key))).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(refusal(await refund([{ productId: first.product.id, quantity: 3 }], `refund-${randomUUID()}`))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'items[0].quantity',
      reason: undefined,
    });
    expect(refusal(await refund([{ productId: first.product.id, quantity: 0 }], `refund-${randomUUID()}`)).field).toBe('items[0].quantity');

    // The payment gives back exactly that, once.
    const paid = await eventually(payment, (o) => o.payment.status === 'PARTIALLY_REFUNDED', 60_000);
    expect(paid.payment.refunded.amount).toBe(eur(expected));
    expect(paid.payment.amount.amount).toBe(order.total.amount);
  });

  it('refunds the rest with the shipping: all refunds come to the total charged; the order and the payment are REFUNDED', async () => {
    const [first, second] = lines();
    const done = (
      await refund(
        [
          { productId: first.product.id, quantity: 2 },
          { productId: second.product.id, quantity: 1 },
        ],
        `refund-${randomUUID()}`,
      )
    ).data!.refundOrderItems;
    expect(done.status).toBe('REFUNDED');
    expect(done.refunded.amount).toBe(order.total.amount);
    const last = done.refunds[1];
    expect(last.shipping.amount).toBe(order.shipping.amount);
    const linesMinor = last.items.reduce((total: number, item: { amount: { amount: string } }) => total + minor(item.amount.amount), 0);
    expect(minor(last.amount.amount)).toBe(linesMinor + minor(order.shipping.amount));

    const paid = await eventually(payment, (o) => o.payment.status === 'REFUNDED', 60_000);
    expect(paid.payment.refunded.amount).toBe(order.total.amount);
    // Nothing is left to refund.
    expect(refusal(await refund([{ productId: first.product.id, quantity: 1 }], `refund-${randomUUID()}`))).toMatchObject({ code: 'CONFLICT', reason: 'ILLEGAL_TRANSITION' });
  });

  it('counts a whole-order refund after a line refund: Order.refunded is the total charged, every unit refunded, the payment gave back the rest', async () => {
    const other = await placePaidOrder();
    await returned(other.id);
    const first = other.items.find((item) => item.quantity === 3)!;
    const partial = (await refund([{ productId: first.product.id, quantity: 1 }], `refund-${randomUUID()}`, admin, other.id)).data!.refundOrderItems;
    const lineRefund = minor(partial.refunded.amount);
    expect(lineRefund).toBe(minor(first.unitPrice.amount) - Math.round(minor(first.discount.amount) / 3));
    await eventually(() => payment(other.id), (o) => o.payment.status === 'PARTIALLY_REFUNDED', 60_000);

    const whole = await graphqlOk(sg.url, 'mutation($id: ID!) { refundOrder(id: $id) { status refunded { amount } items { quantity refundedQuantity } } }', { id: other.id }, { token: admin });
    expect(whole.refundOrder.status).toBe('REFUNDED');
    expect(whole.refundOrder.refunded.amount).toBe(other.total.amount);
    for (const item of whole.refundOrder.items) expect(item.refundedQuantity).toBe(item.quantity);
    // The payment gives back what the line refund had not, so the two come to the total, once.
    const paid = await eventually(() => payment(other.id), (o) => o.payment.status === 'REFUNDED', 60_000);
    expect(paid.payment.refunded.amount).toBe(other.total.amount);
    expect(paid.refunded.amount).toBe(other.total.amount);
  });
});
