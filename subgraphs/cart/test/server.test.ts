import { describe, expect, it } from '@jest/globals';
import { createRedisStore } from '@shop/kv';
import { errorCodes, freePort, graphql } from '@shop/testing';
import { ADD, startCart, startProductsStandIn, STORES } from './harness.js';

describe('cart subgraph', () => {
  it.each(STORES)('answers /health with 200 while the %s answers', async (_name, createStore) => {
    const cart = await startCart({ kv: createStore() });
    try {
      const response = await fetch(cart.url.replace('/graphql', '/health'));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', service: 'cart' });
    } finally {
      await cart.stop();
    }
  });

  it('answers /health with 503 while Redis does not answer', async () => {
    const cart = await startCart({ kv: createRedisStore(`redis://127.0.0.1:${await freePort()}`), unreachable: true });
    try {
      const response = await fetch(cart.url.replace('/graphql', '/health'));
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unavailable', service: 'cart' });
    } finally {
      await cart.stop();
    }
  });

  it.each(STORES)('fails with SUBGRAPH_UNAVAILABLE naming products, no address, and writes nothing when products is down (%s)', async (_name, createStore) => {
    const products = await startProductsStandIn({});
    await products.stop();
    const cart = await startCart({ kv: createStore(), productsUrl: products.url });
    try {
      const result = await graphql(cart.url, ADD, { productId: 'p-1', quantity: 1 });
      expect(errorCodes(result)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      expect(result.errors?.[0]?.extensions?.serviceName).toBe('products');
      expect(JSON.stringify(result.errors)).not.toContain(new URL(products.url).host);
      expect(cart.kv.writes()).toBe(0);
    } finally {
      await cart.stop();
    }
  });
});
