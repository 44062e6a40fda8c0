import { describe, expect, it } from '@jest/globals';
import { createEvent, type EventEnvelope } from '@shop/events';
import { graphqlOk, serviceHeaders, until } from '@shop/testing';
import {
  RELEASE,
  advanceClock,
  alice,
  bob,
  bus,
  eventsAbout,
  fresh,
  pool,
  published,
  reserved,
  setStock,
  statusOf,
  stock,
  subgraph,
  url,
  useReservationStack,
} from './reservationStack.js';

// What inventory does with the events it consumes (order status) and publishes (stock levels).
useReservationStack('inventory_reservation_events');

describe('order.status_changed consumer', () => {
  const statusChanged = (orderId: string, from: string, to: string) =>
    createEvent('orders', 'order.status_changed', orderId, { orderId, orderNumber: 'SO-1', userId: 'alice', from, to, at: new Date().toISOString() });

  async function deliver(event: EventEnvelope): Promise<void> {
    await bus.publish([event]);
    await until(async () => {
      const { rows } = await pool.query('SELECT 1 FROM event_inbox WHERE event_id = $1', [event.id]);
      return rows.length === 1;
    });
  }

  it('commits on PAID: on hand and reserved both drop; a redelivery changes nothing', async () => {
    const id = fresh('sofa');
    await setStock(id, 5);
    const orderId = fresh('order');
    await reserved(orderId, [{ productId: id, quantity: 2 }]);
    const paid = statusChanged(orderId, 'PENDING_PAYMENT', 'PAID');
    await deliver(paid);
    expect(await statusOf(orderId)).toBe('COMMITTED');
    expect(await stock(id)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    await bus.publish([paid]);
    const marker = statusChanged(fresh('order'), 'PENDING_PAYMENT', 'PAID');
    await deliver(marker);
    expect(await stock(id)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    await published();
    expect(eventsAbout(orderId, 'stock.reservation_committed').map((e) => e.data)).toEqual([{ orderId }]);
    // Committed units are sold: a later releaseReservation does not bring them back.
    expect((await graphqlOk(url, RELEASE, { orderId }, { token: alice, headers: await serviceHeaders('orders', 'inventory') })).releaseReservation).toBe(false);
  });

  it('releases on a cancellation before fulfilment: held units, or paid units back on the shelf', async () => {
    const id = fresh('table');
    await setStock(id, 6);
    const unpaid = fresh('order');
    await reserved(unpaid, [{ productId: id, quantity: 2 }]);
    await deliver(statusChanged(unpaid, 'PENDING_PAYMENT', 'CANCELLED'));
    expect(await statusOf(unpaid)).toBe('RELEASED');
    expect(await stock(id)).toEqual({ onHand: 6, reserved: 0, available: 6 });

    const paidThenCancelled = fresh('order');
    await reserved(paidThenCancelled, [{ productId: id, quantity: 3 }]);
    await deliver(statusChanged(paidThenCancelled, 'PENDING_PAYMENT', 'PAID'));
    expect(await stock(id)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    await deliver(statusChanged(paidThenCancelled, 'PAID', 'CANCELLED'));
    expect(await statusOf(paidThenCancelled)).toBe('RELEASED');
    expect(await stock(id)).toEqual({ onHand: 6, reserved: 0, available: 6 });
    await published();
    expect(eventsAbout(paidThenCancelled, 'stock.reservation_released').map((e) => e.data)).toEqual([
      { orderId: paidThenCancelled, reason: 'cancelled' },
    ]);
  });

  it('leaves a cancellation once fulfilment started to the warehouse', async () => {
    const id = fresh('bench');
    await setStock(id, 2);
    const orderId = fresh('order');
    await reserved(orderId, [{ productId: id, quantity: 1 }]);
    await deliver(statusChanged(orderId, 'PENDING_PAYMENT', 'PAID'));
    await bus.publish([statusChanged(orderId, 'FULFILLING', 'CANCELLED')]);
    await deliver(statusChanged(fresh('order'), 'PENDING_PAYMENT', 'PAID'));
    expect(await statusOf(orderId)).toBe('COMMITTED');
    expect(await stock(id)).toEqual({ onHand: 1, reserved: 0, available: 1 });
  });

  it('sells from free stock when the payment arrives after the reservation expired, and only if there is some', async () => {
    const id = fresh('mirror');
    await setStock(id, 2);
    const [lucky, unlucky] = [fresh('order'), fresh('order')];
    await reserved(lucky, [{ productId: id, quantity: 1 }], alice, 1);
    await reserved(unlucky, [{ productId: id, quantity: 1 }], alice, 1);
    advanceClock(1_100);
    await subgraph.sweepReservations();
    expect(await stock(id)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    await reserved(fresh('order'), [{ productId: id, quantity: 1 }], bob);

    await deliver(statusChanged(lucky, 'PENDING_PAYMENT', 'PAID'));
    expect(await statusOf(lucky)).toBe('COMMITTED');
    expect(await stock(id)).toEqual({ onHand: 1, reserved: 1, available: 0 });
    await deliver(statusChanged(unlucky, 'PENDING_PAYMENT', 'PAID'));
    expect(await statusOf(unlucky)).toBe('EXPIRED');
    expect(await stock(id)).toEqual({ onHand: 1, reserved: 1, available: 0 });
  });
});

describe('stock.changed from admin writes', () => {
  it('is written with every setStock, with totals over all warehouses', async () => {
    const id = fresh('shelf');
    await setStock(id, 4, 'main');
    await setStock(id, 3, 'east');
    await published();
    expect(eventsAbout(id, 'stock.changed').map((e) => e.data)).toEqual([
      { productId: id, available: 4, reserved: 0, onHand: 4, inStock: true, previousAvailable: 0 },
      { productId: id, available: 7, reserved: 0, onHand: 7, inStock: true, previousAvailable: 4 },
    ]);
  });
});
