import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMemoryBus, type EventBus } from '@shop/events';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { demoCategoryId, generateDemoCatalog } from '../src/seed/demoCatalog.js';
import { recordEvents, startProducts, type RunningProducts } from './harness.js';

const catalog = generateDemoCatalog();
const tShirts = catalog.categories.find((c) => c.name === 'T-Shirts')!;
const clothing = catalog.categories.find((c) => c.name === 'Clothing')!;

const PRODUCT_FIELDS = `
  id sku name slug description createdAt updatedAt archivedAt
  category { id name }
  price { amount currencyCode } basePrice { amount currencyCode }
  discount { type value startsAt endsAt active }
  variants { id sku name size color price { amount currencyCode } }
  images { url alt }
  attributes { brand color size weightGrams dimensions }
  seo { title description }
  rating { average count }`;

const CREATE_CATEGORY = `
  mutation($name: String!, $parentId: ID, $seo: SeoInput) {
    createCategory(name: $name, parentId: $parentId, seo: $seo) { id name slug parent { id name } children { id } seo { title description } }
  }`;
const CREATE_PRODUCT = `mutation($input: ProductInput!) { createProduct(input: $input) { ${PRODUCT_FIELDS} } }`;
const UPDATE_PRODUCT = `mutation($id: ID!, $input: ProductUpdateInput!) { updateProduct(id: $id, input: $input) { ${PRODUCT_FIELDS} } }`;
const ARCHIVE_PRODUCT = `mutation($id: ID!) { archiveProduct(id: $id) { id sku archivedAt } }`;
const PRODUCT = `query($id: ID, $sku: String) { product(id: $id, sku: $sku) { ${PRODUCT_FIELDS} } }`;
const LIST = `query($filter: ProductFilter) { products(filter: $filter, first: 100) { totalCount edges { node { id sku name } } } }`;

/** A complete, valid input; tests change one thing at a time. */
const fullInput = (sku: string, overrides: Record<string, unknown> = {}) => ({
  sku,
  name: 'Trail Runner Tee',
  description: 'A light tee for long runs.',
  categoryId: tShirts._id,
  basePrice: { amount: '40.00', currencyCode: 'EUR' },
  attributes: { brand: 'Kestrel', color: 'Olive', size: 'S–L', weightGrams: 180, dimensions: '30 x 25 x 2 cm' },
  images: [{ url: 'https://images.example.com/products/new-1.jpg', alt: 'Front view' }, { url: 'https://images.example.com/products/new-2.jpg' }],
  variants: [
    { sku: `${sku}-S`, size: 'S', color: 'Olive' },
    { sku: `${sku}-XL`, size: 'XL', color: 'Olive', price: { amount: '44.00', currencyCode: 'EUR' } },
  ],
  seo: { title: 'Trail Runner Tee | Kestrel', description: 'Light, quick-drying running tee.' },
  discount: { type: 'PERCENTAGE', value: '25', startsAt: '2024-01-01T00:00:00Z', endsAt: null },
  ...overrides,
});

