import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk, until } from '@shop/testing';
import { event, paymentSucceeded, startAnalytics, token, type Harness } from './harness.js';

// Recommendations from paid orders only; archived and out-of-stock products left out, as the
// catalog's and inventory's events say; a page of products costs one SQL statement.
const at = (minute: number) => `2025-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const placed = (orderId: string, userId: string, lines: Array<[string, number]>, minute: number) =>
  event('orders', 'order.placed', orderId, {
    orderId,
    orderNumber: `SO-${orderId}`,
    userId,
    currency: 'EUR',
    subtotalMinor: 1000,
    shippingMinor: 0,
    discountMinor: 0,
    totalMinor: 1000,
    items: lines.map(([productId, quantity]) => ({ productId, quantity, unitPriceMinor: 100 })),
    shippingMethodId: 'standard',
    shippingAddress: { name: 'A', line1: 'x', city: 'y', postalCode: 'z', country: 'DE' },
    placedAt: at(minute),
  }, at(minute));
const stock = (productId: string, inStock: boolean, minute: number) =>
  event('inventory', 'stock.changed', productId, { productId, available: inStock ? 3 : 0, reserved: 0, onHand: inStock ? 3 : 0, inStock, previousAvailable: 0 }, at(minute));

const TOGETHER = 'query($r: [_Any!]!, $first: Int) { _entities(representations: $r) { ... on Product { id frequentlyBoughtTogether(first: $first) { id } } } }';
const FOR_ME = 'query($first: Int) { recommendedForMe(first: $first) { id } }';

let h: Harness;

async function together(ids: string[], first?: number): Promise<Record<string, string[]>> {
  const data = await graphqlOk(h.url, TOGETHER, { r: ids.map((id) => ({ __typename: 'Product', id })), first });
  return Object.fromEntries(data._entities.map((p: any) => [p.id, p.frequentlyBoughtTogether.map((o: any) => o.id)]));
}
const forMe = async (userId: string, first?: number) =>
  (await graphqlOk(h.url, FOR_ME, { first }, { token: await token(userId) })).recommendedForMe.map((p: any) => p.id);

beforeAll(async () => {
  h = await startAnalytics();
  await h.deliver(
    placed('o1', 'u1', [['lamp', 1], ['bulb', 1]], 1),
    paymentSucceeded('o1', 'pay-1', 1000, at(2)),
    placed('o2', 'u2', [['lamp', 1], ['bulb', 2], ['shade', 1]], 3),
    paymentSucceeded('o2', 'pay-2', 1000, at(4)),
    // Never paid: says nothing.
    placed('o3', 'u3', [['lamp', 1], ['desk', 1]], 5),
    placed('o4', 'u4', [['mug', 5]], 6),
    paymentSucceeded('o4', 'pay-4', 1000, at(7)),
  );
});

afterAll(async () => {
  await h?.stop();
});

describe('frequentlyBoughtTogether', () => {
  it('ranks what paid orders held together, most orders first, in one statement for the whole page', async () => {
    h.subgraph.sqlStats.reset();
    expect(await together(['lamp', 'bulb', 'shade', 'mug', 'unknown'])).toEqual({
      lamp: ['bulb', 'shade'],
      bulb: ['lamp', 'shade'],
      shade: ['bulb', 'lamp'],
      mug: [],
      unknown: [],
    });
    expect(h.subgraph.sqlStats.queries).toBe(1);
    expect(await together(['lamp'], 1)).toEqual({ lamp: ['bulb'] });
  });

  it('leaves out archived and out-of-stock products, following the newest stock event', async () => {
    await deliverCatalog(event('products', 'product.archived', 'bulb', { productId: 'bulb', sku: 'BULB', archivedAt: at(8) }, at(8)), stock('shade', false, 10));
    expect(await together(['lamp'])).toEqual({ lamp: [] });
    // An older event arriving late changes nothing; a newer one brings the shade back.
    await deliverCatalog(stock('shade', true, 9));
    expect(await together(['lamp'])).toEqual({ lamp: [] });
    await deliverCatalog(stock('shade', true, 11));
    expect(await together(['lamp'])).toEqual({ lamp: ['shade'] });
  });

  it('refuses a first outside 0..20', async () => {
    const result = await graphql(h.url, TOGETHER, { r: [{ __typename: 'Product', id: 'lamp' }], first: 21 });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.extensions?.field).toBe('first');
  });
});

describe('recommendedForMe', () => {
  it('starts from what the user bought, fills up with best sellers, never what they own or cannot buy', async () => {
    // u1 bought lamp and bulb: the shade went with them; then the best seller, the mug. The
    // bulb is archived, the desk was never paid for.
    expect(await forMe('u1')).toEqual(['shade', 'mug']);
    // No history: best sellers by units (mug 5, lamp 2, shade 1), recommendable ones only.
    expect(await forMe('nobody')).toEqual(['mug', 'lamp', 'shade']);
    expect(await forMe('nobody', 1)).toEqual(['mug']);
  });

  it('asks for a signed-in caller and a first within 0..20', async () => {
    expect(errorCodes(await graphql(h.url, FOR_ME, {}))).toEqual(['UNAUTHENTICATED']);
    const result = await graphql(h.url, FOR_ME, { first: -1 }, { token: await token('u1') });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('comes back the same from a rebuild of the event log', async () => {
    const before = [await forMe('u1'), await together(['lamp', 'bulb'])];
    await h.rebuild();
    expect([await forMe('u1'), await together(['lamp', 'bulb'])]).toEqual(before);
  });
});

let markers = 0;

/** Publishes catalog events and waits until group `analytics.catalog` handled them (a marker behind them). */
async function deliverCatalog(...events: ReturnType<typeof stock>[]): Promise<void> {
  const marker = `marker-${++markers}`;
  await h.bus.publish([...events, stock(marker, true, 0)]);
  const seen = async () => (await h.store.db.selectFrom('catalog_status').select('product_id').where('product_id', '=', marker).executeTakeFirst()) !== undefined;
  await until(seen, 'analytics.catalog to handle the events');
}
