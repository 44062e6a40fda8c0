import { describe, expect, it } from '@jest/globals';
import { AppError } from '@shop/errors';
import { assertTransition, canTransition, CUSTOMER_CANCELLABLE, isOrderStatus, ORDER_STATUSES, type OrderStatus } from '../src/statusMachine.js';

// The whole table, written out: every pair not listed here must be refused.
const ALLOWED: Array<[OrderStatus, OrderStatus]> = [
  ['PENDING_PAYMENT', 'PAID'],
  ['PENDING_PAYMENT', 'CANCELLED'],
  ['PAID', 'FULFILLING'],
  ['PAID', 'SHIPPED'],
  ['PAID', 'CANCELLED'],
  ['FULFILLING', 'SHIPPED'],
  ['FULFILLING', 'CANCELLED'],
  ['SHIPPED', 'DELIVERED'],
  ['DELIVERED', 'RETURN_REQUESTED'],
  ['RETURN_REQUESTED', 'PARTIALLY_REFUNDED'],
  ['RETURN_REQUESTED', 'REFUNDED'],
  ['PARTIALLY_REFUNDED', 'RETURN_REQUESTED'],
  ['PARTIALLY_REFUNDED', 'REFUNDED'],
];

const allPairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as [OrderStatus, OrderStatus]));
const isAllowed = (from: OrderStatus, to: OrderStatus) => ALLOWED.some(([f, t]) => f === from && t === to);

describe('order status machine', () => {
  it('knows exactly the nine statuses of the API', () => {
    expect([...ORDER_STATUSES].sort()).toEqual(
      ['CANCELLED', 'DELIVERED', 'FULFILLING', 'PAID', 'PARTIALLY_REFUNDED', 'PENDING_PAYMENT', 'REFUNDED', 'RETURN_REQUESTED', 'SHIPPED'],
    );
    expect(isOrderStatus('PAID')).toBe(true);
    expect(isOrderStatus('paid')).toBe(false);
    expect(isOrderStatus(undefined)).toBe(false);
  });

  it.each(allPairs.filter(([from, to]) => isAllowed(from, to)))('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(allPairs.filter(([from, to]) => !isAllowed(from, to)))('refuses %s -> %s with CONFLICT', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    let thrown: unknown;
    try {
      assertTransition(from, to);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('CONFLICT');
    expect((thrown as AppError).extensions).toMatchObject({ reason: 'ILLEGAL_TRANSITION', from, to });
    expect((thrown as AppError).message).toBe(`An order that is ${from} cannot become ${to}`);
  });

  it('ends in CANCELLED and REFUNDED: nothing follows them', () => {
    for (const to of ORDER_STATUSES) {
      expect(canTransition('CANCELLED', to)).toBe(false);
      expect(canTransition('REFUNDED', to)).toBe(false);
    }
  });

  it('lets customers cancel only before fulfilment, and only where the machine allows cancelling', () => {
    expect([...CUSTOMER_CANCELLABLE]).toEqual(['PENDING_PAYMENT', 'PAID']);
    for (const status of CUSTOMER_CANCELLABLE) expect(canTransition(status, 'CANCELLED')).toBe(true);
  });
});
