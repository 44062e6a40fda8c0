import { describe, expect, it } from '@jest/globals';
import { AppError } from '@shop/errors';
import type { CatalogPrice } from '../src/catalog.js';
import { addLine, assertQuantity, emptyCart, mergeLines, pricedLines, removeLine, setLineQuantity, subtotalOf } from '../src/cartRules.js';
import type { Cart, CartLine } from '../src/model.js';

const NOW = '2025-01-31T09:30:00.000Z';
const LATER = '2025-01-31T10:00:00.000Z';

function cartWith(lines: CartLine[], id = 'cart-1', userId: string | null = null): Cart {
  return { ...emptyCart(id, userId, NOW), version: 1, lines };
}

function eur(...entries: Array<[string, number | null]>): Map<string, CatalogPrice | null> {
  return new Map(entries.map(([id, minor]) => [id, minor === null ? null : { minor, currency: 'EUR' }]));
}

/** The code and field of the AppError `run` throws. */
function refusal(run: () => unknown): [string, unknown] {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return [error.code, error.extensions.field];
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('cart rules', () => {
  it('accepts quantities 1..99 for adding and 0..99 for setting, whole numbers only', () => {
    for (const quantity of [1, 99]) assertQuantity(quantity, { allowZero: false });
    assertQuantity(0, { allowZero: true });
    for (const quantity of [0, -1, 100, 1.5]) {
      expect(refusal(() => assertQuantity(quantity, { allowZero: false }))).toEqual(['BAD_USER_INPUT', 'quantity']);
    }
    expect(refusal(() => assertQuantity(-1, { allowZero: true }))).toEqual(['BAD_USER_INPUT', 'quantity']);
  });

  it('adds a new product at the end and more of a product to its line, stamping the time', () => {
    const cart = cartWith([{ productId: 'a', quantity: 1 }]);
    const prices = eur(['a', 100], ['b', 250]);
    const added = addLine(cart, 'b', 2, prices, LATER);
    expect(added.lines).toEqual([{ productId: 'a', quantity: 1 }, { productId: 'b', quantity: 2 }]);
    expect(added.updatedAt).toBe(LATER);
    expect(addLine(added, 'a', 98, prices, LATER).lines[0]).toEqual({ productId: 'a', quantity: 99 });
    expect(refusal(() => addLine(added, 'a', 99, prices, LATER))).toEqual(['BAD_USER_INPUT', 'quantity']);
    expect(cart.lines).toHaveLength(1);
  });

  it('refuses unknown products, another currency and a 101st line', () => {
    const cart = cartWith([{ productId: 'a', quantity: 1 }]);
    const prices = new Map<string, CatalogPrice | null>([['a', { minor: 100, currency: 'EUR' }], ['x', null], ['y', { minor: 5, currency: 'JPY' }]]);
    expect(refusal(() => addLine(cart, 'x', 1, prices, LATER))).toEqual(['BAD_USER_INPUT', 'productId']);
    expect(refusal(() => addLine(cart, 'y', 1, prices, LATER))).toEqual(['BAD_USER_INPUT', 'productId']);
    const full = cartWith(Array.from({ length: 100 }, (_, i) => ({ productId: `p-${i}`, quantity: 1 })));
    const fullPrices = eur(...Array.from({ length: 101 }, (_, i): [string, number] => [`p-${i}`, 1]));
    expect(refusal(() => addLine(full, 'p-100', 1, fullPrices, LATER))).toEqual(['CONFLICT', 'productId']);
  });

  it('sets, removes and returns the very same cart when nothing changes', () => {
    const cart = cartWith([{ productId: 'a', quantity: 1 }, { productId: 'b', quantity: 2 }]);
    const prices = eur(['a', 100], ['b', 100]);
    expect(setLineQuantity(cart, 'b', 5, prices, LATER).lines).toEqual([{ productId: 'a', quantity: 1 }, { productId: 'b', quantity: 5 }]);
    expect(setLineQuantity(cart, 'a', 0, prices, LATER).lines).toEqual([{ productId: 'b', quantity: 2 }]);
    expect(refusal(() => setLineQuantity(cart, 'c', 1, prices, LATER))).toEqual(['BAD_USER_INPUT', 'productId']);
    expect(removeLine(cart, 'c', prices, LATER)).toBe(cart);
    expect(setLineQuantity(cart, 'b', 2, prices, LATER)).toBe(cart);
  });

  it('drops lines whose product the catalog no longer knows, on reads and on changes', () => {
    const cart = cartWith([{ productId: 'gone', quantity: 1 }, { productId: 'a', quantity: 2 }]);
    const prices = eur(['gone', null], ['a', 100]);
    expect(pricedLines(cart, prices).map((line) => line.productId)).toEqual(['a']);
    expect(removeLine(cart, 'x', prices, LATER).lines).toEqual([{ productId: 'a', quantity: 2 }]);
  });

  it('refuses to work on prices that were never looked up', () => {
    expect(() => pricedLines(cartWith([{ productId: 'a', quantity: 1 }]), new Map())).toThrow(/not looked up/);
  });

  it('sums in minor units and refuses to sum two currencies', () => {
    const lines = pricedLines(cartWith([{ productId: 'a', quantity: 3 }, { productId: 'b', quantity: 1 }]), eur(['a', 1999], ['b', 1]));
    expect(subtotalOf(lines)).toEqual({ minor: 5998, currency: 'EUR' });
    expect(subtotalOf([])).toEqual({ minor: 0, currency: 'EUR' });
    const mixed = [...lines, { productId: 'y', quantity: 1, unitPrice: { minor: 5, currency: 'JPY' } }];
    expect(refusal(() => subtotalOf(mixed))[0]).toBe('CONFLICT');
  });

  describe('merging a guest cart', () => {
    const prices = new Map<string, CatalogPrice | null>([
      ['a', { minor: 100, currency: 'EUR' }],
      ['b', { minor: 100, currency: 'EUR' }],
      ['c', { minor: 100, currency: 'EUR' }],
      ['gone', null],
      ['yen', { minor: 100, currency: 'JPY' }],
    ]);

    it("sums quantities up to 99, appends new products, leaves unknown and foreign-currency ones behind", () => {
      const user = cartWith([{ productId: 'a', quantity: 50 }, { productId: 'b', quantity: 1 }], 'user-cart', 'u-1');
      const guest = cartWith([{ productId: 'a', quantity: 60 }, { productId: 'gone', quantity: 1 }, { productId: 'yen', quantity: 1 }, { productId: 'c', quantity: 2 }], 'guest');
      const merged = mergeLines(user, guest, prices, LATER);
      expect(merged.lines).toEqual([{ productId: 'a', quantity: 99 }, { productId: 'b', quantity: 1 }, { productId: 'c', quantity: 2 }]);
      expect(merged).toMatchObject({ id: 'user-cart', userId: 'u-1', mergedCartIds: ['guest'], updatedAt: LATER });
      // The same guest cart again (a merge retried after a crash) adds nothing.
      expect(mergeLines(merged, guest, prices, LATER)).toBe(merged);
    });

    it("takes the guest cart's currency into an empty cart and stops at 100 lines", () => {
      const yenGuest = cartWith([{ productId: 'yen', quantity: 1 }, { productId: 'a', quantity: 1 }], 'guest');
      expect(mergeLines(cartWith([], 'user-cart', 'u-1'), yenGuest, prices, LATER).lines).toEqual([{ productId: 'yen', quantity: 1 }]);

      const many = new Map(Array.from({ length: 120 }, (_, i): [string, CatalogPrice] => [`p-${i}`, { minor: 1, currency: 'EUR' }]));
      const user = cartWith(Array.from({ length: 90 }, (_, i) => ({ productId: `p-${i}`, quantity: 1 })), 'user-cart', 'u-1');
      const guest = cartWith(Array.from({ length: 30 }, (_, i) => ({ productId: `p-${i + 85}`, quantity: 1 })), 'guest');
      const merged = mergeLines(user, guest, many, LATER);
      expect(merged.lines).toHaveLength(100);
      expect(merged.lines.find((line) => line.productId === 'p-89')?.quantity).toBe(2);
      expect(merged.lines.at(-1)?.productId).toBe('p-99');
    });

    it('remembers only the latest merged guest carts', () => {
      let user = cartWith([], 'user-cart', 'u-1');
      for (let i = 0; i < 25; i += 1) user = mergeLines(user, cartWith([], `guest-${i}`), prices, LATER);
      expect(user.mergedCartIds).toHaveLength(20);
      expect(user.mergedCartIds[0]).toBe('guest-5');
    });
  });
});
