import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { readConfig } from '@shop/config';
import { createMemoryBus, type EventBus, type EventEnvelope } from '@shop/events';
import { formatAmount } from '@shop/money';
import { createPostgres, type Postgres } from '@shop/postgres';
import type { CallerRole } from '@shop/subgraph-kit';
import { callAsRouter, createTestDatabase, serviceTrustEnv, testTokenIssuer, until } from '@shop/testing';
import { buildPaymentsConfig } from '../src/config.js';
import type { PaymentsDatabase } from '../src/db/schema.js';
import { createPaymentsSubgraph, WEBHOOK_PATH, type PaymentsSubgraph } from '../src/server.js';
import { STAND_IN_SECRET_KEY, startStripeStandIn, type StripeStandIn } from './stripeStandIn.js';

export const WEBHOOK_SECRET = 'whsec_payments_test_0123456789abcdef';

export async function token(userId: string, role: CallerRole = 'CUSTOMER'): Promise<string> {
  return (await testTokenIssuer()).sign(userId, role);
}

/** The one query payments may send to the router, word for word. */
export const EXPECTED_ORDER_QUERY = 'query($id: ID!) { order(id: $id) { id status total { amount currencyCode } } }';

export interface StandInOrder {
  id: string;
  userId: string;
  status: string;
  totalMinor: number;
  currency: string;
}

export interface RouterStandIn {
  url: string;
  orders: Map<string, StandInOrder>;
  /** The Authorization header of every request, in order. */
  authorizations: Array<string | undefined>;
  stop(): Promise<void>;
}

/**
 * Stands in for the router (and the orders subgraph behind it) over real HTTP: answers the
 * exact order query, enforcing owner-or-ADMIN from the forwarded access token the way orders
 * does (NOT_FOUND for anyone else, UNAUTHENTICATED without a token).
 */
export async function startRouterStandIn(): Promise<RouterStandIn> {
  const orders = new Map<string, StandInOrder>();
  const authorizations: Array<string | undefined> = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      void (async () => {
        const answer = (status: number, body: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        const body = JSON.parse(raw) as { query: string; variables: { id: string } };
        authorizations.push(req.headers.authorization);
        if (body.query !== EXPECTED_ORDER_QUERY) return answer(400, { errors: [{ message: `unexpected query: ${body.query}` }] });
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const caller = bearer ? await (await testTokenIssuer()).verify(bearer).catch(() => null) : null;
        if (!caller) return answer(200, { data: { order: null }, errors: [{ message: 'You must be signed in', extensions: { code: 'UNAUTHENTICATED' } }] });
        const order = orders.get(body.variables.id);
        if (!order || (caller.role !== 'ADMIN' && caller.userId !== order.userId)) {
          return answer(200, {
            data: { order: null },
            errors: [{ message: `Order ${JSON.stringify(body.variables.id)} not found`, path: ['order'], extensions: { code: 'NOT_FOUND' } }],
          });
        }
        answer(200, {
          data: {
            order: { id: order.id, status: order.status, total: { amount: formatAmount(order.totalMinor, order.currency), currencyCode: order.currency } },
          },
        });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    orders,
    authorizations,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type ProviderKind = 'simulated' | 'stripe';

export interface Harness {
  url: string;
  webhookUrl: string;
  subgraph: PaymentsSubgraph;
  router: RouterStandIn;
  /** The Stripe-shaped server the Stripe adapter talks to; null with the simulated provider. */
  stripe: StripeStandIn | null;
  bus: EventBus;
  /** Every payment.* event published on the bus, in order. */
  events: EventEnvelope[];
  /** A separate connection to the subgraph's database, to look behind the API's back. */
  store: Postgres<PaymentsDatabase>;
  /** Adds an order to the stand-in router and returns its id. */
  order(userId: string, totalMinor?: number, currency?: string): string;
  /** Waits until every outbox event was published and reached the observer. */
  settle(): Promise<void>;
  eventsFor(paymentId: string): EventEnvelope[];
  stop(): Promise<void>;
}

let orderCount = 0;

/**
 * The payments subgraph on a fresh database and a free port, reading orders from a stand-in
 * router, on an in-process bus with an observer; with `provider: 'stripe'` the real Stripe
 * adapter (official SDK) talks to a Stripe-shaped stand-in over HTTP and webhooks are on.
 */
export async function startPayments(options: { provider: ProviderKind }): Promise<Harness> {
  const databaseUrl = await createTestDatabase('payments');
  const router = await startRouterStandIn();
  const stripe = options.provider === 'stripe' ? await startStripeStandIn() : null;
  const { config } = readConfig(
    {
      DATABASE_URL: databaseUrl,
      ROUTER_URL: router.url,
      JWKS_URL: (await testTokenIssuer()).jwksUrl, ...(await serviceTrustEnv('payments')),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      ...(stripe ? { STRIPE_SECRET_KEY: STAND_IN_SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stripe.url } : {}),
    },
    buildPaymentsConfig,
  );
  const bus = createMemoryBus();
  const events: EventEnvelope[] = [];
  await bus.subscribe({ group: 'test-observer', types: ['payment.succeeded', 'payment.failed', 'payment.refunded', 'payment.partially_refunded'], handler: async (e) => void events.push(e) });
  const subgraph = await createPaymentsSubgraph(config, { bus });
  const { url, port } = await subgraph.listen(0, '127.0.0.1');
  callAsRouter(url, 'payments');
  const store = createPostgres<PaymentsDatabase>({ url: databaseUrl, maxConnections: 2 });
  return {
    url,
    webhookUrl: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    subgraph,
    router,
    stripe,
    bus,
    events,
    store,
    order(userId, totalMinor = 4999, currency = 'EUR') {
      orderCount += 1;
      const id = `00000000-0000-4000-8000-${String(orderCount).padStart(12, '0')}`;
      router.orders.set(id, { id, userId, status: 'PENDING_PAYMENT', totalMinor, currency });
      return id;
    },
    async settle() {
      await until(async () => {
        const { rows } = await sql<{ pending: number; total: number }>`
          SELECT count(*) FILTER (WHERE published_at IS NULL) AS pending, count(*) AS total FROM event_outbox`.execute(store.db);
        return Number(rows[0]!.pending) === 0 && events.length === Number(rows[0]!.total);
      });
    },
    eventsFor: (paymentId) => events.filter((e) => (e.data as { paymentId?: string }).paymentId === paymentId),
    async stop() {
      await subgraph.stop();
      await bus.close();
      await store.destroy();
      await router.stop();
      await stripe?.stop();
    },
  };
}

export { until };

export const PAYMENT_FIELDS = 'id status amount { amount currencyCode } provider clientSecret failureReason createdAt order { id }';
export const PAY = `mutation($orderId: ID!, $paymentMethod: String!) { payOrder(orderId: $orderId, paymentMethod: $paymentMethod) { ${PAYMENT_FIELDS} } }`;
export const ORDER_PAYMENTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id payment { ${PAYMENT_FIELDS} } payments { id status } } } }`;

/** Rows in the payments table of one order, oldest first. */
export async function paymentRows(store: Postgres<PaymentsDatabase>, orderId: string) {
  return store.db.selectFrom('payments').selectAll().where('order_id', '=', orderId).orderBy('seq').execute();
}
