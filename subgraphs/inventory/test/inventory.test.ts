import { describe, expect, it } from '@jest/globals';
import { graphqlOk, startTokenIssuer } from '@shop/testing';
import {
  ADMIN_ID,
  NO_STOCK,
  adminToken,
  customerToken,
  eventsOf,
  expectError,
  newProductId,
  reserve,
  setStock,
  setStockLevels,
  stockOf,
  subgraph,
  url,
  useInventoryStack,
} from './inventoryStack.js';

useInventoryStack('inventory');

describe('setStock', () => {
  it('lets an admin set stock, which the product then reports', async () => {
    const id = newProductId('lamp');
    const result = await setStock({ productId: id, quantity: 7 });
    expect(result.errors).toBeUndefined();
    expect(result.data?.setStock).toEqual({ id, inStock: true, stock: { available: 7, reserved: 0, onHand: 7 } });

    expect(await stockOf(id)).toEqual([
      {
        id,
        inStock: true,
        stock: { available: 7, reserved: 0, onHand: 7, warehouses: [{ warehouse: 'main', onHand: 7, reserved: 0, available: 7 }] },
      },
    ]);
  });

  it('shows a product sold out once its quantity is set to zero', async () => {
    const id = newProductId('chair');
    await setStock({ productId: id, quantity: 3 });
    const result = await setStock({ productId: id, quantity: 0 });
    expect(result.data?.setStock).toEqual({ id, inStock: false, stock: { available: 0, reserved: 0, onHand: 0 } });
    const [product] = await stockOf(id);
    expect(product?.inStock).toBe(false);
    expect(product?.stock.warehouses).toEqual([{ warehouse: 'main', onHand: 0, reserved: 0, available: 0 }]);
  });

  it('sums warehouses and counts only unreserved units as available', async () => {
    const id = newProductId('desk');
    await setStock({ productId: id, warehouse: 'main', quantity: 10 });
    await setStock({ productId: id, warehouse: 'East-1', quantity: 5 });
    await reserve(id, 'main', 3);

    expect(await stockOf(id)).toEqual([
      {
        id,
        inStock: true,
        stock: {
          available: 12,
          reserved: 3,
          onHand: 15,
          warehouses: [
            { warehouse: 'east-1', onHand: 5, reserved: 0, available: 5 },
            { warehouse: 'main', onHand: 10, reserved: 3, available: 7 },
          ],
        },
      },
    ]);
  });

  it('is not in stock when every unit on hand is reserved', async () => {
    const id = newProductId('rug');
    await setStock({ productId: id, quantity: 2 });
    await reserve(id, 'main', 2);
    const [product] = await stockOf(id);
    expect(product?.inStock).toBe(false);
    expect(product?.stock).toMatchObject({ available: 0, reserved: 2, onHand: 2 });
  });

  it('refuses to go below the reserved units, naming them, and changes nothing', async () => {
    const id = newProductId('sofa');
    await setStock({ productId: id, quantity: 10 });
    await reserve(id, 'main', 4);

    const refused = await setStock({ productId: id, quantity: 3 });
    expectError(refused, 'CONFLICT', 'quantity');
    expect(refused.errors?.[0]?.message).toMatch(/4 units are reserved/);
    expect(refused.errors?.[0]?.extensions?.reserved).toBe(4);
    expect((await stockOf(id))[0]?.stock).toMatchObject({ onHand: 10, reserved: 4, available: 6 });

    const exact = await setStock({ productId: id, quantity: 4 });
    expect(exact.data?.setStock).toEqual({ id, inStock: false, stock: { available: 0, reserved: 4, onHand: 4 } });
  });

  it('is for admins only: a customer is forbidden, an anonymous caller unauthenticated', async () => {
    const id = newProductId('vase');
    expectError(await setStock({ productId: id, quantity: 5 }, customerToken), 'FORBIDDEN');
    expectError(await setStock({ productId: id, quantity: 5 }, ''), 'UNAUTHENTICATED');
    expectError(await setStock({ productId: id, quantity: 5 }, 'not-a-jwt'), 'UNAUTHENTICATED');
    const impostor = await startTokenIssuer();
    const forged = await impostor.sign(ADMIN_ID, 'ADMIN');
    await impostor.stop();
    expectError(await setStock({ productId: id, quantity: 5 }, forged), 'UNAUTHENTICATED');
    expect((await stockOf(id))[0]?.stock).toEqual(NO_STOCK);
  });

  it.each([
    ['an empty product id', { productId: '', quantity: 1 }, 'productId'],
    ['a product id with a space', { productId: 'has space', quantity: 1 }, 'productId'],
    ['a product id with a quote', { productId: "x'; drop table stock_levels; --", quantity: 1 }, 'productId'],
    ['a 65-character product id', { productId: 'a'.repeat(65), quantity: 1 }, 'productId'],
    ['an empty warehouse', { productId: 'ok-1', warehouse: '', quantity: 1 }, 'warehouse'],
    ['a warehouse with a space', { productId: 'ok-1', warehouse: 'north pole', quantity: 1 }, 'warehouse'],
    ['a warehouse with an underscore', { productId: 'ok-1', warehouse: 'north_pole', quantity: 1 }, 'warehouse'],
    ['a 33-character warehouse', { productId: 'ok-1', warehouse: 'w'.repeat(33), quantity: 1 }, 'warehouse'],
    ['a negative quantity', { productId: 'ok-1', quantity: -1 }, 'quantity'],
    ['a quantity above 1000000', { productId: 'ok-1', quantity: 2_000_000 }, 'quantity'],
  ])('refuses %s as BAD_USER_INPUT naming the field', async (_what, variables, field) => {
    const result = await setStock(variables);
    expectError(result, 'BAD_USER_INPUT', field);
    expect(result.data?.setStock ?? null).toBeNull();
  });

  it('refuses a fractional quantity before it reaches the service', async () => {
    expectError(await setStock({ productId: 'ok-1', quantity: 1.5 }), 'BAD_USER_INPUT');
    expect((await stockOf('ok-1'))[0]?.stock).toEqual(NO_STOCK);
  });

  it('accepts the limits: 64-character ids, 32-character warehouses, 0 and 1000000 units', async () => {
    const id = `A_b-${'9'.repeat(60)}`;
    const warehouse = 'w'.repeat(32);
    expect((await setStock({ productId: id, warehouse, quantity: 1_000_000 })).errors).toBeUndefined();
    expect((await setStock({ productId: id, quantity: 0 })).errors).toBeUndefined();
    expect((await stockOf(id))[0]?.stock.warehouses).toEqual([
      { warehouse: 'main', onHand: 0, reserved: 0, available: 0 },
      { warehouse, onHand: 1_000_000, reserved: 0, available: 1_000_000 },
    ]);
  });

  it('reports fresh stock after each of several writes in one operation', async () => {
    const id = newProductId('lens');
    const data = await graphqlOk(
      url,
      `mutation ($id: ID!) {
        first: setStock(productId: $id, quantity: 1) { stock { onHand } }
        second: setStock(productId: $id, quantity: 5) { stock { onHand } }
      }`,
      { id },
      { token: adminToken },
    );
    expect(data).toEqual({ first: { stock: { onHand: 1 } }, second: { stock: { onHand: 5 } } });
  });

  it('records every change as a stock event with its delta and the admin who made it', async () => {
    const id = newProductId('mug');
    await setStock({ productId: id, quantity: 5 });
    await setStock({ productId: id, quantity: 8 });
    await setStock({ productId: id, warehouse: 'outlet', quantity: 2 });
    await setStock({ productId: id, quantity: 1 });
    expectError(await setStock({ productId: id, quantity: 3 }, customerToken), 'FORBIDDEN');

    expect(await eventsOf(id)).toEqual([
      { warehouse: 'main', kind: 'set', delta: 5, on_hand: 5, reserved: 0, actor_id: ADMIN_ID },
      { warehouse: 'main', kind: 'set', delta: 3, on_hand: 8, reserved: 0, actor_id: ADMIN_ID },
      { warehouse: 'outlet', kind: 'set', delta: 2, on_hand: 2, reserved: 0, actor_id: ADMIN_ID },
      { warehouse: 'main', kind: 'set', delta: -7, on_hand: 1, reserved: 0, actor_id: ADMIN_ID },
    ]);
  });
});

