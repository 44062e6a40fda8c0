import type { IndexOperation } from '../src/repository.js';
import { toIndexedProduct, type ProductSnapshot } from '../src/snapshot.js';

/** A small catalog whose every facet count, sort order and text match is worked out by hand. */

export const CATEGORIES = {
  clothing: { id: 'cat-clothing', name: 'Clothing', parent: null },
  tshirts: { id: 'cat-tshirts', name: 'T-Shirts', parent: 'cat-clothing' },
  jackets: { id: 'cat-jackets', name: 'Jackets', parent: 'cat-clothing' },
  footwear: { id: 'cat-footwear', name: 'Footwear', parent: null },
  sneakers: { id: 'cat-sneakers', name: 'Sneakers', parent: 'cat-footwear' },
  kitchen: { id: 'cat-kitchen', name: 'Kitchen', parent: null },
} as const;

type CategoryKey = keyof typeof CATEGORIES;

export const pid = (n: number) => `prod-${String(n).padStart(2, '0')}`;

function snapshot(
  n: number,
  name: string,
  description: string | null,
  brand: string | null,
  color: string | null,
  size: string | null,
  category: CategoryKey,
  priceMinor: number,
  rating: [number, number],
  createdAt: string,
  extra: Partial<ProductSnapshot> = {},
): ProductSnapshot {
  const own = CATEGORIES[category];
  const categoryIds: string[] = [own.id];
  if (own.parent) categoryIds.push(own.parent);
  return {
    id: pid(n),
    sku: `SKU-${n}`,
    name,
    slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    description,
    categoryId: own.id,
    categoryIds,
    categoryName: own.name,
    brand,
    color,
    size,
    priceMinor,
    basePriceMinor: priceMinor,
    currency: 'EUR',
    ratingAverage: rating[0],
    ratingCount: rating[1],
    createdAt: `${createdAt}T10:00:00.000Z`,
    archived: false,
    ...extra,
  };
}

export const CATALOG: ProductSnapshot[] = [
  // Prices in other currencies as products sends them (fixed or converted); others have none.
  snapshot(1, 'Merino Wool Jacket', 'A warm layer for cold mornings.', 'Nordkap', 'Grey', 'M', 'jackets', 12900, [4.5, 10], '2024-01-05', {
    prices: { EUR: 12900, USD: 13900, JPY: 20800 },
  }),
  snapshot(2, 'Organic Cotton T-Shirt', 'Soft everyday basic, pairs well with sneakers.', 'Leafwear', 'White', 'M', 'tshirts', 1999, [4.1, 25], '2024-02-01', {
    prices: { EUR: 1999, USD: 2199, JPY: 3200 },
  }),
  snapshot(3, 'Graphic T-Shirt', 'Printed front, relaxed fit.', 'Leafwear', 'Black', 'L', 'tshirts', 2499, [3.9, 8], '2024-03-10', {
    basePriceMinor: 2999,
  }),
  snapshot(4, 'Rain Jacket', 'Waterproof shell with taped seams.', 'Nordkap', 'Yellow', 'L', 'jackets', 8900, [4.7, 40], '2024-04-02'),
  snapshot(5, 'Trail Runner Sneaker', 'Grippy sole for muddy paths.', 'Stride', 'Black', '42', 'sneakers', 11000, [4.3, 12], '2024-05-20'),
  snapshot(6, 'Canvas Sneaker', 'Lightweight and breathable.', 'Stride', 'White', '40', 'sneakers', 4999, [4.0, 5], '2024-06-11'),
  snapshot(7, 'Espresso Cup Set', 'Four porcelain cups.', 'Brühwerk', 'White', null, 'kitchen', 2500, [4.8, 30], '2024-07-01'),
  snapshot(8, 'Cast Iron Skillet', 'Seasoned and ready to cook.', 'Forge & Co', 'Black', null, 'kitchen', 5000, [4.6, 18], '2024-08-15'),
  snapshot(9, 'Café Apron', 'Cotton canvas with two pockets.', 'Leafwear', 'Green', 'One Size', 'kitchen', 2500, [4.5, 10], '2024-09-01'),
  snapshot(10, 'Wool Socks', 'Merino blend.', 'Nordkap', 'Grey', 'M', 'clothing', 1250, [4.2, 60], '2024-09-01'),
  snapshot(11, 'Imported Teapot', 'Cast iron, from Japan.', 'Tetsu', 'Black', null, 'kitchen', 3000, [4.4, 3], '2024-10-01', {
    currency: 'USD',
    prices: { USD: 3000, JPY: 4500 },
  }),
  snapshot(12, 'Kids Rain Boots', 'Bright rubber boots.', 'Stride', 'Yellow', '30', 'footwear', 3500, [3.5, 2], '2024-11-11', {
    prices: { EUR: 3500, JPY: 5600 },
  }),
];

export const ALL_IDS = CATALOG.map((p) => p.id);

/** Input that looks like an attack on some query language; as text it matches nothing here. */
export const INJECTIONS = [
  "'; DROP TABLE products; --",
  '{"$where": "sleep(1000)"}',
  '{"$gt": ""}',
  'name:* OR 1=1',
  'brand:Stride',
  '*',
  '\\',
];

/** The catalog as product writes of one version. */
export function catalogOperations(version: number): IndexOperation[] {
  return CATALOG.map((snapshot) => {
    const { product, listed } = toIndexedProduct(snapshot);
    return { kind: 'product', product, listed, version };
  });
}

export function productOperation(snapshot: ProductSnapshot, version: number): IndexOperation {
  const { product, listed } = toIndexedProduct(snapshot);
  return { kind: 'product', product, listed, version };
}

export const byId = (id: string) => CATALOG.find((p) => p.id === id)!;