describe('catalog administration over HTTP', () => {
  let api: RunningProducts;
  let bus: EventBus;
  let recorder: Awaited<ReturnType<typeof recordEvents>>;
  let admin: string;
  let customer: string;

  const create = async (input: Record<string, unknown>) => (await graphqlOk(api.url, CREATE_PRODUCT, { input }, { token: admin })).createProduct;

  beforeAll(async () => {
    bus = createMemoryBus();
    recorder = await recordEvents(bus);
    api = await startProducts({}, { bus });
    admin = await api.token('ADMIN', 'admin-1');
    customer = await api.token('CUSTOMER', 'customer-1');
  });

  afterAll(async () => {
    await api.stop();
    await recorder.stop();
    await bus.close();
  });

  describe('createCategory', () => {
    it('lets an admin add a category and a child below it, with unique slugs from the name', async () => {
      const { createCategory: outdoor } = await graphqlOk(api.url, CREATE_CATEGORY, { name: 'Outdoor & Camping' }, { token: admin });
      expect(outdoor).toMatchObject({ name: 'Outdoor & Camping', slug: 'outdoor-and-camping', parent: null, children: [] });
      expect(outdoor.seo).toEqual({ title: null, description: null });

      const { createCategory: tents } = await graphqlOk(
        api.url,
        CREATE_CATEGORY,
        { name: 'Tents', parentId: outdoor.id, seo: { title: 'Tents for every trip' } },
        { token: admin },
      );
      expect(tents).toMatchObject({ slug: 'tents', parent: { id: outdoor.id, name: 'Outdoor & Camping' }, seo: { title: 'Tents for every trip', description: null } });
      const { createCategory: again } = await graphqlOk(api.url, CREATE_CATEGORY, { name: 'Tents', parentId: outdoor.id }, { token: admin });
      expect(again.slug).toBe('tents-2');

      const { categories } = await graphqlOk(api.url, '{ categories { id children { id } } }');
      expect(categories.find((c: { id: string }) => c.id === outdoor.id).children.map((c: { id: string }) => c.id)).toEqual([tents.id, again.id]);
    });

    it('refuses customers (FORBIDDEN) and anonymous callers (UNAUTHENTICATED)', async () => {
      expect(errorCodes(await graphql(api.url, CREATE_CATEGORY, { name: 'Nope' }, { token: customer }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await graphql(api.url, CREATE_CATEGORY, { name: 'Nope' }))).toEqual(['UNAUTHENTICATED']);
      const { categories } = await graphqlOk(api.url, '{ categories { name } }');
      expect(categories.map((c: { name: string }) => c.name)).not.toContain('Nope');
    });

    it.each([
      ['an empty name', { name: '   ' }, 'name'],
      ['a malformed parent id', { name: 'X', parentId: '{"$ne": null}' }, 'parentId'],
      ['an unknown parent', { name: 'X', parentId: demoCategoryId(999) }, 'parentId'],
      ['an overlong name', { name: 'x'.repeat(101) }, 'name'],
    ])('refuses %s with BAD_USER_INPUT naming the field', async (_label, variables, field) => {
      const result = await graphql(api.url, CREATE_CATEGORY, variables, { token: admin });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe(field);
    });
  });

  describe('createProduct', () => {
    let created: any;

    beforeAll(async () => {
      created = await create(fullInput('NEW-0001'));
    });

    it('stores everything an admin gives, with the price in effect now', async () => {
      expect(created).toMatchObject({
        sku: 'NEW-0001',
        name: 'Trail Runner Tee',
        slug: 'trail-runner-tee',
        description: 'A light tee for long runs.',
        archivedAt: null,
        category: { id: tShirts._id, name: 'T-Shirts' },
        basePrice: { amount: '40.00', currencyCode: 'EUR' },
        price: { amount: '30.00', currencyCode: 'EUR' },
        discount: { type: 'PERCENTAGE', value: '25', startsAt: '2024-01-01T00:00:00.000Z', endsAt: null, active: true },
        attributes: { brand: 'Kestrel', color: 'Olive', size: 'S–L', weightGrams: 180, dimensions: '30 x 25 x 2 cm' },
        images: [
          { url: 'https://images.example.com/products/new-1.jpg', alt: 'Front view' },
          { url: 'https://images.example.com/products/new-2.jpg', alt: null },
        ],
        seo: { title: 'Trail Runner Tee | Kestrel', description: 'Light, quick-drying running tee.' },
        rating: { average: 0, count: 0 },
      });
      expect(created.id).toMatch(/^[0-9a-f]{24}$/);
      expect(created.variants).toEqual([
        { id: expect.stringMatching(/^[0-9a-f]{24}$/), sku: 'NEW-0001-S', name: 'S / Olive', size: 'S', color: 'Olive', price: { amount: '30.00', currencyCode: 'EUR' } },
        { id: expect.stringMatching(/^[0-9a-f]{24}$/), sku: 'NEW-0001-XL', name: 'XL / Olive', size: 'XL', color: 'Olive', price: { amount: '33.00', currencyCode: 'EUR' } },
      ]);
    });

    it('is then found by SKU and by id, and listed', async () => {
      expect((await graphqlOk(api.url, PRODUCT, { sku: 'NEW-0001' })).product).toEqual(created);
      expect((await graphqlOk(api.url, PRODUCT, { id: created.id })).product).toEqual(created);
      const { products } = await graphqlOk(api.url, LIST, { filter: { search: 'trail runner tee' } });
      expect(products.edges.map((e: { node: { sku: string } }) => e.node.sku)).toContain('NEW-0001');
    });

    it('emits product.created with a snapshot search can index', async () => {
      const [event] = await recorder.waitFor(() => recorder.about(created.id).length > 0).then(() => recorder.about(created.id));
      expect(event).toEqual({
        id: expect.any(String),
        type: 'product.created',
        source: 'products',
        occurredAt: created.createdAt,
        key: created.id,
        data: {
          product: {
            id: created.id,
            sku: 'NEW-0001',
            name: 'Trail Runner Tee',
            slug: 'trail-runner-tee',
            description: 'A light tee for long runs.',
            categoryId: tShirts._id,
            categoryIds: [clothing._id, tShirts._id],
            categoryName: 'T-Shirts',
            brand: 'Kestrel',
            color: 'Olive',
            size: 'S–L',
            priceMinor: 3000,
            basePriceMinor: 4000,
            currency: 'EUR',
            prices: { EUR: 3000 },
            ratingAverage: 0,
            ratingCount: 0,
            createdAt: created.createdAt,
            archived: false,
          },
        },
      });
    });

    it('gives products of the same name different slugs', async () => {
      const twin = await create(fullInput('NEW-0002', { variants: [] }));
      expect(twin.slug).toBe('trail-runner-tee-new-0002');
    });

    it('refuses customers and anonymous callers, and creates nothing', async () => {
      expect(errorCodes(await graphql(api.url, CREATE_PRODUCT, { input: fullInput('NEW-0100') }, { token: customer }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await graphql(api.url, CREATE_PRODUCT, { input: fullInput('NEW-0100') }))).toEqual(['UNAUTHENTICATED']);
      expect((await graphqlOk(api.url, PRODUCT, { sku: 'NEW-0100' })).product).toBeNull();
    });

    it('refuses a SKU in use with CONFLICT on input.sku', async () => {
      for (const sku of ['NEW-0001', 'TSH-0001']) {
        const result = await graphql(api.url, CREATE_PRODUCT, { input: fullInput(sku, { variants: [] }) }, { token: admin });
        expect(errorCodes(result)).toEqual(['CONFLICT']);
        expect(result.errors![0]!.extensions!.field).toBe('input.sku');
      }
    });

    it('lets exactly one of several concurrent creates with one SKU win', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          graphql(api.url, CREATE_PRODUCT, { input: fullInput('RACE-0001', { name: `Racer ${i}`, variants: [] }) }, { token: admin }),
        ),
      );
      expect(results.filter((r) => !r.errors).length).toBe(1);
      expect(results.flatMap(errorCodes).sort()).toEqual(Array(5).fill('CONFLICT'));
      const { products } = await graphqlOk(api.url, LIST, { filter: { skus: ['RACE-0001'] } });
      expect(products.totalCount).toBe(1);
    });

    it.each([
      ['an amount with too many decimals', { basePrice: { amount: '12.345', currencyCode: 'EUR' } }, 'input.basePrice.amount'],
      ['a negative amount', { basePrice: { amount: '-1', currencyCode: 'EUR' } }, 'input.basePrice.amount'],
      ['a float-looking amount', { basePrice: { amount: '1e3', currencyCode: 'EUR' } }, 'input.basePrice.amount'],
      ['a currency that is not ISO 4217', { basePrice: { amount: '10', currencyCode: 'euro' } }, 'input.basePrice.currencyCode'],
      ['an empty SKU', { sku: '' }, 'input.sku'],
      ['a SKU with spaces', { sku: 'A B', variants: [] }, 'input.sku'],
      ['a blank name', { name: '   ' }, 'input.name'],
      ['an overlong description', { description: 'x'.repeat(5001) }, 'input.description'],
      ['a malformed category id', { categoryId: '{"$gt": ""}' }, 'input.categoryId'],
      ['an unknown category', { categoryId: demoCategoryId(999) }, 'input.categoryId'],
      ['an image that is not an http URL', { images: [{ url: 'javascript:alert(1)' }] }, 'input.images.0.url'],
      ['a repeated variant SKU', { variants: [{ sku: 'V-1' }, { sku: 'V-1' }] }, 'input.variants.1.sku'],
      ['a variant priced in another currency', { variants: [{ sku: 'V-1', price: { amount: '1', currencyCode: 'USD' } }] }, 'input.variants.0.price.currencyCode'],
      ['a percentage above 100', { discount: { type: 'PERCENTAGE', value: '150' } }, 'input.discount.value'],
      ['a fixed discount of nothing', { discount: { type: 'FIXED', value: '0.00' } }, 'input.discount.value'],
      ['a discount ending before it starts', { discount: { type: 'FIXED', value: '1', startsAt: '2025-02-01T00:00:00Z', endsAt: '2025-01-01T00:00:00Z' } }, 'input.discount.endsAt'],
      ['a negative weight', { attributes: { weightGrams: -1 } }, 'input.attributes.weightGrams'],
      ['an overlong SEO title', { seo: { title: 't'.repeat(121) } }, 'input.seo.title'],
    ])('refuses %s with BAD_USER_INPUT naming the field', async (_label, overrides, field) => {
      const result = await graphql(api.url, CREATE_PRODUCT, { input: fullInput('BAD-0001', overrides) }, { token: admin });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe(field);
      expect((await graphqlOk(api.url, PRODUCT, { sku: 'BAD-0001' })).product).toBeNull();
    });
  });

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
});
