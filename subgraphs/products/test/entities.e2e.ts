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
