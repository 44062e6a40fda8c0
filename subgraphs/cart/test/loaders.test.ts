import { describe, expect, it } from '@jest/globals';
import { createMemoryStore } from '@shop/kv';
import type { Catalog } from '../src/catalog.js';
import { emptyCart } from '../src/cartRules.js';
import { newCartId } from '../src/ids.js';
import { createCartLoaders } from '../src/loaders.js';
import type { Promotions, QuoteRequest } from '../src/promotions.js';
import { createCartRepository } from '../src/repository.js';
import { counting } from './harness.js';

// Loaders that do not judge codes never ask.
const NO_PROMOTIONS: Promotions = {
  quotes: async () => {
    throw new Error('no promotion was expected to be quoted');
  },
};

const GUEST = { authorization: undefined, preferences: { currency: async () => null } };

describe('cart loaders', () => {
  it('cartById: one getMany for a batch, results in key order, null for missing and malformed ids', async () => {
    const kv = counting(createMemoryStore());
    const repository = createCartRepository(kv, { ttlSeconds: 60 });
    const now = new Date().toISOString();
    const a = emptyCart(newCartId(), null, now);
    const b = emptyCart(newCartId(), 'user-1', now);
    for (const cart of [a, b]) await repository.save({ ...cart, lines: [{ productId: `p-${cart.id}`, quantity: 1 }] });
    const loaders = createCartLoaders(repository, { pricesFor: async () => new Map() }, NO_PROMOTIONS, GUEST);
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
    const loaders = createCartLoaders(createCartRepository(createMemoryStore(), { ttlSeconds: 60 }), catalog, NO_PROMOTIONS, GUEST);
    const result = await Promise.all(['p-22', 'p-unknown', 'p-1', 'p-22'].map((id) => loaders.priceByProductId.load(id)));
    expect(calls).toEqual([['p-22', 'p-unknown', 'p-1']]);
    expect(result).toEqual([{ minor: 400, currency: 'EUR' }, null, { minor: 300, currency: 'EUR' }, { minor: 400, currency: 'EUR' }]);
  });

  it('promoQuote: one call to orders for a batch, with the shopper\'s token, answers in key order, a repeat asked once', async () => {
    const calls: Array<{ requests: QuoteRequest[]; authorization: string | undefined }> = [];
    const promotions: Promotions = {
      async quotes(requests, authorization) {
        calls.push({ requests: [...requests], authorization });
        return requests.map((request) => ({
          code: request.code.toUpperCase(),
          status: 'APPLIES',
          message: 'ok',
          discount: { minor: request.subtotal.minor / 10, currency: request.subtotal.currency },
          freeShipping: false,
        }));
      },
    };
    const loaders = createCartLoaders(createCartRepository(createMemoryStore(), { ttlSeconds: 60 }), { pricesFor: async () => new Map() }, promotions, { authorization: 'Bearer t', preferences: { currency: async () => 'EUR' } });
    const keys: QuoteRequest[] = [
      { code: 'a', subtotal: { minor: 1000, currency: 'EUR' } },
      { code: 'b', subtotal: { minor: 2000, currency: 'EUR' } },
      { code: 'a', subtotal: { minor: 1000, currency: 'EUR' } },
    ];
    const result = await Promise.all(keys.map((key) => loaders.promoQuote.load(key)));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({ requests: keys.slice(0, 2), authorization: 'Bearer t' });
    expect(result.map((quote) => [quote.code, quote.discount.minor])).toEqual([
      ['A', 100],
      ['B', 200],
      ['A', 100],
    ]);
  });
});
