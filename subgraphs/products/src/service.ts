import { badUserInput } from '@shop/errors';
import { MoneyError, parseAmount } from '@shop/money';
import { decodeProductCursor, encodeProductCursor } from './cursor.js';
import type { ProductsContext } from './context.js';
import type { CategoryDocument, ProductDocument, ProductListQuery, ProductRepository } from './repository.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const MAX_SEARCH_LENGTH = 200;
export const MAX_SEARCH_TERMS = 10;
export const MAX_FILTER_SKUS = 100;
/** Price filters are in the catalog's currency; products priced otherwise never match them. */
export const CATALOG_CURRENCY = 'EUR';

export interface ProductFilterInput {
  categoryId?: string | null;
  search?: string | null;
  brand?: string | null;
  minPrice?: string | null;
  maxPrice?: string | null;
  skus?: readonly string[] | null;
}

export interface ProductsArgs {
  filter?: ProductFilterInput | null;
  first?: number | null;
  after?: string | null;
}

export interface ProductConnection {
  edges: { cursor: string; node: ProductDocument }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** A federation reference: `{ id }` or `{ sku }`, per the two `@key`s of Product. */
export interface ProductReference {
  id?: string;
  sku?: string;
}

export type ProductService = ReturnType<typeof createProductService>;

export function createProductService(repository: ProductRepository) {
  return {
    async product(ctx: ProductsContext, args: { id?: string | null; sku?: string | null }): Promise<ProductDocument | null> {
      const hasId = args.id !== undefined && args.id !== null;
      const hasSku = args.sku !== undefined && args.sku !== null;
      if (hasId === hasSku) throw badUserInput('Give exactly one of `id` or `sku`', hasId ? 'sku' : 'id');
      return hasId ? ctx.loaders.productById.load(args.id!) : ctx.loaders.productBySku.load(args.sku!);
    },

    /** Archived products resolve too: orders and carts keep referring to them. */
    async productReference(ctx: ProductsContext, reference: ProductReference): Promise<ProductDocument | null> {
      if (typeof reference.id === 'string') return ctx.loaders.productById.load(reference.id);
      if (typeof reference.sku === 'string') return ctx.loaders.productBySku.load(reference.sku);
      return null;
    },

    async products(ctx: ProductsContext, args: ProductsArgs): Promise<ProductConnection> {
      const first = args.first ?? DEFAULT_PAGE_SIZE;
      if (first < 0 || first > MAX_PAGE_SIZE) {
        throw badUserInput(`\`first\` must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`, 'first');
      }
      let afterId: string | undefined;
      if (args.after !== undefined && args.after !== null) {
        afterId = decodeProductCursor(args.after) ?? undefined;
        if (afterId === undefined) throw badUserInput('`after` is not a cursor of this connection', 'after');
      }
      const query: ProductListQuery = { ...(await listConditions(repository, args.filter ?? {})), first, now: ctx.now, afterId };
      const page = await repository.findPage(query);
      for (const document of page.documents) ctx.loaders.productById.prime(document._id, document);
      const edges = page.documents.map((node) => ({ cursor: encodeProductCursor(node._id), node }));
      return {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount: page.totalCount,
      };
    },

    /** One store call for the whole tree: parents and children are then answered from the loaders. */
    async categories(ctx: ProductsContext): Promise<CategoryDocument[]> {
      const categories = await repository.listCategories();
      const children = new Map<string, CategoryDocument[]>(categories.map((category) => [category._id, []]));
      for (const category of categories) {
        ctx.loaders.categoryById.prime(category._id, category);
        if (category.parentId !== null) children.get(category.parentId)?.push(category);
      }
      for (const [id, list] of children) ctx.loaders.categoryChildren.prime(id, list);
      return categories;
    },

    async categoryOf(ctx: ProductsContext, product: ProductDocument): Promise<CategoryDocument> {
      const category = await ctx.loaders.categoryById.load(product.categoryId);
      if (!category) throw new Error(`product ${product._id} refers to missing category ${product.categoryId}`);
      return category;
    },
  };
}

/** Validates a filter and turns it into repository terms; text stays text throughout. */
async function listConditions(
  repository: ProductRepository,
  filter: ProductFilterInput,
): Promise<Omit<ProductListQuery, 'first' | 'now' | 'afterId'>> {
  const conditions: Omit<ProductListQuery, 'first' | 'now' | 'afterId'> = {};
  if (filter.categoryId !== undefined && filter.categoryId !== null) {
    conditions.categoryIds = subtreeIds(await repository.listCategories(), filter.categoryId);
  }
  if (filter.search !== undefined && filter.search !== null) {
    const search = filter.search.trim();
    if (search.length > MAX_SEARCH_LENGTH) {
      throw badUserInput(`\`search\` must be at most ${MAX_SEARCH_LENGTH} characters`, 'filter.search');
    }
    const terms = search.split(/\s+/).filter((term) => term !== '');
    if (terms.length > MAX_SEARCH_TERMS) {
      throw badUserInput(`\`search\` may have at most ${MAX_SEARCH_TERMS} words`, 'filter.search');
    }
    if (terms.length > 0) conditions.searchTerms = terms;
  }
  if (filter.brand !== undefined && filter.brand !== null) conditions.brand = filter.brand;
  if (filter.skus !== undefined && filter.skus !== null) {
    if (filter.skus.length > MAX_FILTER_SKUS) {
      throw badUserInput(`\`skus\` may list at most ${MAX_FILTER_SKUS} SKUs`, 'filter.skus');
    }
    conditions.skus = filter.skus;
  }
  const minMinor = priceBound(filter.minPrice, 'minPrice');
  const maxMinor = priceBound(filter.maxPrice, 'maxPrice');
  if (minMinor !== undefined && maxMinor !== undefined && minMinor > maxMinor) {
    throw badUserInput('`minPrice` must not be greater than `maxPrice`', 'filter.minPrice');
  }
  if (minMinor !== undefined || maxMinor !== undefined) {
    conditions.price = { currency: CATALOG_CURRENCY, minMinor, maxMinor };
  }
  return conditions;
}

function priceBound(value: string | null | undefined, name: 'minPrice' | 'maxPrice'): number | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return parseAmount(value, CATALOG_CURRENCY);
  } catch (error) {
    if (error instanceof MoneyError) throw badUserInput(`\`${name}\`: ${error.message}`, `filter.${name}`);
    throw error;
  }
}

/** The category and everything below it. An unknown id stays as it is and so matches nothing. */
function subtreeIds(categories: readonly CategoryDocument[], rootId: string): string[] {
  const ids = new Set([rootId]);
  for (const id of ids) {
    for (const category of categories) if (category.parentId === id) ids.add(category._id);
  }
  return [...ids];
}
