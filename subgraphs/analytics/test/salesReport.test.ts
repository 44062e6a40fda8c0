import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { errorCodes, graphql } from '@shop/testing';
import { divideRounded } from '../src/service.js';
import {
  orderPlaced,
  paymentPartiallyRefunded,
  paymentRefunded,
  paymentSucceeded,
  SALES_REPORT,
  startAnalytics,
  token,
  type Harness,
} from './harness.js';

// Each test works on a day of its own, so the reports of one do not see the others' sales.
const day = (d: string, time = '10:00:00.000') => `${d}T${time}Z`;
const whole = (d: string) => [day(d, '00:00:00.000'), day(d, '23:59:59.999')] as const;
const eur = (amount: string) => ({ amount, currencyCode: 'EUR' });

describe('salesReport fed by order and payment events', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startAnalytics();
  });

  afterAll(async () => {
    await h?.stop();
  });

  /** Two paid orders on 2025-03-01: 25.99 (with 0.99 shipping) and 30.00. */
  async function twoPaidOrders(d: string, prefix: string): Promise<void> {
    await h.deliver(
      orderPlaced(`${prefix}-a`, [
        { productId: `${prefix}-p1`, quantity: 2, unitPriceMinor: 1000 },
        { productId: `${prefix}-p2`, quantity: 1, unitPriceMinor: 500 },
      ], day(d, '09:00:00.000'), { shippingMinor: 99 }),
      paymentSucceeded(`${prefix}-a`, `${prefix}-pay-a`, 2599, day(d, '09:01:00.000')),
      orderPlaced(`${prefix}-b`, [
        { productId: `${prefix}-p3`, quantity: 5, unitPriceMinor: 300 },
        { productId: `${prefix}-p4`, quantity: 4, unitPriceMinor: 250 },
        { productId: `${prefix}-p2`, quantity: 1, unitPriceMinor: 500 },
      ], day(d, '11:00:00.000')),
      paymentSucceeded(`${prefix}-b`, `${prefix}-pay-b`, 3000, day(d, '11:02:00.000')),
    );
  }

  it('counts paid orders, their revenue and average, and ranks the products', async () => {
    await twoPaidOrders('2025-03-01', 'r');
    expect(await h.report(...whole('2025-03-01'))).toEqual({
      orderCount: 2,
      revenue: eur('55.99'),
      // 55.99 / 2 = 27.995, half up.
      averageOrderValue: eur('28.00'),
      topProducts: [
        { product: { __typename: 'Product', id: 'r-p1' }, unitsSold: 2, revenue: eur('20.00') },
        { product: { __typename: 'Product', id: 'r-p3' }, unitsSold: 5, revenue: eur('15.00') },
        // Same revenue: more units first.
        { product: { __typename: 'Product', id: 'r-p4' }, unitsSold: 4, revenue: eur('10.00') },
        { product: { __typename: 'Product', id: 'r-p2' }, unitsSold: 2, revenue: eur('10.00') },
      ],
    });
  });

  it('shows zero for a window that excludes the orders\u2019 day', async () => {
    await twoPaidOrders('2025-03-02', 'z');
    const empty = { orderCount: 0, revenue: eur('0.00'), averageOrderValue: eur('0.00'), topProducts: [] };
    expect(await h.report(day('2025-03-03', '00:00:00.000'), day('2025-03-31'))).toEqual(empty);
    // Ending the day before sees only the first test's orders.
    expect(await h.report(day('2025-01-01'), day('2025-03-01', '23:59:59.999'))).toMatchObject({ orderCount: 2, revenue: eur('55.99') });
    // The window is whole UTC days: any time on the day includes all of it.
    expect(await h.report(day('2025-03-02', '23:00:00.000'), day('2025-03-02', '23:30:00.000'))).toMatchObject({ orderCount: 2, revenue: eur('55.99') });
  });

  it('does not count an unpaid order', async () => {
    await h.deliver(orderPlaced('u-a', [{ productId: 'u-p1', quantity: 1, unitPriceMinor: 999 }], day('2025-03-04')));
    expect(await h.report(...whole('2025-03-04'))).toEqual({ orderCount: 0, revenue: eur('0.00'), averageOrderValue: eur('0.00'), topProducts: [] });
  });

  it('counts a redelivered payment.succeeded once, and a second event about the same payment too', async () => {
    const placed = orderPlaced('d-a', [{ productId: 'd-p1', quantity: 3, unitPriceMinor: 1000 }], day('2025-03-05'));
    const paid = paymentSucceeded('d-a', 'd-pay', 3000, day('2025-03-05', '10:05:00.000'));
    await h.deliver(placed, paid, paid, placed);
    await h.deliver(paid, paymentSucceeded('d-a', 'd-pay', 3000, day('2025-03-05', '10:06:00.000')));
    expect(await h.report(...whole('2025-03-05'))).toEqual({
      orderCount: 1,
      revenue: eur('30.00'),
      averageOrderValue: eur('30.00'),
      topProducts: [{ product: { __typename: 'Product', id: 'd-p1' }, unitsSold: 3, revenue: eur('30.00') }],
    });
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_inbox WHERE event_id = ${paid.id}::uuid`.execute(h.store.db);
    expect(rows[0]!.n).toBe(1);
  });

  it('counts a payment that arrives before its order.placed, and adds the items when the order arrives', async () => {
    await h.deliver(paymentSucceeded('e-a', 'e-pay', 1800, day('2025-03-06', '10:05:00.000')));
    expect(await h.report(...whole('2025-03-06'))).toEqual({ orderCount: 1, revenue: eur('18.00'), averageOrderValue: eur('18.00'), topProducts: [] });
    await h.deliver(orderPlaced('e-a', [{ productId: 'e-p1', quantity: 2, unitPriceMinor: 900 }], day('2025-03-06')));
    expect(await h.report(...whole('2025-03-06'))).toEqual({
      orderCount: 1,
      revenue: eur('18.00'),
      averageOrderValue: eur('18.00'),
      topProducts: [{ product: { __typename: 'Product', id: 'e-p1' }, unitsSold: 2, revenue: eur('18.00') }],
    });
  });

  it('subtracts a refund on its day, once, and never more than was paid', async () => {
    await h.deliver(
      orderPlaced('f-a', [{ productId: 'f-p1', quantity: 1, unitPriceMinor: 4000 }], day('2025-03-07')),
      paymentSucceeded('f-a', 'f-pay-a', 4000, day('2025-03-07')),
      orderPlaced('f-b', [{ productId: 'f-p2', quantity: 1, unitPriceMinor: 1001 }], day('2025-03-07')),
      paymentSucceeded('f-b', 'f-pay-b', 1001, day('2025-03-07')),
    );
    const refund = paymentRefunded('f-a', 'f-pay-a', 4000, day('2025-03-07', '18:00:00.000'));
    await h.deliver(refund, refund);
    expect(await h.report(...whole('2025-03-07'))).toMatchObject({ orderCount: 2, revenue: eur('10.01'), averageOrderValue: eur('5.01') });
    // A refund of a payment analytics never counted changes nothing; one past the amount is capped.
    await h.deliver(
      paymentRefunded('f-a', 'f-pay-other', 500, day('2025-03-07', '19:00:00.000')),
      paymentRefunded('f-b', 'f-pay-b', 600, day('2025-03-08')),
      paymentRefunded('f-b', 'f-pay-b', 600, day('2025-03-08', '11:00:00.000')),
    );
    expect(await h.report(...whole('2025-03-07'))).toMatchObject({ orderCount: 2, revenue: eur('10.01') });
    expect(await h.report(...whole('2025-03-08'))).toMatchObject({ orderCount: 0, revenue: eur('-10.01') });
    expect(await h.report(day('2025-03-07'), day('2025-03-08'))).toMatchObject({ orderCount: 2, revenue: eur('0.00'), averageOrderValue: eur('0.00') });
  });

  it('subtracts line refunds on their days, and of a whole refund after them only what was left', async () => {
    await h.deliver(
      orderPlaced('lr-a', [{ productId: 'lr-p1', quantity: 4, unitPriceMinor: 1000 }], day('2025-04-20')),
      paymentSucceeded('lr-a', 'lr-pay-a', 4000, day('2025-04-20')),
    );
    const first = paymentPartiallyRefunded('lr-a', 'lr-pay-a', 1000, 1000, day('2025-04-20', '18:00:00.000'));
    await h.deliver(first, first);
    expect(await h.report(...whole('2025-04-20'))).toMatchObject({ orderCount: 1, revenue: eur('30.00') });
    await h.deliver(
      paymentPartiallyRefunded('lr-a', 'lr-pay-a', 1500, 2500, day('2025-04-21')),
      // The whole refund names the payment's amount: only the 15.00 still counted goes.
      paymentRefunded('lr-a', 'lr-pay-a', 4000, day('2025-04-22')),
    );
    expect(await h.report(...whole('2025-04-21'))).toMatchObject({ orderCount: 0, revenue: eur('-15.00') });
    expect(await h.report(...whole('2025-04-22'))).toMatchObject({ orderCount: 0, revenue: eur('-15.00') });
    expect(await h.report(day('2025-04-20'), day('2025-04-22'))).toMatchObject({ orderCount: 1, revenue: eur('0.00') });
  });

  it('reports the store currency only', async () => {
    await h.deliver(
      orderPlaced('g-a', [{ productId: 'g-p1', quantity: 1, unitPriceMinor: 700 }], day('2025-03-09'), { currency: 'USD' }),
      paymentSucceeded('g-a', 'g-pay-a', 700, day('2025-03-09'), 'USD'),
      orderPlaced('g-b', [{ productId: 'g-p2', quantity: 1, unitPriceMinor: 300 }], day('2025-03-09')),
      paymentSucceeded('g-b', 'g-pay-b', 300, day('2025-03-09')),
    );
    expect(await h.report(...whole('2025-03-09'))).toEqual({
      orderCount: 1,
      revenue: eur('3.00'),
      averageOrderValue: eur('3.00'),
      topProducts: [{ product: { __typename: 'Product', id: 'g-p2' }, unitsSold: 1, revenue: eur('3.00') }],
    });
  });

  it('lists at most ten products, ties broken by id', async () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ productId: `t-p${String(i).padStart(2, '0')}`, quantity: 1, unitPriceMinor: 100 }));
    await h.deliver(orderPlaced('t-a', items.reverse(), day('2025-03-10')), paymentSucceeded('t-a', 't-pay', 1200, day('2025-03-10')));
    const report = await h.report(...whole('2025-03-10'));
    expect(report.topProducts.map((t: { product: { id: string } }) => t.product.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `t-p${String(i).padStart(2, '0')}`),
    );
  });

  it('rebuilds the same reports from the event log', async () => {
    const windows: Array<[string, string]> = [
      [day('2025-03-01', '00:00:00.000'), day('2025-03-31')],
      [...whole('2025-03-01')],
      [...whole('2025-03-06')],
      [...whole('2025-03-08')],
    ];
    const before = await Promise.all(windows.map(([from, to]) => h.report(from, to)));
    expect(before[0].orderCount).toBeGreaterThan(0);
    // Damage the aggregates: only the replay can restore them.
    await sql`DELETE FROM daily_sales`.execute(h.store.db);
    await sql`UPDATE daily_product_sales SET units = units + 100`.execute(h.store.db);
    expect((await h.report(...windows[0]!)).orderCount).toBe(0);

    const replayed = await h.rebuild();
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_log`.execute(h.store.db);
    expect(replayed).toBe(rows[0]!.n);
    expect(await Promise.all(windows.map(([from, to]) => h.report(from, to)))).toEqual(before);
    // And again: a rebuild of a rebuild changes nothing; live events still apply afterwards.
    await h.rebuild();
    expect(await Promise.all(windows.map(([from, to]) => h.report(from, to)))).toEqual(before);
    await h.deliver(paymentSucceeded('e-a', 'e-pay', 1800, day('2025-03-06', '12:00:00.000')));
    expect(await h.report(...whole('2025-03-06'))).toEqual(before[2]);
  });

  describe('access and arguments', () => {
    const window = { from: day('2025-03-01'), to: day('2025-03-02') };

    it('is for ADMINs: FORBIDDEN for a customer, UNAUTHENTICATED without a token', async () => {
      const customer = await graphql(h.url, SALES_REPORT, window, { token: await token('user-alice') });
      expect(errorCodes(customer)).toEqual(['FORBIDDEN']);
      expect(customer.data).toBeNull();
      expect(errorCodes(await graphql(h.url, SALES_REPORT, window))).toEqual(['UNAUTHENTICATED']);
    });

    it.each([
      ['from after to', day('2025-03-02'), day('2025-03-01'), 'from'],
      ['a window over 366 days', day('2024-01-01'), day('2025-01-02'), 'to'],
      ['a from that is no date-time', 'yesterday', day('2025-03-01'), 'from'],
      ['a to without a time zone', day('2025-03-01'), '2025-03-02T10:00:00', 'to'],
      ['an impossible date', '2025-02-30T00:00:00Z', day('2025-03-01'), 'from'],
    ])('refuses %s: BAD_USER_INPUT naming the field', async (_, from, to, field) => {
      const result = await graphql(h.url, SALES_REPORT, { from, to }, { token: await token('user-admin', 'ADMIN') });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe(field);
    });

    it('accepts a window of exactly 366 days', async () => {
      const result = await graphql(h.url, SALES_REPORT, { from: day('2024-01-01'), to: day('2025-01-01') }, { token: await token('user-admin', 'ADMIN') });
      expect(result.errors).toBeUndefined();
    });
  });
});

describe('divideRounded', () => {
  it('rounds half up, and half away from zero below zero', () => {
    expect(divideRounded(5599, 2)).toBe(2800);
    expect(divideRounded(5598, 4)).toBe(1400);
    expect(divideRounded(5597, 4)).toBe(1399);
    expect(divideRounded(10, 3)).toBe(3);
    expect(divideRounded(-5, 2)).toBe(-3);
    expect(divideRounded(0, 7)).toBe(0);
  });
});
