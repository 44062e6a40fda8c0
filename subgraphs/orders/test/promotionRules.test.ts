import { describe, expect, it } from '@jest/globals';
import { money } from '@shop/money';
import { allocateDiscount, parsePromotionInput, quote, type Promotion } from '../src/promotionRules.js';

const NOW = new Date('2026-06-15T12:00:00.000Z');

function promotion(overrides: Partial<Promotion> = {}): Promotion {
  return {
    id: 'p-1',
    code: 'SAVE',
    kind: 'PERCENTAGE',
    percentBp: 1000,
    amountMinor: null,
    currency: null,
    minSubtotalMinor: null,
    startsAt: null,
    endsAt: null,
    usageLimit: null,
    perCustomerLimit: null,
    timesUsed: 0,
    createdAt: NOW,
    ...overrides,
  };
}

const request = (minor: number, currency = 'EUR', customerUses = 0) => ({ code: 'save', subtotal: money(minor, currency), now: NOW, customerUses });

describe('promotion rules', () => {
  it('parses admin input into minor units and basis points, naming the field it refuses', () => {
    expect(parsePromotionInput({ code: ' summer-25 ', kind: 'PERCENTAGE', value: '12.5' })).toMatchObject({ code: 'SUMMER-25', percentBp: 1250, currency: null });
    expect(parsePromotionInput({ code: 'YEN', kind: 'FIXED_AMOUNT', value: '500', currency: 'JPY' })).toMatchObject({ amountMinor: 500, currency: 'JPY' });
    expect(parsePromotionInput({ code: 'MIN', kind: 'FREE_SHIPPING', value: 'ignored', minSubtotal: { amount: '50', currencyCode: 'GBP' } })).toMatchObject({
      minSubtotalMinor: 5000,
      currency: 'GBP',
    });
    const field = (input: Parameters<typeof parsePromotionInput>[0]) => {
      try {
        parsePromotionInput(input);
        return null;
      } catch (error) {
        return (error as { extensions?: { field?: string } }).extensions?.field;
      }
    };
    expect(field({ code: 'no spaces', kind: 'PERCENTAGE', value: '5' })).toBe('input.code');
    expect(field({ code: 'ZERO', kind: 'PERCENTAGE', value: '0' })).toBe('input.value');
    expect(field({ code: 'YEN', kind: 'FIXED_AMOUNT', value: '5.50', currency: 'JPY' })).toBe('input.value');
    expect(field({ code: 'MIX', kind: 'FIXED_AMOUNT', value: '5', currency: 'EUR', minSubtotal: { amount: '9', currencyCode: 'USD' } })).toBe('input.minSubtotal.currencyCode');
    expect(field({ code: 'BACK', kind: 'PERCENTAGE', value: '5', startsAt: NOW, endsAt: NOW })).toBe('input.endsAt');
    expect(field({ code: 'LIMIT', kind: 'PERCENTAGE', value: '5', usageLimit: 0 })).toBe('input.usageLimit');
  });

  it('says why a code gives nothing, in the order a shopper can act on', () => {
    expect(quote(null, request(1000)).status).toBe('UNKNOWN');
    expect(quote(promotion({ startsAt: new Date('2026-07-01T00:00:00Z') }), request(1000)).message).toBe('SAVE can be used from 2026-07-01');
    expect(quote(promotion({ endsAt: NOW }), request(1000)).status).toBe('EXPIRED');
    expect(quote(promotion({ usageLimit: 3, timesUsed: 3 }), request(1000)).status).toBe('USED_UP');
    expect(quote(promotion({ perCustomerLimit: 1 }), request(1000, 'EUR', 1)).message).toBe('You have already used SAVE; it can be used once per customer');
    expect(quote(promotion({ currency: 'EUR', minSubtotalMinor: 100 }), request(1000, 'JPY')).status).toBe('WRONG_CURRENCY');
    expect(quote(promotion({ currency: 'EUR', minSubtotalMinor: 5000 }), request(3750)).message).toBe('Add 12.50 EUR more to use SAVE (minimum order 50.00 EUR)');
  });

  it('computes the discount: percentages rounded half up, fixed amounts never above the subtotal, free shipping off the shipping', () => {
    expect(quote(promotion({ percentBp: 1250 }), request(1999)).discount).toEqual(money(250, 'EUR'));
    expect(quote(promotion({ percentBp: 1000 }), request(1999, 'JPY')).discount).toEqual(money(200, 'JPY'));
    const fixed = promotion({ kind: 'FIXED_AMOUNT', percentBp: null, amountMinor: 1000, currency: 'EUR' });
    expect(quote(fixed, request(750)).discount).toEqual(money(750, 'EUR'));
    const free = promotion({ kind: 'FREE_SHIPPING', percentBp: null });
    expect(quote(free, request(750)).discount).toEqual(money(0, 'EUR'));
    expect(quote(free, { ...request(750), shipping: money(499, 'EUR') })).toMatchObject({ discount: money(499, 'EUR'), freeShipping: true });
  });

  it('splits a discount over lines pro rata, the shares adding up exactly', () => {
    expect(allocateDiscount([1000, 2000, 3000], 600)).toEqual([100, 200, 300]);
    expect(allocateDiscount([333, 333, 334], 100)).toEqual([33, 33, 34]);
    expect(allocateDiscount([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(allocateDiscount([500, 0], 0)).toEqual([0, 0]);
    const shares = allocateDiscount([1999, 4999, 12345], 1234);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(1234);
  });
});
