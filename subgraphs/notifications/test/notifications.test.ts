import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { decodeHeader } from './smtpStandIn.js';
import { orderEvents, rowsOf, startNotifications, token, until, USER_NOTIFICATIONS, users, type Harness } from './harness.js';

interface NotificationOut {
  id: string;
  type: string;
  subject: string;
  body: string;
  channel: string;
  status: string;
  createdAt: string;
  sentAt: string | null;
}

describe('notifications from order, payment and shipment events', () => {
  let h: Harness;
  let alice: string;
  let bob: string;
  let admin: string;

  beforeAll(async () => {
    h = await startNotifications({ env: { MAIL_MAX_ATTEMPTS: '2' } });
    h.users.add({ id: 'user-alice', email: 'alice@example.com', name: 'Alice', locale: 'en-GB', marketingOptIn: true });
    h.users.add({ id: 'user-bob', email: 'bob@example.com', name: 'Bob', locale: 'en-GB', marketingOptIn: true });
    h.users.add({ id: 'user-dora', email: 'dora@example.de', name: 'Dora', locale: 'de-DE', marketingOptIn: true });
    h.users.add({ id: 'user-otto', email: 'otto@example.com', name: null, locale: 'fr-FR', marketingOptIn: false });
    h.users.add({ id: 'user-rita', email: 'rita@rejected.example', name: 'Rita', locale: 'en-GB', marketingOptIn: true });
    [alice, bob, admin] = await Promise.all([token('user-alice'), token('user-bob'), token('user-admin', 'ADMIN')]);
  });

  afterAll(async () => {
    await h?.stop();
  });

  const notificationsOf = async (userId: string, as: string, first?: number): Promise<NotificationOut[]> => {
    const data = await graphqlOk(h.url, USER_NOTIFICATIONS, { r: users([userId]), first }, { token: as });
    return data._entities[0].notifications;
  };

  it('sends an order confirmation, a payment receipt and a shipping notice, readable by the user newest first', async () => {
    const order = orderEvents('user-alice', { totalMinor: 123456, currency: 'EUR' });
    await h.publish(order.placed(), order.paymentSucceeded(), order.shipmentCreated());
    await until(async () => (await rowsOf(h.store, 'user-alice')).filter((r) => r.status === 'SENT').length === 3);

    const list = await notificationsOf('user-alice', alice);
    expect(list.map((n) => n.type)).toEqual(['ORDER_SHIPPED', 'PAYMENT_RECEIVED', 'ORDER_CONFIRMATION']);
    const [shipped, , confirmation] = list;
    expect(confirmation).toMatchObject({ subject: `Order confirmation ${order.orderNumber}`, channel: 'email', status: 'SENT' });
    expect(confirmation!.body).toContain('Hello Alice,');
    expect(confirmation!.body).toContain('Items: 3');
    expect(confirmation!.body).toContain('Total: €1,234.56');
    expect(shipped!.subject).toBe(`Your order ${order.orderNumber} has shipped`);
    expect(shipped!.body).toContain('Carrier: DHL');
    expect(shipped!.body).toContain('Tracking number: JD014600003DE');
    expect(new Date(shipped!.sentAt!).getTime()).toBeGreaterThanOrEqual(new Date(shipped!.createdAt).getTime());

    const mails = h.smtp!.received.filter((m) => m.to.includes('alice@example.com'));
    expect(mails.map((m) => decodeHeader(m.headers.subject!))).toEqual([
      `Order confirmation ${order.orderNumber}`,
      `Payment received for order ${order.orderNumber}`,
      `Your order ${order.orderNumber} has shipped`,
    ]);
    expect(mails[0]!.headers.to).toBe('alice@example.com');
    expect(mails[0]!.headers.from).toBe('Shop <no-reply@shop.local>');

    expect(await notificationsOf('user-alice', alice, 1)).toHaveLength(1);
  });

  it("refuses another customer's notifications (FORBIDDEN) and anonymous callers, and shows an ADMIN everything", async () => {
    const asBob = await graphql(h.url, USER_NOTIFICATIONS, { r: users(['user-alice']) }, { token: bob });
    expect(errorCodes(asBob)).toEqual(['FORBIDDEN']);
    const anonymous = await graphql(h.url, USER_NOTIFICATIONS, { r: users(['user-alice']) });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect((await notificationsOf('user-alice', admin)).length).toBeGreaterThanOrEqual(3);
    const tooMany = await graphql(h.url, USER_NOTIFICATIONS, { r: users(['user-alice']), first: 101 }, { token: alice });
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.errors![0]!.extensions!.field).toBe('first');
  });

  it('stores and sends one message when the same event is delivered twice', async () => {
    const order = orderEvents('user-bob');
    const placed = order.placed();
    const before = h.users.requests.length;
    await h.publish(placed, placed);
    await h.publish(placed);
    await until(async () => (await rowsOf(h.store, 'user-bob')).some((r) => r.status === 'SENT'));
    // The bus handles a group's events one after another: once the third delivery is through, all are.
    await until(async () => {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_inbox WHERE event_id = ${placed.id}`.execute(h.store.db);
      return rows[0]!.n === 1;
    });
    const marker = orderEvents('user-bob');
    await h.publish(marker.statusChanged('PENDING_PAYMENT', 'PAID'));
    await until(async () => (await h.store.db.selectFrom('known_orders').select('order_id').where('order_id', '=', marker.orderId).execute()).length === 1);

    expect((await rowsOf(h.store, 'user-bob')).map((r) => r.event_id)).toEqual([placed.id]);
    expect(h.smtp!.received.filter((m) => m.to.includes('bob@example.com'))).toHaveLength(1);
    // The redeliveries found the inbox record and asked users nothing.
    expect(h.users.requests.length - before).toBe(1);
  });

  it('writes to a de-DE user in German, with German money formatting', async () => {
    const order = orderEvents('user-dora', { totalMinor: 123456 });
    await h.publish(order.placed(), order.shipmentCreated(), order.shipmentDelivered(), order.statusChanged('DELIVERED', 'RETURN_REQUESTED'), order.paymentRefunded());
    await until(async () => (await rowsOf(h.store, 'user-dora')).filter((r) => r.status === 'SENT').length === 4);
    const list = await notificationsOf('user-dora', await token('user-dora'));
    expect(list.map((n) => n.subject)).toEqual([
      `Erstattung für Bestellung ${order.orderNumber}`,
      `Ihre Bestellung ${order.orderNumber} wurde zugestellt`,
      `Ihre Bestellung ${order.orderNumber} wurde versandt`,
      `Bestellbestätigung ${order.orderNumber}`,
    ]);
    expect(list[3]!.body).toContain('Hallo Dora,');
    expect(list[3]!.body).toMatch(/Gesamtbetrag: 1\.234,56\s€/);
    expect(list[0]!.body).toMatch(/1\.234,56\s€/);
    const mail = h.smtp!.received.find((m) => m.to.includes('dora@example.de'))!;
    expect(decodeHeader(mail.headers.subject!)).toBe(`Bestellbestätigung ${order.orderNumber}`);
  });

  it('sends transactional mail to a user who opted out of marketing, in en-GB when their locale has no templates', async () => {
    const order = orderEvents('user-otto', { totalMinor: 500, currency: 'JPY' });
    await h.publish(order.placed(), order.paymentFailed(), order.statusChanged('PENDING_PAYMENT', 'CANCELLED'));
    await until(async () => (await rowsOf(h.store, 'user-otto')).filter((r) => r.status === 'SENT').length === 3);
    const rows = await rowsOf(h.store, 'user-otto');
    expect(rows.map((r) => [r.type, r.locale, r.recipient])).toEqual([
      ['ORDER_CONFIRMATION', 'en-GB', 'otto@example.com'],
      ['PAYMENT_FAILED', 'en-GB', 'otto@example.com'],
      ['ORDER_CANCELLED', 'en-GB', 'otto@example.com'],
    ]);
    expect(rows[0]!.body).toContain('Hello,');
    expect(rows[0]!.body).toContain('Total: JP¥500');
    expect(rows[2]!.subject).toBe(`Your order ${order.orderNumber} has been cancelled`);
  });

  it('retries a message the mail server refuses with backoff, then marks it FAILED', async () => {
    h.smtp!.rejected.add('rita@rejected.example');
    const order = orderEvents('user-rita');
    await h.publish(order.placed());
    await until(async () => (await rowsOf(h.store, 'user-rita'))[0]?.status === 'FAILED');
    const [row] = await rowsOf(h.store, 'user-rita');
    expect(row).toMatchObject({ attempts: 2, sent_at: null });
    expect(row!.last_error).toMatch(/550|mailbox/i);
  });

  it('parks a shipment event that overtook its order, without holding up other events, until the order is known', async () => {
    const order = orderEvents('user-alice');
    const other = orderEvents('user-bob');
    const before = (await rowsOf(h.store, 'user-alice')).length;
    await h.publish(order.shipmentCreated(), other.placed());
    await until(async () => (await rowsOf(h.store, 'user-bob')).some((r) => r.event_id !== undefined && r.body.includes(other.orderNumber)));
    expect((await rowsOf(h.store, 'user-alice')).length).toBe(before);
    expect(await h.store.db.selectFrom('parked_events').select('order_id').execute()).toEqual([{ order_id: order.orderId }]);
    await h.publish(order.placed());
    await until(async () => (await rowsOf(h.store, 'user-alice')).length === before + 2);
    const types = (await rowsOf(h.store, 'user-alice')).slice(before).map((r) => r.type);
    expect(types.sort()).toEqual(['ORDER_CONFIRMATION', 'ORDER_SHIPPED']);
    expect(await h.store.db.selectFrom('parked_events').select('order_id').execute()).toEqual([]);
  });

  it('loads the notifications of many users with one SQL statement, in key order, [] for a user without any', async () => {
    const ids = ['user-otto', 'user-nobody', 'user-alice', 'user-dora', 'user-otto'];
    h.subgraph.sqlStats.reset();
    const { _entities } = await graphqlOk(h.url, USER_NOTIFICATIONS, { r: users(ids), first: 2 }, { token: admin });
    expect(h.subgraph.sqlStats.queries).toBe(1);
    expect(_entities.map((u: { id: string }) => u.id)).toEqual(ids);
    expect(_entities.map((u: { notifications: unknown[] }) => u.notifications.length)).toEqual([2, 0, 2, 2, 2]);
    expect(_entities[0].notifications[0].type).toBe('ORDER_CANCELLED');
  });
});

describe('embedded mode (no SMTP_URL)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startNotifications({ smtp: false });
    h.users.add({ id: 'user-emma', email: 'emma@example.com', name: 'Emma', locale: 'de-DE', marketingOptIn: false });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('stores messages as SKIPPED (not sent: no SMTP configured), readable through the API', async () => {
    const order = orderEvents('user-emma');
    await h.publish(order.placed());
    await until(async () => (await rowsOf(h.store, 'user-emma')).length === 1);
    const data = await graphqlOk(h.url, USER_NOTIFICATIONS, { r: users(['user-emma']) }, { token: await token('user-emma') });
    expect(data._entities[0].notifications).toEqual([
      expect.objectContaining({ type: 'ORDER_CONFIRMATION', status: 'SKIPPED', sentAt: null, subject: `Bestellbestätigung ${order.orderNumber}` }),
    ]);
    expect((await rowsOf(h.store, 'user-emma'))[0]!.last_error).toBe('not sent: no SMTP_URL configured');
  });

  it('stores a message for a user the users subgraph does not know as SKIPPED, in en-GB', async () => {
    const order = orderEvents('user-ghost');
    await h.publish(order.placed());
    await until(async () => (await rowsOf(h.store, 'user-ghost')).length === 1);
    const [row] = await rowsOf(h.store, 'user-ghost');
    expect(row).toMatchObject({ status: 'SKIPPED', recipient: null, locale: 'en-GB' });
  });
});
