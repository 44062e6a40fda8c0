import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql, graphqlOk } from '@shop/testing';
import { demoProductId, generateDemoCatalog } from '../src/seed/demoCatalog.js';
import { startProducts, type RunningProducts } from './harness.js';

const ENTITIES = `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Product { id sku name } }
  }`;

const ENTITIES_WITH_CATEGORY = `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Product { id category { name } } }
  }`;

const byId = (id: string) => ({ __typename: 'Product', id });
const bySku = (sku: string) => ({ __typename: 'Product', sku });

const catalog = generateDemoCatalog();
const archived = catalog.products.find((p) => p.archivedAt !== null)!;

describe('Product entity references (_entities)', () => {
  let api: RunningProducts;

  beforeAll(async () => {
    api = await startProducts();
  });

  afterAll(async () => {
    await api.stop();
  });

  it('resolves references by id and by SKU in order, with null for a missing and a malformed one', async () => {
    const { _entities } = await graphqlOk(api.url, ENTITIES, {
      representations: [
        byId(demoProductId(12)),
        bySku('SNK-0003'),
        byId(demoProductId(4242)),
        byId('malformed-id'),
        bySku('NOPE-0001'),
        byId(demoProductId(1)),
      ],
    });
    expect(_entities).toEqual([
      { id: demoProductId(12), sku: catalog.products[11]!.sku, name: catalog.products[11]!.name },
      { id: catalog.products.find((p) => p.sku === 'SNK-0003')!._id, sku: 'SNK-0003', name: expect.any(String) },
      null,
      null,
      null,
      { id: demoProductId(1), sku: 'TSH-0001', name: catalog.products[0]!.name },
    ]);
  });

  it('still resolves an archived product by id and by SKU: orders refer to it', async () => {
    const { _entities } = await graphqlOk(api.url, ENTITIES, {
      representations: [byId(archived._id), bySku(archived.sku)],
    });
    expect(_entities).toEqual([
      { id: archived._id, sku: archived.sku, name: archived.name },
      { id: archived._id, sku: archived.sku, name: archived.name },
    ]);
    const { product } = await graphqlOk(api.url, `query($id: ID) { product(id: $id) { sku } }`, { id: archived._id });
    expect(product).toEqual({ sku: archived.sku });
  });

  it('batches: 50 references by id cost one store call', async () => {
    const ids = catalog.products.slice(0, 50).map((p) => p._id);
    api.subgraph.repositoryStats.reset();
    const { _entities } = await graphqlOk(api.url, ENTITIES, { representations: ids.map(byId) });
    expect(api.subgraph.repositoryStats.calls).toBe(1);
    expect(_entities.map((e: { id: string }) => e.id)).toEqual(ids);
  });

  it('batches: references by id and by SKU cost one call each; their categories one more', async () => {
    const representations = [
      ...catalog.products.slice(0, 20).map((p) => byId(p._id)),
      ...catalog.products.slice(100, 120).map((p) => bySku(p.sku)),
      byId('malformed'),
    ];
    api.subgraph.repositoryStats.reset();
    const plain = await graphqlOk(api.url, ENTITIES, { representations });
    expect(api.subgraph.repositoryStats.calls).toBe(2);
    expect(plain._entities).toHaveLength(41);

    api.subgraph.repositoryStats.reset();
    const withCategory = await graphqlOk(api.url, ENTITIES_WITH_CATEGORY, { representations });
    expect(api.subgraph.repositoryStats.calls).toBe(3);
    expect(withCategory._entities[0].category.name).toBe('T-Shirts');
    expect(withCategory._entities.at(-1)).toBeNull();
  });

  it('keeps injection-looking references literal: they resolve to null', async () => {
    const result = await graphql(api.url, ENTITIES, {
      representations: [byId('{"$gt": ""}'), bySku('{"$ne": null}'), { __typename: 'Product', sku: { $ne: null } }],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([null, null, null]);
  });
});

const VARIANTS = `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on ProductVariant { id sku size product { id } price { amount currencyCode } } }
  }`;

const variant = (productId: string, id: string) => ({ __typename: 'ProductVariant', id, product: { id: productId } });

describe('ProductVariant entity references (_entities)', () => {
  let api: RunningProducts;
  const sized = catalog.products.filter((p) => p.variants.length >= 2 && p.archivedAt === null);
  const [first, second] = sized as [(typeof sized)[number], (typeof sized)[number]];

  beforeAll(async () => {
    api = await startProducts();
  });

  afterAll(async () => {
    await api.stop();
  });

  it('resolves a variant through its product, in order, null for a variant the product does not have', async () => {
    const [m, l] = first.variants as [(typeof first.variants)[number], (typeof first.variants)[number]];
    const { _entities } = await graphqlOk(api.url, VARIANTS, {
      representations: [
        variant(first._id, l.id),
        variant(second._id, second.variants[0]!.id),
        variant(second._id, m.id),
        variant(demoProductId(4242), m.id),
        variant('malformed', m.id),
        variant(first._id, m.id),
      ],
    });
    // What the product page shows for the same variant: one price rule.
    const { product } = await graphqlOk(api.url, 'query($id: ID) { product(id: $id) { variants { id price { amount currencyCode } } } }', { id: first._id });
    const priceOf = (id: string) => product.variants.find((v: { id: string }) => v.id === id).price;
    expect(_entities).toEqual([
      { id: l.id, sku: l.sku, size: l.size, product: { id: first._id }, price: priceOf(l.id) },
      { id: second.variants[0]!.id, sku: second.variants[0]!.sku, size: second.variants[0]!.size, product: { id: second._id }, price: expect.any(Object) },
      null,
      null,
      null,
      { id: m.id, sku: m.sku, size: m.size, product: { id: first._id }, price: priceOf(m.id) },
    ]);
  });

  it('batches: variants of 20 products cost one store call', async () => {
    const representations = sized.slice(0, 20).flatMap((p) => p.variants.map((v) => variant(p._id, v.id)));
    api.subgraph.repositoryStats.reset();
    const { _entities } = await graphqlOk(api.url, VARIANTS, { representations });
    expect(api.subgraph.repositoryStats.calls).toBe(1);
    expect(_entities.map((e: { id: string }) => e.id)).toEqual(representations.map((r) => r.id));
  });
});
