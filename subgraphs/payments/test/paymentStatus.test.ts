import { describe, expect, it } from '@jest/globals';
import { canTransition, PAYMENT_STATUSES, statusesLeadingTo, type PaymentStatus } from '../src/paymentStatus.js';

describe('payment state machine', () => {
  const allowed: Array<[PaymentStatus, PaymentStatus]> = [
    ['PROCESSING', 'REQUIRES_ACTION'],
    ['PROCESSING', 'SUCCEEDED'],
    ['PROCESSING', 'FAILED'],
    ['REQUIRES_ACTION', 'SUCCEEDED'],
    ['REQUIRES_ACTION', 'FAILED'],
    ['SUCCEEDED', 'PARTIALLY_REFUNDED'],
    ['SUCCEEDED', 'REFUNDED'],
    ['FAILED', 'SUCCEEDED'],
    ['PARTIALLY_REFUNDED', 'REFUNDED'],
  ];

  it('allows exactly these moves', () => {
    const all = PAYMENT_STATUSES.flatMap((from) => PAYMENT_STATUSES.map((to) => [from, to] as [PaymentStatus, PaymentStatus]));
    expect(all.filter(([from, to]) => canTransition(from, to))).toEqual(allowed);
  });

  it('never leaves REFUNDED, never re-enters PROCESSING, never fails or refunds twice', () => {
    expect(PAYMENT_STATUSES.filter((to) => canTransition('REFUNDED', to))).toEqual([]);
    expect(statusesLeadingTo('PROCESSING')).toEqual([]);
    expect(statusesLeadingTo('FAILED')).not.toContain('FAILED');
    expect(statusesLeadingTo('REFUNDED')).toEqual(['SUCCEEDED', 'PARTIALLY_REFUNDED']);
    expect(statusesLeadingTo('SUCCEEDED')).toEqual(['PROCESSING', 'REQUIRES_ACTION', 'FAILED']);
  });
});
