import { describe, expect, it } from '@jest/globals';
import { NO_STOCK, customerToken, eventsOf, expectError, newProductId, reserve, setStock, setStockLevels, stockOf, useInventoryStack } from './inventoryStack.js';

// setStockLevels: many products and warehouses in one all-or-nothing admin write.
useInventoryStack('inventory_stock_levels');

describe('setStockLevels', () => {
  it('sets many levels in one call and returns each product once, in order', async () => {
    const [a, b] = [newProductId('bulk'), newProductId('bulk')] as [string, string];
    const result = await setStockLevels([
      { productId: b, quantity: 0 },
      { productId: a, warehouse: 'main', quantity: 4 },
      { productId: a, warehouse: 'east', quantity: 2 },
    ]);
    expect(result.errors).toBeUndefined();
    expect(result.data?.setStockLevels).toEqual([
      { id: b, inStock: false, stock: { available: 0, onHand: 0 } },
      { id: a, inStock: true, stock: { available: 6, onHand: 6 } },
    ]);
    expect((await stockOf(a))[0]?.stock.warehouses.map((w) => [w.warehouse, w.onHand])).toEqual([
      ['east', 2],
      ['main', 4],
    ]);
    expect(await eventsOf(a)).toHaveLength(2);
  });

  it('seeds 500 products in one call, as the demo launcher does', async () => {
    const levels = Array.from({ length: 500 }, (_, i) => ({ productId: newProductId('seed'), quantity: i }));
    const result = await setStockLevels(levels);
    expect(result.errors).toBeUndefined();
    expect(result.data?.setStockLevels.map((p) => p.id)).toEqual(levels.map((l) => l.productId));
    const products = await stockOf(levels[0]!.productId, levels[499]!.productId);
    expect(products.map((p) => p.stock.onHand)).toEqual([0, 499]);
  });

  it('writes nothing when one level is invalid, and names that level', async () => {
    const [a, b] = [newProductId('atomic'), newProductId('atomic')] as [string, string];
    const result = await setStockLevels([
      { productId: a, quantity: 5 },
      { productId: b, warehouse: 'east', quantity: 5 },
      { productId: b, quantity: -1 },
    ]);
    expectError(result, 'BAD_USER_INPUT', 'levels[2].quantity');
    expect(await stockOf(a, b)).toEqual([
      { id: a, inStock: false, stock: NO_STOCK },
      { id: b, inStock: false, stock: NO_STOCK },
    ]);
    expect(await eventsOf(a)).toEqual([]);
  });

  it('writes nothing when one level would go below its reserved units', async () => {
    const [fresh, held] = [newProductId('atomic'), newProductId('atomic')] as [string, string];
    await setStock({ productId: held, quantity: 10 });
    await reserve(held, 'main', 6);
    const eventsBefore = await eventsOf(held);

    const result = await setStockLevels([
      { productId: fresh, quantity: 9 },
      { productId: held, warehouse: 'east', quantity: 3 },
      { productId: held, quantity: 5 },
    ]);
    expectError(result, 'CONFLICT', 'levels[2].quantity');
    expect(result.errors?.[0]?.message).toMatch(/6 units are reserved/);

    expect(await stockOf(fresh, held)).toEqual([
      { id: fresh, inStock: false, stock: NO_STOCK },
      {
        id: held,
        inStock: true,
        stock: { available: 4, reserved: 6, onHand: 10, warehouses: [{ warehouse: 'main', onHand: 10, reserved: 6, available: 4 }] },
      },
    ]);
    expect(await eventsOf(fresh)).toEqual([]);
    expect(await eventsOf(held)).toEqual(eventsBefore);
  });

  it('refuses the same product and warehouse twice in one call', async () => {
    const id = newProductId('twice');
    const result = await setStockLevels([
      { productId: id, warehouse: 'main', quantity: 1 },
      { productId: id, warehouse: 'MAIN', quantity: 2 },
    ]);
    expectError(result, 'BAD_USER_INPUT', 'levels[1].warehouse');
    expect((await stockOf(id))[0]?.stock).toEqual(NO_STOCK);
  });

  it('refuses more than 500 levels in one call', async () => {
    const levels = Array.from({ length: 501 }, (_, i) => ({ productId: `too-many-${i}`, quantity: 1 }));
    expectError(await setStockLevels(levels), 'BAD_USER_INPUT', 'levels');
    expect((await stockOf('too-many-0'))[0]?.stock).toEqual(NO_STOCK);
  });

  it('is for admins only', async () => {
    const id = newProductId('bulk-auth');
    expectError(await setStockLevels([{ productId: id, quantity: 1 }], customerToken), 'FORBIDDEN');
    expectError(await setStockLevels([{ productId: id, quantity: 1 }], ''), 'UNAUTHENTICATED');
    expect((await stockOf(id))[0]?.stock).toEqual(NO_STOCK);
  });
});