describe('Product entity', () => {
  it('gives a product that was never stocked zero stock, not an error', async () => {
    expect(await stockOf('never-stocked')).toEqual([{ id: 'never-stocked', inStock: false, stock: NO_STOCK }]);
  });

  it('loads the stock of many products in one SQL query, in the order asked, zero for unknown ones', async () => {
    const ids = Array.from({ length: 20 }, () => newProductId('page'));
    const seeded = await setStockLevels(ids.map((productId, i) => ({ productId, quantity: i + 1 })));
    expect(seeded.errors).toBeUndefined();
    const asked = [ids[7]!, 'unknown-a', ids[0]!, ids[19]!, 'unknown-b', ids[7]!, ...ids.slice(1, 7)];

    const before = subgraph.sqlStats.queries;
    const products = await stockOf(...asked);
    expect(subgraph.sqlStats.queries - before).toBe(1);

    expect(products.map((p) => p.id)).toEqual(asked);
    expect(products.map((p) => p.stock.onHand)).toEqual([8, 0, 1, 20, 0, 8, 2, 3, 4, 5, 6, 7]);
    expect(products.map((p) => p.inStock)).toEqual(asked.map((id) => !id.startsWith('unknown')));
  });

  it('answers for oddly shaped ids from other subgraphs without failing', async () => {
    const odd = ['', 'with space', "quote'", 'x'.repeat(200)];
    expect(await stockOf(...odd)).toEqual(odd.map((id) => ({ id, inStock: false, stock: NO_STOCK })));
  });
});

describe('health', () => {
  it('reports ready while the database answers', async () => {
    const response = await fetch(url.replace(/\/graphql$/, '/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', service: 'inventory' });
  });
});
