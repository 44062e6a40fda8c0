import { describe, expect, it } from '@jest/globals';
import { cartWeightGrams, quote, zoneFor, type RateCard, type ShippingMethod, type ShippingZone } from '../src/rates.js';

const method = (id: string, overrides: Partial<ShippingMethod> = {}): ShippingMethod => ({
  id,
  name: id,
  carrier: null,
  active: true,
  estimatedDaysMin: 1,
  estimatedDaysMax: 3,
  freeShippingEligible: false,
  ...overrides,
});

const ZONES: ShippingZone[] = [
  { id: 'domestic', name: 'Germany', countries: ['DE'], fallback: false },
  { id: 'eu', name: 'EU', countries: ['AT', 'FR', 'ES'], fallback: false },
  { id: 'canaries', name: 'Canary Islands', countries: ['ES'], fallback: false },
  { id: 'world', name: 'World', countries: [], fallback: true },
];

const CARD: RateCard = {
  methods: [method('standard', { freeShippingEligible: true, estimatedDaysMax: 4 }), method('express', { estimatedDaysMax: 2 }), method('retired', { active: false })],
  zones: ZONES,
  rates: [
    { methodId: 'standard', zoneId: 'domestic', maxWeightGrams: 2000, priceMinor: 490, currency: 'EUR' },
    { methodId: 'standard', zoneId: 'domestic', maxWeightGrams: null, priceMinor: 1490, currency: 'EUR' },
    { methodId: 'standard', zoneId: 'domestic', maxWeightGrams: null, priceMinor: 1200, currency: 'USD' },
    { methodId: 'express', zoneId: 'domestic', maxWeightGrams: 30000, priceMinor: 990, currency: 'EUR' },
    { methodId: 'retired', zoneId: 'domestic', maxWeightGrams: null, priceMinor: 1, currency: 'EUR' },
    { methodId: 'standard', zoneId: 'world', maxWeightGrams: null, priceMinor: 1990, currency: 'EUR' },
  ],
};

const eur = (minor: number) => ({ minor, currency: 'EUR' });
const priced = (quotes: ReturnType<typeof quote>) => quotes.map((q) => [q.method.id, q.price.minor, q.price.currency, q.estimatedDays]);

describe('zoneFor', () => {
  it('finds the zone listing the country, upper-casing it', () => {
    expect(zoneFor(ZONES, 'DE')?.id).toBe('domestic');
    expect(zoneFor(ZONES, ' fr ')?.id).toBe('eu');
  });

  it('prefers the most specific zone when several list the country', () => {
    expect(zoneFor(ZONES, 'ES')?.id).toBe('canaries');
  });

  it('falls back to the fallback zone, or to none when there is no fallback', () => {
    expect(zoneFor(ZONES, 'US')?.id).toBe('world');
    expect(zoneFor(ZONES.filter((z) => !z.fallback), 'US')).toBeNull();
  });
});

describe('cartWeightGrams', () => {
  it('sums quantity times weight, counting products without one at the default', () => {
    const lines = [
      { productId: 'a', quantity: 3, weightGrams: 250 },
      { productId: 'b', quantity: 2, weightGrams: null },
      { productId: 'c', quantity: 1, weightGrams: 0 },
    ];
    expect(cartWeightGrams(lines, 500)).toBe(1750);
  });
});

describe('quote', () => {
  it('prices each active method with its cheapest fitting bracket, cheapest first', () => {
    expect(priced(quote(CARD, { country: 'DE', weightGrams: 2000, subtotal: eur(1000) }, null))).toEqual([
      ['standard', 490, 'EUR', 4],
      ['express', 990, 'EUR', 2],
    ]);
    expect(priced(quote(CARD, { country: 'DE', weightGrams: 2001, subtotal: eur(1000) }, null))).toEqual([
      ['express', 990, 'EUR', 2],
      ['standard', 1490, 'EUR', 4],
    ]);
  });

  it('leaves out a method with no bracket for the weight or no row for the zone', () => {
    expect(priced(quote(CARD, { country: 'DE', weightGrams: 30001, subtotal: eur(1000) }, null))).toEqual([['standard', 1490, 'EUR', 4]]);
    expect(priced(quote(CARD, { country: 'US', weightGrams: 100, subtotal: eur(1000) }, null))).toEqual([['standard', 1990, 'EUR', 4]]);
    expect(quote(CARD, { country: 'AT', weightGrams: 100, subtotal: eur(1000) }, null)).toEqual([]);
  });

  it('charges in the cart currency only', () => {
    expect(priced(quote(CARD, { country: 'DE', weightGrams: 100, subtotal: { minor: 1000, currency: 'USD' } }, null))).toEqual([
      ['standard', 1200, 'USD', 4],
    ]);
  });

  it('makes eligible methods free from the threshold on, in the threshold currency only', () => {
    const parcel = (subtotalMinor: number, currency = 'EUR') => ({ country: 'DE', weightGrams: 100, subtotal: { minor: subtotalMinor, currency } });
    expect(priced(quote(CARD, parcel(4999), eur(5000)))).toEqual([
      ['standard', 490, 'EUR', 4],
      ['express', 990, 'EUR', 2],
    ]);
    expect(priced(quote(CARD, parcel(5000), eur(5000)))).toEqual([
      ['standard', 0, 'EUR', 4],
      ['express', 990, 'EUR', 2],
    ]);
    expect(priced(quote(CARD, parcel(9000, 'USD'), eur(5000)))).toEqual([['standard', 1200, 'USD', 4]]);
  });

  it('breaks price ties by speed, then by id', () => {
    const card: RateCard = {
      methods: [method('b-slow', { estimatedDaysMax: 5 }), method('c-fast', { estimatedDaysMax: 1 }), method('a-fast', { estimatedDaysMax: 1 })],
      zones: ZONES,
      rates: ['b-slow', 'c-fast', 'a-fast'].map((methodId) => ({ methodId, zoneId: 'domestic', maxWeightGrams: null, priceMinor: 500, currency: 'EUR' })),
    };
    expect(quote(card, { country: 'DE', weightGrams: 1, subtotal: eur(1) }, null).map((q) => q.method.id)).toEqual(['a-fast', 'c-fast', 'b-slow']);
  });
});
