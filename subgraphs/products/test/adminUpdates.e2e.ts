import { beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { demoCategoryId } from '../src/seed/demoCatalog.js';
import { ARCHIVE_PRODUCT, CREATE_CATEGORY, LIST, PRODUCT, UPDATE_PRODUCT, admin, api, catalog, clothing, create, customer, fullInput, recorder, useCatalogAdmin } from './catalogAdmin.js';

// Catalogue administration over HTTP: updating and archiving products, and hostile-looking input.
useCatalogAdmin();

describe('updateProduct', () => {
  let product: any;

  beforeAll(async () => {
    product = await create(fullInput('UPD-0001'));
  });

  const update = async (input: Record<string, unknown>) =>
    (await graphqlOk(api.url, UPDATE_PRODUCT, { id: product.id, input }, { token: admin })).updateProduct;

  it('changes only the fields given', async () => {
    const renamed = await update({ name: 'Trail Runner Tee II' });
    expect(renamed).toEqual({ ...product, name: 'Trail Runner Tee II', updatedAt: expect.any(String) });
    expect(renamed.slug).toBe(product.slug);
    expect(Date.parse(renamed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(product.updatedAt));
    product = renamed;
  });

  it('changes attributes and SEO texts one by one, and null clears optional fields', async () => {
    const changed = await update({ attributes: { brand: 'Velox', weightGrams: null }, seo: { description: null }, description: null, discount: null });
    expect(changed.attributes).toEqual({ ...product.attributes, brand: 'Velox', weightGrams: null });
    expect(changed.seo).toEqual({ title: product.seo.title, description: null });
    expect(changed.description).toBeNull();
    expect(changed.discount).toBeNull();
    expect(changed.price).toEqual(changed.basePrice);
    expect(changed.images).toEqual(product.images);
    product = changed;
  });

  it('reprices, keeps variant ids for SKUs it already had, and reports it all in product.updated', async () => {
    const changed = await update({
      basePrice: { amount: '50.00', currencyCode: 'EUR' },
      discount: { type: 'FIXED', value: '5.00' },
      variants: [{ sku: 'UPD-0001-XL', size: 'XL' }, { sku: 'UPD-0001-M', size: 'M' }],
      categoryId: clothing._id,
    });
    expect(changed.price).toEqual({ amount: '45.00', currencyCode: 'EUR' });
    expect(changed.discount).toMatchObject({ type: 'FIXED', value: '5.00', active: true });
    expect(changed.category.id).toBe(clothing._id);
    expect(changed.variants[0].id).toBe(product.variants.find((v: { sku: string }) => v.sku === 'UPD-0001-XL').id);
    expect(changed.variants.map((v: { sku: string }) => v.sku)).toEqual(['UPD-0001-XL', 'UPD-0001-M']);

    await recorder.waitFor(() => recorder.about(product.id).filter((e) => e.type === 'product.updated').length >= 3);
    const last = recorder.about(product.id).at(-1)!;
    expect(last).toMatchObject({
      type: 'product.updated',
      source: 'products',
      key: product.id,
      data: { product: { id: product.id, name: 'Trail Runner Tee II', brand: 'Velox', categoryIds: [clothing._id], categoryName: 'Clothing', priceMinor: 4500, basePriceMinor: 5000 } },
    });
    expect(recorder.about(product.id).map((e) => e.type)).toEqual(['product.created', 'product.updated', 'product.updated', 'product.updated']);
    expect(new Set(recorder.about(product.id).map((e) => e.id)).size).toBe(4);
    product = changed;
  });

  it('writes nothing and emits nothing for an empty change', async () => {
    const before = recorder.about(product.id).length;
    expect(await update({})).toEqual(product);
    await api.subgraph.relay.flush();
    expect(recorder.about(product.id)).toHaveLength(before);
  });

  it.each([
    ['a malformed id', { id: 'nope', input: { name: 'x' } }, 'BAD_USER_INPUT', 'id'],
    ['an unknown id', { id: '64a0ffffffffffffffffffff', input: { name: 'x' } }, 'NOT_FOUND', undefined],
    ['clearing the name', { input: { name: null } }, 'BAD_USER_INPUT', 'input.name'],
    ['clearing the price', { input: { basePrice: null } }, 'BAD_USER_INPUT', 'input.basePrice'],
    ['an unknown category', { input: { categoryId: demoCategoryId(999) } }, 'BAD_USER_INPUT', 'input.categoryId'],
    ['a currency change that leaves variant prices behind', { input: { basePrice: { amount: '1', currencyCode: 'USD' }, variants: [{ sku: 'X-1', price: { amount: '2', currencyCode: 'EUR' } }] } }, 'BAD_USER_INPUT', 'input.variants.0.price.currencyCode'],
    ['a currency change that leaves a fixed discount behind', { input: { basePrice: { amount: '1', currencyCode: 'USD' } } }, 'BAD_USER_INPUT', 'input.basePrice.currencyCode'],
  ])('refuses %s', async (_label, variables, code, field) => {
    const result = await graphql(api.url, UPDATE_PRODUCT, { id: product.id, ...variables }, { token: admin });
    expect(errorCodes(result)).toEqual([code]);
    expect(result.errors![0]!.extensions!.field).toBe(field);
    expect((await graphqlOk(api.url, PRODUCT, { id: product.id })).product).toEqual(product);
  });

  it('refuses customers and anonymous callers', async () => {
    expect(errorCodes(await graphql(api.url, UPDATE_PRODUCT, { id: product.id, input: { name: 'x' } }, { token: customer }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(api.url, UPDATE_PRODUCT, { id: product.id, input: { name: 'x' } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('archiveProduct', () => {
  let product: any;

  beforeAll(async () => {
    product = await create(fullInput('ARC-0001', { name: 'Soon Gone Tee', variants: [] }));
  });

  it('hides the product from lists but keeps it resolvable, and emits product.archived once', async () => {
    const { archiveProduct } = await graphqlOk(api.url, ARCHIVE_PRODUCT, { id: product.id }, { token: admin });
    expect(archiveProduct).toEqual({ id: product.id, sku: 'ARC-0001', archivedAt: expect.any(String) });
    expect((await graphqlOk(api.url, LIST, { filter: { skus: ['ARC-0001'] } })).products.totalCount).toBe(0);
    expect((await graphqlOk(api.url, LIST, { filter: { search: 'soon gone' } })).products.totalCount).toBe(0);
    expect((await graphqlOk(api.url, PRODUCT, { sku: 'ARC-0001' })).product.archivedAt).toBe(archiveProduct.archivedAt);
    const { _entities } = await graphqlOk(api.url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id archivedAt } } }', {
      r: [{ __typename: 'Product', id: product.id }],
    });
    expect(_entities).toEqual([{ id: product.id, archivedAt: archiveProduct.archivedAt }]);

    await recorder.waitFor(() => recorder.about(product.id).some((e) => e.type === 'product.archived'));
    expect(recorder.about(product.id).at(-1)).toEqual({
      id: expect.any(String),
      type: 'product.archived',
      source: 'products',
      occurredAt: archiveProduct.archivedAt,
      key: product.id,
      data: { productId: product.id, sku: 'ARC-0001', archivedAt: archiveProduct.archivedAt },
    });

    const again = await graphqlOk(api.url, ARCHIVE_PRODUCT, { id: product.id }, { token: admin });
    expect(again.archiveProduct).toEqual(archiveProduct);
    await api.subgraph.relay.flush();
    expect(recorder.about(product.id).map((e) => e.type)).toEqual(['product.created', 'product.archived']);
  });

  it('refuses to change an archived product', async () => {
    const result = await graphql(api.url, UPDATE_PRODUCT, { id: product.id, input: { name: 'Back again' } }, { token: admin });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.field).toBe('id');
  });

  it('refuses customers and anonymous callers, and an unknown id', async () => {
    const listed = await create(fullInput('ARC-0002', { variants: [] }));
    expect(errorCodes(await graphql(api.url, ARCHIVE_PRODUCT, { id: listed.id }, { token: customer }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(api.url, ARCHIVE_PRODUCT, { id: listed.id }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await graphql(api.url, ARCHIVE_PRODUCT, { id: '64a0ffffffffffffffffffff' }, { token: admin }))).toEqual(['NOT_FOUND']);
    expect((await graphqlOk(api.url, PRODUCT, { id: listed.id })).product.archivedAt).toBeNull();
  });
});

describe('input that looks like a query or an operator', () => {
  const OPERATOR = '{"$gt": ""}';
  const WHERE = '{"$where": "sleep(1000) || true"}';
  const SQL = "'; DROP TABLE products; --";

  it('is stored and returned as the text it is, on create and on update', async () => {
    const product = await create(
      fullInput('INJ-0001', { name: OPERATOR, description: SQL, attributes: { brand: WHERE, color: '{"$ne": null}' }, variants: [], seo: { title: OPERATOR } }),
    );
    expect(product).toMatchObject({ name: OPERATOR, description: SQL, attributes: { brand: WHERE, color: '{"$ne": null}' }, seo: { title: OPERATOR } });
    expect(product.slug).toBe('gt');
    const read = (await graphqlOk(api.url, PRODUCT, { id: product.id })).product;
    expect(read).toEqual(product);

    // Filters find it by exactly that text, and nothing else by it.
    const byBrand = await graphqlOk(api.url, LIST, { filter: { brand: WHERE } });
    expect(byBrand.products.edges.map((e: { node: { sku: string } }) => e.node.sku)).toEqual(['INJ-0001']);
    const bySearch = await graphqlOk(api.url, LIST, { filter: { search: '"$gt":' } });
    expect(bySearch.products.edges.map((e: { node: { sku: string } }) => e.node.sku)).toEqual(['INJ-0001']);

    const { updateProduct } = await graphqlOk(api.url, UPDATE_PRODUCT, { id: product.id, input: { name: WHERE, description: OPERATOR } }, { token: admin });
    expect(updateProduct).toMatchObject({ name: WHERE, description: OPERATOR });
    expect((await graphqlOk(api.url, PRODUCT, { id: product.id })).product).toMatchObject({ name: WHERE, description: OPERATOR });
    // The rest of the catalog is untouched.
    expect((await graphqlOk(api.url, PRODUCT, { sku: 'TSH-0001' })).product.name).toBe(catalog.products[0]!.name);
  });

  it('is a category name like any other', async () => {
    const { createCategory } = await graphqlOk(api.url, CREATE_CATEGORY, { name: '{"$ne": null}' }, { token: admin });
    expect(createCategory).toMatchObject({ name: '{"$ne": null}', slug: 'ne-null' });
  });

  it('in a filter matches nothing (and breaks nothing)', async () => {
    for (const filter of [{ brand: '{"$where": "1"}' }, { search: "x' OR '1'='1" }, { categoryId: OPERATOR }, { skus: [WHERE] }]) {
      expect((await graphqlOk(api.url, LIST, { filter })).products.totalCount).toBe(0);
    }
  });
});
