import { describe, expect, it } from '@jest/globals';
import { createMemoryStore } from '@shop/kv';
import type { Catalog } from '../src/catalog.js';
import { emptyCart } from '../src/cartRules.js';
import { newCartId } from '../src/ids.js';
import { createCartLoaders } from '../src/loaders.js';
import { createCartRepository } from '../src/repository.js';
import { counting } from './harness.js';

describe('cart loaders', () => {
  it('cartById: one getMany for a batch, results in key order, null for missing and malformed ids', async () => {
    const kv = counting(createMemoryStore());
    const repository = createCartRepository(kv, { ttlSeconds: 60 });
    const now = new Date().toISOString();
    const a = emptyCart(newCartId(), null, now);
    const b = emptyCart(newCartId(), 'user-1', now);
    for (const cart of [a, b]) await repository.save({ ...cart, lines: [{ productId: `p-${cart.id}`, quantity: 1 }] });
    const loaders = createCartLoaders(repository, { pricesFor: async () => new Map() });
    kv.reset();
    const result = await Promise.all([b.id, newCartId(), a.id, 'not-a-cart-id'].map((id) => loaders.cartById.load(id)));
    expect(kv.calls).toEqual({ getMany: 1 });
    expect(result.map((cart) => cart?.id ?? null)).toEqual([b.id, null, a.id, null]);
    expect(result[0]).toMatchObject({ userId: 'user-1', version: 1, lines: [{ productId: `p-${b.id}`, quantity: 1 }] });
  });

  it('priceByProductId: one catalog call for a batch, results in key order, null for an unknown product', async () => {
    const calls: string[][] = [];
    const catalog: Catalog = {
      async pricesFor(ids) {
        calls.push([...ids]);
        return new Map(ids.map((id) => [id, id === 'p-unknown' ? null : { minor: 100 * id.length, currency: 'EUR' }]));
      },
    };
    const loaders = createCartLoaders(createCartRepository(createMemoryStore(), { ttlSeconds: 60 }), catalog);
    const result = await Promise.all(['p-22', 'p-unknown', 'p-1', 'p-22'].map((id) => loaders.priceByProductId.load(id)));
    expect(calls).toEqual([['p-22', 'p-unknown', 'p-1']]);
    expect(result).toEqual([{ minor: 400, currency: 'EUR' }, null, { minor: 300, currency: 'EUR' }, { minor: 400, currency: 'EUR' }]);
  });
});
