import { useQuery, useSubscription } from '@apollo/client/react';
import { date, money, orderStatus } from '@shop/client-core';
import { useEffect, useMemo, useRef } from 'react';
import { BarChart } from '../components/BarChart.js';
import { ErrorNotice, Loading } from '../components/States.js';
import { graphql } from '../gql/index.js';
import type { SalesWeekQueryVariables } from '../gql/graphql.js';
import { AnyOrderChanged, STATUSES } from './OrdersPage.js';

// Seven days and the whole week in one request: salesReport takes a range, so each day is an alias.
const SalesWeek = graphql(`
  query SalesWeek(
    $from0: DateTime!, $to0: DateTime!, $from1: DateTime!, $to1: DateTime!, $from2: DateTime!, $to2: DateTime!,
    $from3: DateTime!, $to3: DateTime!, $from4: DateTime!, $to4: DateTime!, $from5: DateTime!, $to5: DateTime!,
    $from6: DateTime!, $to6: DateTime!
  ) {
    day0: salesReport(from: $from0, to: $to0) { ...DaySales }
    day1: salesReport(from: $from1, to: $to1) { ...DaySales }
    day2: salesReport(from: $from2, to: $to2) { ...DaySales }
    day3: salesReport(from: $from3, to: $to3) { ...DaySales }
    day4: salesReport(from: $from4, to: $to4) { ...DaySales }
    day5: salesReport(from: $from5, to: $to5) { ...DaySales }
    day6: salesReport(from: $from6, to: $to6) { ...DaySales }
    week: salesReport(from: $from0, to: $to6) {
      orderCount
      revenue { amount currencyCode }
      averageOrderValue { amount currencyCode }
      topProducts {
        unitsSold
        revenue { amount currencyCode }
        product { id name }
      }
    }
  }
  fragment DaySales on SalesReport {
    orderCount
    revenue { amount currencyCode }
  }
`);

const OrdersPerStatus = graphql(`
  query OrdersPerStatus {
    PENDING_PAYMENT: orders(status: PENDING_PAYMENT, first: 1) { totalCount }
    PAID: orders(status: PAID, first: 1) { totalCount }
    FULFILLING: orders(status: FULFILLING, first: 1) { totalCount }
    SHIPPED: orders(status: SHIPPED, first: 1) { totalCount }
    DELIVERED: orders(status: DELIVERED, first: 1) { totalCount }
    CANCELLED: orders(status: CANCELLED, first: 1) { totalCount }
    RETURN_REQUESTED: orders(status: RETURN_REQUESTED, first: 1) { totalCount }
    PARTIALLY_REFUNDED: orders(status: PARTIALLY_REFUNDED, first: 1) { totalCount }
    REFUNDED: orders(status: REFUNDED, first: 1) { totalCount }
  }
`);

/** The last seven UTC days, today last: analytics reports whole UTC days, `from`'s through `to`'s. */
function lastSevenDays(now = Date.now()) {
  const today = Math.floor(now / 86_400_000) * 86_400_000;
  return Array.from({ length: 7 }, (_, i) => {
    const day = new Date(today - (6 - i) * 86_400_000).toISOString();
    return { from: day, to: day };
  });
}

// Analytics counts an order from the event stream, a moment after the status change reaches us.
const SETTLE_MS = 1500;

export function SalesPage() {
  const days = useMemo(() => lastSevenDays(), []);
  const variables = Object.fromEntries(days.flatMap((d, i) => [[`from${i}`, d.from], [`to${i}`, d.to]])) as Record<string, string>;
  const sales = useQuery(SalesWeek, { variables: variables as SalesWeekQueryVariables, fetchPolicy: 'cache-and-network' });
  const perStatus = useQuery(OrdersPerStatus, { fetchPolicy: 'cache-and-network' });
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  useSubscription(AnyOrderChanged, {
    onData: () => {
      void perStatus.refetch();
      void sales.refetch();
      if (settle.current) clearTimeout(settle.current);
      settle.current = setTimeout(() => void sales.refetch(), SETTLE_MS);
    },
  });
  useEffect(() => () => void (settle.current && clearTimeout(settle.current)), []);

  if ((sales.loading && !sales.data) || (perStatus.loading && !perStatus.data)) return <Loading label="Loading sales…" />;
  if (sales.error && !sales.data) return <ErrorNotice error={sales.error} retry={() => void sales.refetch()} />;
  const data = sales.data;
  if (!data) return null;
  const daily = [data.day0, data.day1, data.day2, data.day3, data.day4, data.day5, data.day6];
  const currency = data.week.revenue.currencyCode;
  const fmt = (amount: number) => money({ amount: amount.toFixed(2), currencyCode: currency });

  return (
    <section data-testid="sales-page">
      <h1>Sales, last 7 days</h1>
      <dl className="kpis">
        <div>
          <dt>Revenue</dt>
          <dd data-testid="kpi-revenue">{money(data.week.revenue)}</dd>
        </div>
        <div>
          <dt>Orders</dt>
          <dd data-testid="kpi-orders">{data.week.orderCount}</dd>
        </div>
        <div>
          <dt>Average order</dt>
          <dd>{money(data.week.averageOrderValue)}</dd>
        </div>
      </dl>
      <div className="charts">
        <BarChart
          title="Revenue per day"
          testid="revenue-chart"
          format={(v) => fmt(v)}
          bars={daily.map((d, i) => ({ key: days[i]!.from, label: date(days[i]!.from, 'UTC'), value: Number(d.revenue.amount), text: money(d.revenue) }))}
        />
        {perStatus.data ? (
          <BarChart
            title="Orders per status"
            testid="status-chart"
            integer
            bars={STATUSES.map((s) => ({ key: s, label: orderStatus(s), value: perStatus.data![s].totalCount, text: String(perStatus.data![s].totalCount) }))}
          />
        ) : null}
        <BarChart
          title="Top products by revenue"
          testid="top-products-chart"
          format={(v) => fmt(v)}
          bars={data.week.topProducts.map((t) => ({ key: t.product.id, label: t.product.name, value: Number(t.revenue.amount), text: `${money(t.revenue)} (${t.unitsSold} sold)` }))}
        />
      </div>
      {data.week.topProducts.length === 0 ? <p className="muted">No sales in these seven days yet.</p> : null}
    </section>
  );
}
