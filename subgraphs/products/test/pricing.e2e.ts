import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphqlOk } from '@shop/testing';
import { createEmbeddedProductRepository } from '../src/repository/embedded.js';
import { category, daysFromNow, fixtureId, product } from './fixtures.js';
import { startProducts, type RunningProducts } from './harness.js';

const PRICES = `
  query($skus: [String!]) {
    products(filter: { skus: $skus }) {
      edges { node { sku price { amount currencyCode } basePrice { amount currencyCode } variants { sku price { amount } } } }
    }
  }`;

interface PriceNode {
  sku: string;
  price: { amount: string; currencyCode: string };
  basePrice: { amount: string; currencyCode: string };
  variants: { sku: string; price: { amount: string } }[];
}

describe('prices over HTTP', () => {
  let api: RunningProducts;
  const hats = fixtureId('category', 1);

  beforeAll(async () => {
    const repository = createEmbeddedProductRepository();
    await repository.insertCategories([category(1, 'Hats', null)]);
    await repository.insertProducts([
      product(1, {
        sku: 'SALE-1',
        name: 'Hat on sale',
        categoryId: hats,
        minor: 4999,
        discount: { type: 'PERCENTAGE', value: 2000, startsAt: daysFromNow(-1), endsAt: daysFromNow(1) },
        variants: [
          { id: fixtureId('product', 101), sku: 'SALE-1-M', name: 'M', size: 'M', color: null, priceMinor: null },
          { id: fixtureId('product', 102), sku: 'SALE-1-XXL', name: 'XXL', size: 'XXL', color: null, priceMinor: 5499 },
        ],
      }),
      product(2, {
        sku: 'OVER-1',
        name: 'Hat whose sale ended',
        categoryId: hats,
        minor: 4999,
        discount: { type: 'PERCENTAGE', value: 2000, startsAt: daysFromNow(-10), endsAt: daysFromNow(-1) },
      }),
      product(3, {
        sku: 'SOON-1',
        name: 'Hat with a sale announced',
        categoryId: hats,
        minor: 4999,
        discount: { type: 'FIXED', value: 1000, startsAt: daysFromNow(1), endsAt: null },
      }),
      product(4, {
        sku: 'FIX-1',
        name: 'Hat with money off',
        categoryId: hats,
        minor: 1990,
        discount: { type: 'FIXED', value: 500, startsAt: null, endsAt: null },
      }),
    ]);
    api = await startProducts({ SEED_DEMO: 'false' }, { repository });
  });

  afterAll(async () => {
    await api.stop();
  });

  const prices = async (skus: string[]): Promise<PriceNode[]> =>
    (await graphqlOk(api.url, PRICES, { skus })).products.edges.map((e: { node: PriceNode }) => e.node);

  it('takes an active discount off the price, to the cent, and off each variant', async () => {
    const [hat] = await prices(['SALE-1']);
    expect(hat).toEqual({
      sku: 'SALE-1',
      price: { amount: '39.99', currencyCode: 'EUR' },
      basePrice: { amount: '49.99', currencyCode: 'EUR' },
      variants: [
        { sku: 'SALE-1-M', price: { amount: '39.99' } },
        { sku: 'SALE-1-XXL', price: { amount: '43.99' } },
      ],
    });
  });

  it('charges the base price once a discount has ended, or before it starts', async () => {
    const nodes = await prices(['OVER-1', 'SOON-1']);
    expect(nodes.map((n) => [n.sku, n.price.amount, n.basePrice.amount])).toEqual([
      ['OVER-1', '49.99', '49.99'],
      ['SOON-1', '49.99', '49.99'],
    ]);
  });

  it('takes a fixed amount off', async () => {
    const [hat] = await prices(['FIX-1']);
    expect([hat!.price.amount, hat!.basePrice.amount]).toEqual(['14.90', '19.90']);
  });

  it('filters on the discounted price, not the base price', async () => {
    const { products } = await graphqlOk(api.url, `{ products(filter: { maxPrice: "40" }) { edges { node { sku } } } }`);
    expect(products.edges.map((e: { node: { sku: string } }) => e.node.sku)).toEqual(['SALE-1', 'FIX-1']);
  });

  it('does not load the demo catalog into a store that already holds products', async () => {
    const { products } = await graphqlOk(api.url, `{ products { totalCount } }`);
    expect(products.totalCount).toBe(4);
  });
});
