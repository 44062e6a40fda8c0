import { beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { demoCategoryId } from '../src/seed/demoCatalog.js';
import { CREATE_CATEGORY, CREATE_PRODUCT, LIST, PRODUCT, admin, api, clothing, create, customer, fullInput, recorder, tShirts, useCatalogAdmin } from './catalogAdmin.js';

// Catalogue administration over HTTP: creating categories and products. Updates and archiving: adminUpdates.e2e.ts.
useCatalogAdmin();

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

