import type { CategoryDocument, DiscountDocument, ProductDocument, ProductRepository } from '../src/repository.js';

/** Small, hand-made documents for tests that need to know every row. */

const ID_PREFIX = { product: '64f0', category: '64e0', review: '64d0' } as const;
export const fixtureId = (kind: keyof typeof ID_PREFIX, n: number) => `${ID_PREFIX[kind]}${n.toString(16).padStart(20, '0')}`;

export const cat = (n: number) => fixtureId('category', n);
export const pid = (n: number) => fixtureId('product', n);

const DAY = 86_400_000;
export const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);

export function category(n: number, name: string, parent: number | null): CategoryDocument {
  return {
    _id: fixtureId('category', n),
    name,
    slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    parentId: parent === null ? null : fixtureId('category', parent),
    seo: { title: null, description: null },
    createdAt: new Date('2024-01-01T00:00:00Z'),
  };
}

export function product(
  n: number,
  fields: {
    sku: string;
    name: string;
    categoryId: string;
    minor: number;
    currency?: string;
    brand?: string | null;
    description?: string | null;
    discount?: DiscountDocument | null;
    archived?: boolean;
    variants?: ProductDocument['variants'];
  },
): ProductDocument {
  return {
    _id: fixtureId('product', n),
    sku: fields.sku,
    name: fields.name,
    slug: `${fields.sku.toLowerCase()}`,
    description: fields.description ?? null,
    categoryId: fields.categoryId,
    basePrice: { minor: fields.minor, currency: fields.currency ?? 'EUR' },
    discount: fields.discount ?? null,
    variants: fields.variants ?? [],
    images: [{ url: `https://images.example.com/products/${fields.sku}-1.jpg`, alt: null }],
    attributes: { brand: fields.brand ?? null, color: null, size: null, weightGrams: 100, dimensions: null },
    ratingSummary: { count: 0, sum: 0 },
    seo: { title: null, description: null },
    createdAt: new Date('2024-03-01T10:00:00Z'),
    updatedAt: new Date('2024-03-01T10:00:00Z'),
    archivedAt: fields.archived ? new Date('2024-06-01T00:00:00Z') : null,
  };
}

/** Records each repository call (method and arguments), passing it on to the real store. */
export function recording(inner: ProductRepository): { repository: ProductRepository; calls: { method: string; args: unknown[] }[] } {
  const calls: { method: string; args: unknown[] }[] = [];
  const repository = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ method: String(property), args: structuredClone(args) });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { repository, calls };
}

/** The repository contract's categories: a three-level tree and a second root. */
export const CATEGORIES = [category(1, 'Apparel', null), category(2, 'Hats', 1), category(3, 'Winter Hats', 2), category(4, 'Kitchen', null)];

/**
 * A fresh, empty store of one ProductRepository adapter (embedded, or MongoDB when MONGO_URL is
 * set) and a way to dispose of it: what the contract suites run against.
 */
export type RepositoryFactory = () => Promise<{ repository: ProductRepository; dispose: () => Promise<void> }>;
