import { randomUUID } from 'node:crypto';
import { readConfig } from '@shop/config';
import { createEvent, createMemoryBus, type EventBus, type EventEnvelope } from '@shop/events';
import { createPostgres, type Postgres } from '@shop/postgres';
import type { CallerRole } from '@shop/subgraph-kit';
import { callAsRouter, createTestDatabase, serviceTrustEnv, testServiceKey, testTokenIssuer, until } from '@shop/testing';
import { buildNotificationsConfig } from '../src/config.js';
import type { NotificationsDatabase } from '../src/db/schema.js';
import { createNotificationsSubgraph, type NotificationsSubgraph } from '../src/server.js';
import { startSmtpStandIn, type SmtpStandIn } from './smtpStandIn.js';
import { startUsersStandIn, type UsersStandIn } from './usersStandIn.js';

export async function token(userId: string, role: CallerRole = 'CUSTOMER'): Promise<string> {
  return (await testTokenIssuer()).sign(userId, role);
}

export const NOTIFICATION_FIELDS = 'id type subject body channel status createdAt sentAt';
export const USER_NOTIFICATIONS = `query($r: [_Any!]!, $first: Int) { _entities(representations: $r) { ... on User { id notifications(first: $first) { ${NOTIFICATION_FIELDS} } } } }`;
export const users = (ids: string[]) => ids.map((id) => ({ __typename: 'User', id }));

export interface Harness {
  url: string;
  subgraph: NotificationsSubgraph;
  bus: EventBus;
  users: UsersStandIn;
  /** The mail server the SMTP adapter talks to; null in embedded mode (no SMTP_URL). */
  smtp: SmtpStandIn | null;
  /** A separate connection to the subgraph's database, to look behind the API's back. */
  store: Postgres<NotificationsDatabase>;
  /** Publishes events as their producers would (through the bus). */
  publish(...events: EventEnvelope[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The notifications subgraph on a fresh database and a free port, on an in-process bus, with
 * a users stand-in over HTTP and (unless `smtp: false`) a real SMTP stand-in behind SMTP_URL.
 */
export async function startNotifications(options: { smtp?: boolean; env?: Record<string, string> } = {}): Promise<Harness> {
  const databaseUrl = await createTestDatabase('notifications');
  const serviceKey = await testServiceKey('notifications');
  const usersStandIn = await startUsersStandIn(serviceKey.keySet);
  const smtp = options.smtp === false ? null : await startSmtpStandIn();
  const { config } = readConfig(
    {
      DATABASE_URL: databaseUrl,
      USERS_URL: usersStandIn.url,
      JWKS_URL: (await testTokenIssuer()).jwksUrl, ...(await serviceTrustEnv('notifications')),
      SERVICE_PRIVATE_KEY: serviceKey.privateKey,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      MAIL_RETRY_BASE_MS: '20',
      ...(smtp ? { SMTP_URL: smtp.url } : {}),
      ...options.env,
    },
    buildNotificationsConfig,
  );
  const bus = createMemoryBus();
  const subgraph = await createNotificationsSubgraph(config, { bus });
  const { url } = await subgraph.listen(0, '127.0.0.1');
  callAsRouter(url, 'notifications');
  const store = createPostgres<NotificationsDatabase>({ url: databaseUrl, maxConnections: 2 });
  return {
    url,
    subgraph,
    bus,
    users: usersStandIn,
    smtp,
    store,
    publish: (...events) => bus.publish(events),
    async stop() {
      await subgraph.stop();
      await bus.close();
      await store.destroy();
      await usersStandIn.stop();
      await smtp?.stop();
    },
  };
}

let orderCount = 0;

/** The events of one order's life, with the payloads of docs/events.md. */
export function orderEvents(userId: string, options: { totalMinor?: number; currency?: string } = {}) {
  orderCount += 1;
  const orderId = randomUUID();
  const orderNumber = `SO-${String(orderCount).padStart(6, '0')}`;
  const totalMinor = options.totalMinor ?? 4999;
  const currency = options.currency ?? 'EUR';
  const paymentId = randomUUID();
  const shipmentId = randomUUID();
  return {
    orderId,
    orderNumber,
    placed: () =>
      createEvent('orders', 'order.placed', orderId, {
        orderId,
        orderNumber,
        userId,
        currency,
        subtotalMinor: totalMinor - 499,
        shippingMinor: 499,
        discountMinor: 0,
        totalMinor,
        items: [
          { productId: 'p-1', quantity: 2, unitPriceMinor: 1000 },
          { productId: 'p-2', quantity: 1, unitPriceMinor: totalMinor - 2499 },
        ],
        shippingMethodId: 'standard',
        shippingAddress: { name: 'A', line1: 'x', city: 'y', postalCode: 'z', country: 'DE' },
        placedAt: new Date().toISOString(),
      }),
    statusChanged: (from: string, to: string) =>
      createEvent('orders', 'order.status_changed', orderId, { orderId, orderNumber, userId, from, to, at: new Date().toISOString() }),
    paymentSucceeded: () =>
      createEvent('payments', 'payment.succeeded', orderId, { paymentId, orderId, amountMinor: totalMinor, currency, provider: 'simulated', providerPaymentId: 'pi_1' }),
    paymentFailed: () => createEvent('payments', 'payment.failed', orderId, { paymentId, orderId, amountMinor: totalMinor, currency, reason: 'card_declined' }),
    paymentRefunded: () => createEvent('payments', 'payment.refunded', orderId, { paymentId, orderId, amountMinor: totalMinor, currency }),
    shipmentCreated: () => createEvent('shipping', 'shipment.created', orderId, { shipmentId, orderId, carrier: 'DHL', trackingNumber: 'JD014600003DE' }),
    shipmentDelivered: () => createEvent('shipping', 'shipment.delivered', orderId, { shipmentId, orderId }),
  };
}

/** Stored messages of a user, oldest first. */
export function rowsOf(store: Postgres<NotificationsDatabase>, userId: string) {
  return store.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('seq').execute();
}

export { until };
