import { sql } from 'kysely';
import { readConfig } from '@shop/config';
import { createEvent, createMemoryBus, type EventBus, type EventEnvelope } from '@shop/events';
import { createPostgres, type Postgres } from '@shop/postgres';
import { createLogger, type CallerRole } from '@shop/subgraph-kit';
import { callAsRouter, createTestDatabase, graphqlOk, serviceTrustEnv, testTokenIssuer, until } from '@shop/testing';
import { buildAnalyticsConfig } from '../src/config.js';
import type { AnalyticsDatabase } from '../src/db/schema.js';
import { rebuildAggregates } from '../src/rebuild.js';
import { createAnalyticsSubgraph, type AnalyticsSubgraph } from '../src/server.js';

export async function token(userId: string, role: CallerRole = 'CUSTOMER'): Promise<string> {
  return (await testTokenIssuer()).sign(userId, role);
}

export const SALES_REPORT = `query($from: DateTime!, $to: DateTime!) {
  salesReport(from: $from, to: $to) {
    orderCount
    revenue { amount currencyCode }
    averageOrderValue { amount currencyCode }
    topProducts { product { __typename id } unitsSold revenue { amount currencyCode } }
  }
}`;

export interface Item {
  productId: string;
  quantity: number;
  unitPriceMinor: number;
}

/** An event as its producer would publish it, happening at `at` (which decides its UTC day). */
export function event(source: string, type: string, orderId: string, data: object, at: string): EventEnvelope {
  return { ...createEvent(source, type, orderId, data), occurredAt: at };
}

export function orderPlaced(orderId: string, items: Item[], at: string, extra: { shippingMinor?: number; currency?: string } = {}): EventEnvelope {
  const subtotalMinor = items.reduce((total, i) => total + i.quantity * i.unitPriceMinor, 0);
  const shippingMinor = extra.shippingMinor ?? 0;
  return event('orders', 'order.placed', orderId, {
    orderId,
    orderNumber: `SO-${orderId}`,
    userId: 'user-alice',
    currency: extra.currency ?? 'EUR',
    subtotalMinor,
    shippingMinor,
    discountMinor: 0,
    totalMinor: subtotalMinor + shippingMinor,
    items,
    shippingMethodId: 'standard',
    shippingAddress: { name: 'Alice', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    placedAt: at,
  }, at);
}

export function paymentSucceeded(orderId: string, paymentId: string, amountMinor: number, at: string, currency = 'EUR'): EventEnvelope {
  return event('payments', 'payment.succeeded', orderId, { paymentId, orderId, amountMinor, currency, provider: 'simulated', providerPaymentId: `pi_${paymentId}` }, at);
}

export function paymentRefunded(orderId: string, paymentId: string, amountMinor: number, at: string, currency = 'EUR'): EventEnvelope {
  return event('payments', 'payment.refunded', orderId, { paymentId, orderId, amountMinor, currency }, at);
}

/** A line refund: `amountMinor` went back, `refundedMinor` in all so far. */
export function paymentPartiallyRefunded(orderId: string, paymentId: string, amountMinor: number, refundedMinor: number, at: string): EventEnvelope {
  return event('payments', 'payment.partially_refunded', orderId, { paymentId, orderId, amountMinor, refundedMinor, currency: 'EUR' }, at);
}

export interface Harness {
  url: string;
  subgraph: AnalyticsSubgraph;
  bus: EventBus;
  /** A separate connection to the subgraph's database, to look behind the API's back. */
  store: Postgres<AnalyticsDatabase>;
  /** Publishes the events and waits until analytics handled them (and everything before). */
  deliver(...events: EventEnvelope[]): Promise<void>;
  /** The admin's report for the window. */
  report(from: string, to: string): Promise<any>;
  rebuild(): Promise<number>;
  stop(): Promise<void>;
}

/** The analytics subgraph on a fresh database and a free port, fed by an in-process bus. */
export async function startAnalytics(env: Record<string, string> = {}): Promise<Harness> {
  const databaseUrl = await createTestDatabase('analytics');
  const { config } = readConfig({ DATABASE_URL: databaseUrl, JWKS_URL: (await testTokenIssuer()).jwksUrl, ...(await serviceTrustEnv('analytics')), LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', ...env }, buildAnalyticsConfig);
  const bus = createMemoryBus();
  const subgraph = await createAnalyticsSubgraph(config, { bus });
  const { url } = await subgraph.listen(0, '127.0.0.1');
  callAsRouter(url, 'analytics');
  const store = createPostgres<AnalyticsDatabase>({ url: databaseUrl, maxConnections: 2 });
  const admin = await token('user-admin', 'ADMIN');
  return {
    url,
    subgraph,
    bus,
    store,
    async deliver(...events) {
      // The bus hands the group its events in order: once the marker is handled, so is the rest.
      const marker = event('orders', 'order.status_changed', 'marker', { orderId: 'marker', orderNumber: 'SO-0', userId: 'u', from: 'PAID', to: 'FULFILLING', at: new Date().toISOString() }, new Date().toISOString());
      await bus.publish([...events, marker]);
      await until(async () => {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_inbox WHERE event_id = ${marker.id}::uuid`.execute(store.db);
        return rows[0]!.n === 1;
      });
    },
    async report(from, to) {
      return (await graphqlOk(url, SALES_REPORT, { from, to }, { token: admin })).salesReport;
    },
    rebuild: () => rebuildAggregates(store.db, createLogger({ service: 'analytics-test', level: 'silent' })),
    async stop() {
      await subgraph.stop();
      await bus.close();
      await store.destroy();
    },
  };
}

export { until };
