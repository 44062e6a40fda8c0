import { afterAll, beforeAll } from '@jest/globals';
import { createMemoryBus, type EventBus } from '@shop/events';
import { graphqlOk } from '@shop/testing';
import { generateDemoCatalog } from '../src/seed/demoCatalog.js';
import { recordEvents, startProducts, type RunningProducts } from './harness.js';

/**
 * The products subgraph on the demo catalogue with an event recorder, the admin operations and
 * a valid product input, shared by the catalogue administration suites. Each suite file gets its
 * own copy (jest loads modules per file); the bindings are live, filled in by `useCatalogAdmin`.
 */
export const catalog = generateDemoCatalog();
export const tShirts = catalog.categories.find((c) => c.name === 'T-Shirts')!;
export const clothing = catalog.categories.find((c) => c.name === 'Clothing')!;

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

export const CREATE_CATEGORY = `
  mutation($name: String!, $parentId: ID, $seo: SeoInput) {
    createCategory(name: $name, parentId: $parentId, seo: $seo) { id name slug parent { id name } children { id } seo { title description } }
  }`;
export const CREATE_PRODUCT = `mutation($input: ProductInput!) { createProduct(input: $input) { ${PRODUCT_FIELDS} } }`;
export const UPDATE_PRODUCT = `mutation($id: ID!, $input: ProductUpdateInput!) { updateProduct(id: $id, input: $input) { ${PRODUCT_FIELDS} } }`;
export const ARCHIVE_PRODUCT = `mutation($id: ID!) { archiveProduct(id: $id) { id sku archivedAt } }`;
export const PRODUCT = `query($id: ID, $sku: String) { product(id: $id, sku: $sku) { ${PRODUCT_FIELDS} } }`;
export const LIST = `query($filter: ProductFilter) { products(filter: $filter, first: 100) { totalCount edges { node { id sku name } } } }`;

/** A complete, valid input; tests change one thing at a time. */
export const fullInput = (sku: string, overrides: Record<string, unknown> = {}) => ({
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

export let api: RunningProducts;
let bus: EventBus;
export let recorder: Awaited<ReturnType<typeof recordEvents>>;
export let admin: string;
export let customer: string;

export const create = async (input: Record<string, unknown>) => (await graphqlOk(api.url, CREATE_PRODUCT, { input }, { token: admin })).createProduct;

export function useCatalogAdmin(): void {
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
}
