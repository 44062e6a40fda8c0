import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, eventually, graphql, graphqlOk } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Issue 6 through the router: after a paid order, shipping moves it to SHIPPED and DELIVERED
// (by events into orders), notifications tells the customer, analytics counts the sale.
let sg: Supergraph;
let adminToken: string;
let customerToken: string;
let orderId: string;
let productName: string;

const orderStatus = async (id: string) =>
  (await graphqlOk(sg.url, 'query($id: ID!) { order(id: $id) { status } }', { id }, { token: customerToken })).order.status as string;

beforeAll(async () => {
  sg = await startSupergraph();
  adminToken = (
    await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password })
  ).login.accessToken;
  const product = (await graphqlOk(sg.url, '{ products(first: 1) { edges { node { id name } } } }')).products.edges[0].node;
  productName = product.name;
  await graphqlOk(sg.url, 'mutation($id: ID!) { setStock(productId: $id, quantity: 50) { id } }', { id: product.id }, { token: adminToken });

  customerToken = (
    await graphqlOk(sg.url, 'mutation { register(input: { email: "fulfil@e2e.test", password: "a-strong-password-1", name: "Fay" }) { accessToken } }')
  ).register.accessToken;
  const token = customerToken;
  const cartId = (await graphqlOk(sg.url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 2) { id } }', { p: product.id }, { token })).addToCart.id;
  const addressId = (
    await graphqlOk(sg.url, 'mutation { addAddress(input: { name: "Fay", line1: "Hauptstr. 1", city: "Berlin", postalCode: "10115", country: "DE" }) { id } }', {}, { token })
  ).addAddress.id;
  orderId = (
    await graphqlOk(
      sg.url,
      'mutation($input: CheckoutInput!) { checkout(input: $input) { id } }',
      { input: { cartId, shippingAddressId: addressId, shippingMethodId: 'standard', idempotencyKey: 'fulfilment-order-1' } },
      { token },
    )
  ).checkout.id;
  await graphqlOk(sg.url, 'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status } }', { id: orderId }, { token });
  expect(await eventually(() => orderStatus(orderId), (s) => s === 'PAID')).toBe('PAID');
}, 120_000);

afterAll(async () => {
  await sg?.stop();
});

describe('fulfilment and insight through the router', () => {
  it('ships and delivers the order by event, with the shipment listed on the order', async () => {
    const refused = await graphql(
      sg.url,
      'mutation($id: ID!) { createShipment(orderId: $id, carrier: "DHL", trackingNumber: "JD014600003SE") { id } }',
      { id: orderId },
      { token: customerToken },
    );
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);

    const shipment = (
      await graphqlOk(
        sg.url,
        'mutation($id: ID!) { createShipment(orderId: $id, carrier: "DHL", trackingNumber: "JD014600003SE") { id status trackingNumber } }',
        { id: orderId },
        { token: adminToken },
      )
    ).createShipment;
    expect(shipment).toMatchObject({ status: 'SHIPPED', trackingNumber: 'JD014600003SE' });
    expect(await eventually(() => orderStatus(orderId), (s) => s === 'SHIPPED')).toBe('SHIPPED');

    const listed = await graphqlOk(sg.url, 'query($id: ID!) { order(id: $id) { shipments { carrier trackingNumber status } } }', { id: orderId }, { token: customerToken });
    expect(listed.order.shipments).toEqual([{ carrier: 'DHL', trackingNumber: 'JD014600003SE', status: 'SHIPPED' }]);

    const delivered = await graphqlOk(sg.url, 'mutation($id: ID!) { markDelivered(shipmentId: $id) { status } }', { id: shipment.id }, { token: adminToken });
    expect(delivered.markDelivered.status).toBe('DELIVERED');
    expect(await eventually(() => orderStatus(orderId), (s) => s === 'DELIVERED')).toBe('DELIVERED');
  });

  it('tells the customer: at least an order confirmation and a shipping notification', async () => {
    const types = await eventually(
      async () =>
        ((await graphqlOk(sg.url, '{ me { notifications(first: 20) { type subject } } }', {}, { token: customerToken })).me.notifications as Array<{ type: string }>).map(
          (n) => n.type,
        ),
      (t) => t.length >= 3,
    );
    expect(types.length).toBeGreaterThanOrEqual(2);
    expect(types.some((t) => /placed|confirm/i.test(t))).toBe(true);
    expect(types.some((t) => /ship/i.test(t))).toBe(true);
  });

  it("counts the sale in the admin's report, names the product, and refuses customers", async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const query = `query($from: DateTime!, $to: DateTime!) { salesReport(from: $from, to: $to) {
      orderCount revenue { amount currencyCode } averageOrderValue { amount } topProducts { unitsSold product { name } } } }`;
    const order = (await graphqlOk(sg.url, 'query($id: ID!) { order(id: $id) { total { amount } } }', { id: orderId }, { token: customerToken })).order;
    const report = await eventually(
      async () => (await graphqlOk(sg.url, query, { from, to }, { token: adminToken })).salesReport,
      (r) => r.orderCount >= 1,
    );
    expect(report.orderCount).toBe(1);
    expect(report.revenue).toEqual({ amount: order.total.amount, currencyCode: 'EUR' });
    expect(report.topProducts[0]).toEqual({ unitsSold: 2, product: { name: productName } });

    const customer = await graphql(sg.url, query, { from, to }, { token: customerToken });
    expect(errorCodes(customer)).toEqual(['FORBIDDEN']);
    const impossible = await graphql(sg.url, query, { from: '2025-02-30T00:00:00Z', to }, { token: adminToken });
    // The analytics subgraph refuses the variable (HTTP 400): its error is the only one.
    expect(errorCodes(impossible)).toEqual(['BAD_USER_INPUT']);
    expect(impossible.errors?.[0]?.extensions?.field).toBe('from');
    expect(impossible.data).toBeNull();
  });
});
