import { MoneyError, parseAmount } from '@shop/money';
import type { ProductSnapshot } from './snapshot.js';

/**
 * The products subgraph as the source of a rebuild: its public `products` listing (archived
 * products are not listed, so they are not indexed) and `categories`, read straight from its
 * GraphQL endpoint, and turned into the same `ProductSnapshot`s the product events carry.
 */

export class ProductsUnavailableError extends Error {
  override name = 'ProductsUnavailableError';
}

export interface SnapshotPage {
  snapshots: ProductSnapshot[];
  /** When the page was asked for: the state it shows is at least this recent. */
  readAt: number;
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message?: string }[];
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
}

interface ProductsPage {
  products: { edges: { node: ProductNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export const CATEGORIES_QUERY = 'query SearchReindexCategories { categories { id name parent { id } } }';

/** Ratings are part of the contract but arrive with the reviews feature; until then they are 0. */
export const PRODUCT_FIELDS_QUERY = 'query SearchReindexProductFields { __type(name: "Product") { fields { name } } }';

export function productsPageQuery(withRating: boolean): string {
  return (
    'query SearchReindexPage($first: Int!, $after: String) { products(first: $first, after: $after) { ' +
    'edges { node { id sku name slug description category { id } price { amount currencyCode } ' +
    `basePrice { amount currencyCode } attributes { brand color size } createdAt${withRating ? ' rating { average count }' : ''} } } ` +
    'pageInfo { hasNextPage endCursor } } }'
  );
}

export interface ProductsSourceOptions {
  url: string;
  pageSize?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Every listed product, a page at a time, as snapshots. Throws ProductsUnavailableError when products cannot be read. */
export async function* readProductSnapshots(options: ProductsSourceOptions): AsyncGenerator<SnapshotPage> {
  const post = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const signals = [AbortSignal.timeout(options.timeoutMs ?? 10_000), ...(options.signal ? [options.signal] : [])];
    let body: GraphQLBody<T>;
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.any(signals),
      });
      body = (await response.json()) as GraphQLBody<T>;
      if (!response.ok && !body.data) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      throw new ProductsUnavailableError(`Products subgraph at ${options.url} did not answer: ${(error as Error).message}`);
    }
    if (body.errors?.length || !body.data) {
      throw new ProductsUnavailableError(`Products subgraph failed: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
    }
    return body.data;
  };

  const { categories } = await post<{ categories: CategoryNode[] }>(CATEGORIES_QUERY);
  const byId = new Map(categories.map((category) => [category.id, category]));
  const fields = await post<{ __type: { fields: { name: string }[] } | null }>(PRODUCT_FIELDS_QUERY);
  const withRating = fields.__type?.fields.some((field) => field.name === 'rating') ?? false;
  const query = productsPageQuery(withRating);

  let after: string | null = null;
  do {
    const readAt = Date.now();
    const data: ProductsPage = await post<ProductsPage>(query, { first: options.pageSize ?? 100, after });
    yield { snapshots: data.products.edges.map(({ node }) => snapshotOf(node, byId)), readAt };
    after = data.products.pageInfo.hasNextPage ? data.products.pageInfo.endCursor : null;
  } while (after !== null);
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
      if (error instanceof MoneyError) throw new ProductsUnavailableError(`Products subgraph sent an unusable ${field} for ${node.id}: ${error.message}`);
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
    ratingAverage: node.rating?.average ?? 0,
    ratingCount: node.rating?.count ?? 0,
    createdAt: node.createdAt,
    archived: false,
  };
}
