import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CatalogUnavailableError, createProductsCatalog } from '../src/catalog.js';
import { startProductsStandIn, type ProductsStandIn } from './harness.js';
import { testServiceKey } from '@shop/testing';

/** A products subgraph that answers every request with `body`, to see how odd answers are taken. */
async function answering(status: number, body: unknown): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('products catalog', () => {
  let products: ProductsStandIn;

  beforeAll(async () => {
    products = await startProductsStandIn({ 'p-1': '19.99', 'p-2': '5' });
    products.setPrice('p-jpy', '500', 'JPY');
  });

  afterAll(async () => {
    await products?.stop();
  });

  it('asks for all prices in one request and returns them in minor units, null for unknown products', async () => {
    const catalog = createProductsCatalog({ url: products.url, credentials: (await testServiceKey('cart')).credentials });
    const before = products.requests.length;
    const prices = await catalog.pricesFor(['p-1', 'p-2', 'p-unknown', 'p-1', 'p-jpy']);
    expect(products.requests.slice(before)).toEqual([['p-1', 'p-2', 'p-unknown', 'p-jpy']]);
    expect(prices).toEqual(
      new Map([
        ['p-1', { minor: 1999, currency: 'EUR' }],
        ['p-2', { minor: 500, currency: 'EUR' }],
        ['p-unknown', null],
        ['p-jpy', { minor: 500, currency: 'JPY' }],
      ]),
    );
  });

  it('does not call products for no products', async () => {
    const before = products.requests.length;
    expect(await createProductsCatalog({ url: products.url, credentials: (await testServiceKey('cart')).credentials }).pricesFor([])).toEqual(new Map());
    expect(products.requests.length).toBe(before);
  });

  it('treats a per-product NOT_FOUND error as an unknown product', async () => {
    const server = await answering(200, {
      data: { _entities: [{ id: 'p-1', price: { amount: '1.00', currencyCode: 'EUR' } }, null] },
      errors: [{ message: 'Product not found', path: ['_entities', 1], extensions: { code: 'NOT_FOUND' } }],
    });
    try {
      const prices = await createProductsCatalog({ url: server.url, credentials: (await testServiceKey('cart')).credentials }).pricesFor(['p-1', 'p-2']);
      expect(prices).toEqual(new Map([['p-1', { minor: 100, currency: 'EUR' }], ['p-2', null]]));
    } finally {
      await server.stop();
    }
  });

  it.each([
    ['a server error', 500, { errors: [{ message: 'boom' }] }],
    ['a failing resolver', 200, { data: { _entities: [null] }, errors: [{ message: 'db down', path: ['_entities', 0], extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }],
    ['a wrong number of entities', 200, { data: { _entities: [] } }],
    ['an entity without a price', 200, { data: { _entities: [{ id: 'p-1', price: null }] } }],
  ])('fails loudly on %s instead of guessing a price', async (_name, status, body) => {
    const server = await answering(status, body);
    try {
      await expect(createProductsCatalog({ url: server.url, credentials: (await testServiceKey('cart')).credentials }).pricesFor(['p-1'])).rejects.toThrow(CatalogUnavailableError);
    } finally {
      await server.stop();
    }
  });

  it('fails when the products subgraph does not answer', async () => {
    const server = await answering(200, {});
    await server.stop();
    await expect(createProductsCatalog({ url: server.url, credentials: (await testServiceKey('cart')).credentials }).pricesFor(['p-1'])).rejects.toThrow(/did not answer/);
  });
});
