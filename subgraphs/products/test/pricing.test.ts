import { describe, expect, it } from '@jest/globals';
import { applyDiscount, currentPrices, effectivePrice, exchangeRates, isDiscountActive, priceIn, variantPrice, variantPriceIn } from '../src/pricing.js';
import type { DiscountDocument } from '../src/repository.js';

const NOW = new Date('2025-03-01T12:00:00Z');
const before = new Date('2025-02-01T00:00:00Z');
const after = new Date('2025-04-01T00:00:00Z');
const eur = (minor: number) => ({ minor, currency: 'EUR' });
const percent = (basisPoints: number, startsAt: Date | null = null, endsAt: Date | null = null): DiscountDocument => ({
  type: 'PERCENTAGE',
  value: basisPoints,
  startsAt,
  endsAt,
});

describe('discount windows', () => {
  it('is active from its start (inclusive) until its end (exclusive); open bounds are open', () => {
    expect(isDiscountActive(percent(1000, before, after), NOW)).toBe(true);
    expect(isDiscountActive(percent(1000, NOW, null), NOW)).toBe(true);
    expect(isDiscountActive(percent(1000, before, NOW), NOW)).toBe(false);
    expect(isDiscountActive(percent(1000, after, null), NOW)).toBe(false);
    expect(isDiscountActive(percent(1000), NOW)).toBe(true);
    expect(isDiscountActive(null, NOW)).toBe(false);
  });
});

describe('effective price', () => {
  it('takes an active percentage off the base price, rounding the reduction half up to a cent', () => {
    // 25 % of 37.90 is 9.475, so 9.48 off.
    expect(effectivePrice({ basePrice: eur(3790), discount: percent(2500, before, after) }, NOW)).toEqual(eur(2842));
  });

  it('ignores an expired or not yet started discount', () => {
    expect(effectivePrice({ basePrice: eur(3790), discount: percent(2500, before, NOW) }, NOW)).toEqual(eur(3790));
    expect(effectivePrice({ basePrice: eur(3790), discount: percent(2500, after, null) }, NOW)).toEqual(eur(3790));
  });

  it('takes a fixed amount off, but never below zero', () => {
    const fixed = (value: number): DiscountDocument => ({ type: 'FIXED', value, startsAt: null, endsAt: null });
    expect(effectivePrice({ basePrice: eur(1999), discount: fixed(500) }, NOW)).toEqual(eur(1499));
    expect(effectivePrice({ basePrice: eur(1999), discount: fixed(5000) }, NOW)).toEqual(eur(0));
  });

  it('keeps the currency, with its own minor units', () => {
    expect(applyDiscount({ minor: 1000, currency: 'JPY' }, percent(1000), NOW)).toEqual({ minor: 900, currency: 'JPY' });
  });
});

describe('variant price', () => {
  const product = { basePrice: eur(2000), discount: percent(1000, before, after) };

  it("uses the product's price when the variant has none of its own", () => {
    expect(variantPrice(product, { priceMinor: null }, NOW)).toEqual(eur(1800));
  });

  it("applies the product's discount to the variant's own list price", () => {
    expect(variantPrice(product, { priceMinor: 2200 }, NOW)).toEqual(eur(1980));
  });
});

describe('prices in other currencies', () => {
  const rates = exchangeRates([{ _id: 'JPY:EUR', from: 'JPY', to: 'EUR', rate: '0.0062', updatedAt: NOW }, { _id: 'EUR:GBP', from: 'EUR', to: 'GBP', rate: '0.86', updatedAt: NOW }]);
  const product = { basePrice: eur(1999), discount: null, prices: { USD: 2500 } };

  it('uses a fixed price first, then a direct rate, then the inverse of the opposite rate', () => {
    expect(priceIn(product, 'USD', rates, NOW)).toEqual({ minor: 2500, currency: 'USD' });
    expect(priceIn(product, 'GBP', rates, NOW)).toEqual({ minor: 1719, currency: 'GBP' });
    // 19.99 / 0.0062 = 3224.19... yen: whole yen, no minor unit.
    expect(priceIn(product, 'JPY', rates, NOW)).toEqual({ minor: 3224, currency: 'JPY' });
  });

  it('stays in its own currency without a fixed price or a rate', () => {
    expect(priceIn(product, 'CHF', rates, NOW)).toEqual(eur(1999));
    expect(priceIn(product, 'EUR', rates, NOW)).toEqual(eur(1999));
  });

  it('takes the same share off in every currency while a discount is active', () => {
    const onSale = { ...product, discount: percent(2500) };
    expect(priceIn(onSale, 'EUR', rates, NOW)).toEqual(eur(1499));
    expect(priceIn(onSale, 'USD', rates, NOW)).toEqual({ minor: 1875, currency: 'USD' });
    expect(priceIn(onSale, 'JPY', rates, NOW)).toEqual({ minor: 2418, currency: 'JPY' });
  });

  it("prices a variant like its product there: the product's price without a list price of its own, else its own converted", () => {
    const onSale = { ...product, discount: percent(2500) };
    expect(variantPriceIn(onSale, { priceMinor: null }, 'USD', rates, NOW)).toEqual(priceIn(onSale, 'USD', rates, NOW));
    expect(variantPriceIn(onSale, { priceMinor: null }, 'JPY', rates, NOW)).toEqual(priceIn(onSale, 'JPY', rates, NOW));
    // 24.00 EUR is 3870.96... yen, whole yen; a quarter off: 2903.
    expect(variantPriceIn(onSale, { priceMinor: 2400 }, 'JPY', rates, NOW)).toEqual({ minor: 2903, currency: 'JPY' });
    // The product's fixed USD price is not the variant's: no USD rate, so its own currency.
    expect(variantPriceIn(onSale, { priceMinor: 2400 }, 'USD', rates, NOW)).toEqual(eur(1800));
    expect(variantPriceIn(onSale, { priceMinor: 2400 }, 'EUR', rates, NOW)).toEqual(variantPrice(onSale, { priceMinor: 2400 }, NOW));
  });

  it('lists the current price in its own currency, each fixed one and each a rate reaches, as priceIn answers (what search indexes)', () => {
    const onSale = { ...product, discount: percent(2500) };
    expect(currentPrices(onSale, rates, NOW)).toEqual(['EUR', 'GBP', 'JPY', 'USD'].map((currency) => priceIn(onSale, currency, rates, NOW)));
    expect(currentPrices({ basePrice: { minor: 500, currency: 'CHF' }, discount: null }, rates, NOW)).toEqual([{ minor: 500, currency: 'CHF' }]);
  });
});
