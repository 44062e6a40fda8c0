import { describe, expect, it } from '@jest/globals';
import { allocate, mergeItems, unitsPerProduct } from '../src/reservations.js';
import type { StockLevel } from '../src/stock.js';

const level = (productId: string, warehouse: string, onHand: number, reserved = 0): StockLevel => ({ productId, warehouse, onHand, reserved });

describe('allocate', () => {
  it('takes a product from the warehouse with the most units free, splitting only when it must', () => {
    const levels = [level('a', 'east', 3), level('a', 'main', 10, 4), level('a', 'west', 2), level('b', 'main', 1)];
    expect(allocate([{ productId: 'a', quantity: 5 }, { productId: 'b', quantity: 1 }], levels)).toEqual({
      ok: true,
      allocations: [
        { productId: 'a', warehouse: 'main', quantity: 5 },
        { productId: 'b', warehouse: 'main', quantity: 1 },
      ],
    });
    expect(allocate([{ productId: 'a', quantity: 10 }], levels)).toEqual({
      ok: true,
      allocations: [
        { productId: 'a', warehouse: 'east', quantity: 3 },
        { productId: 'a', warehouse: 'main', quantity: 6 },
        { productId: 'a', warehouse: 'west', quantity: 1 },
      ],
    });
  });

  it('breaks ties by warehouse name, so the same stock always gives the same answer', () => {
    const levels = [level('a', 'west', 4), level('a', 'east', 4)];
    expect(allocate([{ productId: 'a', quantity: 1 }], levels)).toEqual({ ok: true, allocations: [{ productId: 'a', warehouse: 'east', quantity: 1 }] });
  });

  it('reports every short product with what is available, and allocates nothing', () => {
    const levels = [level('a', 'main', 2, 1), level('b', 'main', 5), level('c', 'main', 3, 3)];
    expect(
      allocate(
        [
          { productId: 'a', quantity: 2 },
          { productId: 'b', quantity: 5 },
          { productId: 'c', quantity: 1 },
          { productId: 'never-stocked', quantity: 1 },
        ],
        levels,
      ),
    ).toEqual({
      ok: false,
      shortages: [
        { productId: 'a', requested: 2, available: 1 },
        { productId: 'c', requested: 1, available: 0 },
        { productId: 'never-stocked', requested: 1, available: 0 },
      ],
    });
  });

  it('merges repeated products and sums units per product', () => {
    expect(mergeItems([{ productId: 'b', quantity: 1 }, { productId: 'a', quantity: 2 }, { productId: 'b', quantity: 3 }])).toEqual([
      { productId: 'b', quantity: 4 },
      { productId: 'a', quantity: 2 },
    ]);
    expect(
      unitsPerProduct([
        { productId: 'b', warehouse: 'x', quantity: 1 },
        { productId: 'a', warehouse: 'y', quantity: 2 },
        { productId: 'b', warehouse: 'w', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 4 },
    ]);
  });
});
