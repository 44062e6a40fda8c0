import { MoneyError, parseAmount } from '@shop/money';
import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';
import type { ProductSnapshot } from './snapshot.js';

/**
 * The source of a rebuild: the public `products` listing (archived products are not listed, so
 * they are not indexed) and `categories`, read from a GraphQL endpoint and turned into the same
 * `ProductSnapshot`s the product events carry. The endpoint is the products subgraph or the
 * router's supergraph: when `Product` has a `stock` field there (inventory's, served through the
 * router) each product's `stock { available }` is read with it and returned as its stock flag.
 */

export class ProductsUnavailableError extends ServiceUnavailableError {
  override name = 'ProductsUnavailableError';
}

export interface SnapshotPage {
  snapshots: ProductSnapshot[];
  /** When the page was asked for: the state it shows is at least this recent. */
  readAt: number;
  /** Whether each product of the page has stock available; null when the source serves no stock. */
  inStock: ReadonlyMap<string, boolean> | null;
}

interface CategoryNode {
  id: string;
  name: string;
  parent: { id: string } | null;
}

interface MoneyNode {
  amount: string;
  currencyCode: string;
}

interface ProductNode {
  id: string;
  sku: string;
  name: string;
  slug: string;
  description: string | null;
  category: { id: string };
  price: MoneyNode;
  basePrice: MoneyNode;
  attributes: { brand: string | null; color: string | null; size: string | null };
  createdAt: string;
  rating?: { average: number; count: number };
  currentPrices?: MoneyNode[];
  stock?: { available: number } | null;
}

interface ProductsPage {
  products: { edges: { node: ProductNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export const CATEGORIES_QUERY = 'query SearchReindexCategories { categories { id name parent { id } } }';

/**
 * Which optional fields the source serves on `Product`: `rating` (part of the contract but
 * arrives with the reviews feature; until then ratings are 0), `currentPrices` (the price in
 * every currency, from products with currencies) and `stock` (only through the router, from
 * inventory).
 */
export const PRODUCT_FIELDS_QUERY = 'query SearchReindexProductFields { __type(name: "Product") { fields { name } } }';

export function productsPageQuery(withRating: boolean, withStock = false, withPrices = false): string {
  return (
    'query SearchReindexPage($first: Int!, $after: String) { products(first: $first, after: $after) { ' +
    'edges { node { id sku name slug description category { id } price { amount currencyCode } ' +
    `basePrice { amount currencyCode } attributes { brand color size } createdAt${withRating ? ' rating { average count }' : ''}` +
    `${withPrices ? ' currentPrices { amount currencyCode }' : ''}${withStock ? ' stock { available }' : ''} } } ` +
    'pageInfo { hasNextPage endCursor } } }'
  );
}

/** Who search is to the source: its service credentials, and the source's name (`products`, or `router`). */
export interface SourceIdentity {
  credentials: ServiceCredentials;
  audience: string;
}

export interface ProductsSourceOptions {
  url: string;
  as: SourceIdentity;
  pageSize?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Every listed product, a page at a time, as snapshots (with stock flags when the source serves
 * stock). Throws ProductsUnavailableError when the source cannot be read.
 */
export async function* readProductSnapshots(options: ProductsSourceOptions): AsyncGenerator<SnapshotPage> {
  const source = createServiceClient({
    service: 'Catalog source',
    url: options.url,
    as: options.as,
    timeoutMs: options.timeoutMs ?? 10_000,
    unavailableError: ProductsUnavailableError,
  });
  const post = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const body = await source.request<T>(query, variables, options.signal ? { signal: options.signal } : {});
    if (body.errors.length || !body.data) {
      throw new ProductsUnavailableError(`Catalog source at ${options.url} failed: ${body.errors.map((e) => e.message).join('; ') || 'no data'}`);
    }
    return body.data;
  };

  const { categories } = await post<{ categories: CategoryNode[] }>(CATEGORIES_QUERY);
  const byId = new Map(categories.map((category) => [category.id, category]));
  const fields = await post<{ __type: { fields: { name: string }[] } | null }>(PRODUCT_FIELDS_QUERY);
  const served = new Set(fields.__type?.fields.map((field) => field.name));
  const withStock = served.has('stock');
  const query = productsPageQuery(served.has('rating'), withStock, served.has('currentPrices'));

  let after: string | null = null;
  do {
    const readAt = Date.now();
    const data: ProductsPage = await post<ProductsPage>(query, { first: options.pageSize ?? 100, after });
    const nodes = data.products.edges.map(({ node }) => node);
    yield {
      snapshots: nodes.map((node) => snapshotOf(node, byId)),
      readAt,
      inStock: withStock ? new Map(nodes.map((node) => [node.id, availableOf(node) > 0])) : null,
    };
    after = data.products.pageInfo.hasNextPage ? data.products.pageInfo.endCursor : null;
  } while (after !== null);
}

function availableOf(node: ProductNode): number {
  const available = node.stock?.available;
  if (typeof available !== 'number' || !Number.isFinite(available)) {
    throw new ProductsUnavailableError(`Catalog source sent no usable stock.available for ${node.id}`);
  }
  return available;
}

/** The category and every one above it, nearest first; stops at a cycle or an unknown parent. */
function categoryPath(id: string, categories: ReadonlyMap<string, CategoryNode>): CategoryNode[] {
  const path: CategoryNode[] = [];
  for (let node = categories.get(id); node && !path.includes(node); node = node.parent ? categories.get(node.parent.id) : undefined) {
    path.push(node);
  }
  return path;
}

function snapshotOf(node: ProductNode, categories: ReadonlyMap<string, CategoryNode>): ProductSnapshot {
  const path = categoryPath(node.category.id, categories);
  const minor = (money: MoneyNode, field: string) => {
    try {
      return parseAmount(money.amount, money.currencyCode);
    } catch (error) {
      if (error instanceof MoneyError) throw new ProductsUnavailableError(`Catalog source sent an unusable ${field} for ${node.id}: ${error.message}`);
      throw error;
    }
  };
  return {
    id: node.id,
    sku: node.sku,
    name: node.name,
    slug: node.slug,
    description: node.description,
    categoryId: node.category.id,
    categoryIds: [node.category.id, ...path.slice(1).map((c) => c.id)],
    categoryName: path[0]?.name ?? null,
    brand: node.attributes.brand,
    color: node.attributes.color,
    size: node.attributes.size,
    priceMinor: minor(node.price, 'price'),
    basePriceMinor: minor(node.basePrice, 'basePrice'),
    currency: node.price.currencyCode,
    ...(node.currentPrices && {
      prices: Object.fromEntries(node.currentPrices.map((price, i) => [price.currencyCode, minor(price, `currentPrices[${i}]`)])),
    }),
    ratingAverage: node.rating?.average ?? 0,
    ratingCount: node.rating?.count ?? 0,
    createdAt: node.createdAt,
    archived: false,
  };
}
