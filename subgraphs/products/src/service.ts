import { badUserInput, conflict, notFound } from '@shop/errors';
import { MoneyError, parseAmount } from '@shop/money';
import { pageSize, requireAdmin, requireCaller, toConnection, type Connection } from '@shop/subgraph-kit';
import {
  decodeProductCursor,
  decodeReviewCursor,
  encodeProductCursor,
  encodeReviewCursor,
} from './cursor.js';
import type { ProductsContext } from './context.js';
import { pendingEvent } from './events.js';
import { newDocumentId } from './ids.js';
import type { PendingEventRelay } from './relay.js';
import {
  DuplicateKeyError,
  type CategoryDocument,
  type ProductDocument,
  type ProductListQuery,
  type ProductRepository,
  type ReviewDocument,
  type ReviewPagesQuery,
  type VariantView,
} from './repository.js';
import { MAX_RATING, MAX_REVIEW_BODY_LENGTH, MAX_REVIEW_TITLE_LENGTH, MIN_RATING } from './reviews.js';
import { slugCandidates } from './slug.js';
import {
  LIMITS,
  documentId,
  isEmptyChange,
  optionalText,
  parseNewProduct,
  parseProductChanges,
  requiredText,
  seoDocument,
  type ProductInput,
  type ProductUpdateInput,
  type SeoInput,
} from './validation.js';

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

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface ProductsArgs extends PageArgs {
  filter?: ProductFilterInput | null;
}

export type ProductConnection = Connection<ProductDocument>;
export type ReviewConnection = Connection<ReviewDocument>;

/** A federation reference: `{ id }` or `{ sku }`, per the two `@key`s of Product. */
export interface ProductReference {
  id?: string;
  sku?: string;
}

export interface AddReviewArgs {
  productId: string;
  rating: number;
  title?: string | null;
  body?: string | null;
}

export type ProductService = ReturnType<typeof createProductService>;

export interface ProductServiceDeps {
  repository: ProductRepository;
  /** Publishes the events a write recorded, right after it (see relay.ts). */
  relay: Pick<PendingEventRelay, 'afterWrite'>;
}

export function createProductService({ repository, relay }: ProductServiceDeps) {
  /** The product as stored now (through the cache, which never holds an outdated one). */
  const currentProduct = async (ctx: ProductsContext, id: string): Promise<ProductDocument> => {
    const product = await ctx.loaders.productById.load(id);
    if (!product) throw notFound('Product', id);
    return product;
  };

  /** The request's loaders must not answer with what the product was before this request changed it. */
  const remember = (ctx: ProductsContext, product: ProductDocument): ProductDocument => {
    ctx.loaders.productById.clear(product._id).prime(product._id, product);
    ctx.loaders.productBySku.clear(product.sku).prime(product.sku, product);
    return product;
  };

  const requireCategory = async (id: string, field: string): Promise<CategoryDocument> => {
    const [category] = await repository.findCategoriesByIds([id]);
    if (!category) throw badUserInput(`No category has the id ${JSON.stringify(id)}`, field);
    return category;
  };

  const archivedError = (id: string, field: string) =>
    badUserInput(`Product ${JSON.stringify(id)} is archived and can no longer be changed or reviewed`, field);

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

    /**
     * `_entities` for ProductVariant, through its product (the per-request loader batches every
     * variant of a request into one read): null when the product or the variant is gone.
     */
    async variantReference(ctx: ProductsContext, reference: { id: string; product: { id: string } }): Promise<VariantView | null> {
      const product = await ctx.loaders.productById.load(reference.product.id);
      const variant = product?.variants.find((candidate) => candidate.id === reference.id);
      return product && variant ? { ...variant, product } : null;
    },

    async products(ctx: ProductsContext, args: ProductsArgs): Promise<ProductConnection> {
      const first = pageSize(args.first);
      const afterId = decodeProductCursor(args.after) ?? undefined;
      const query: ProductListQuery = { ...(await listConditions(repository, args.filter ?? {})), first, now: ctx.now, afterId };
      const page = await repository.findPage(query);
      for (const document of page.documents) ctx.loaders.productById.prime(document._id, document);
      return toConnection(page.documents, (node) => ({ cursor: encodeProductCursor(node._id), node }), page);
    },

    /** A page of a product's or an author's reviews, newest first, through the per-request loader. */
    async reviewsOf(ctx: ProductsContext, by: ReviewPagesQuery['by'], ownerId: string, args: PageArgs): Promise<ReviewConnection> {
      const first = pageSize(args.first);
      const after = decodeReviewCursor(args.after);
      const page = await ctx.loaders.reviewPage.load({ by, ownerId, first, after });
      for (const review of page.documents) ctx.loaders.reviewById.prime(review._id, review);
      return toConnection(page.documents, (node) => ({ cursor: encodeReviewCursor({ createdAt: node.createdAt, id: node._id }), node }), page);
    },

    async reviewReference(ctx: ProductsContext, reference: { id?: string }): Promise<ReviewDocument | null> {
      return typeof reference.id === 'string' ? ctx.loaders.reviewById.load(reference.id) : null;
    },

    async productOfReview(ctx: ProductsContext, review: ReviewDocument): Promise<ProductDocument> {
      const product = await ctx.loaders.productById.load(review.productId);
      if (!product) throw new Error(`review ${review._id} refers to missing product ${review.productId}`);
      return product;
    },

    async createCategory(
      ctx: ProductsContext,
      args: { name: string; parentId?: string | null; seo?: SeoInput | null },
    ): Promise<CategoryDocument> {
      requireAdmin(ctx);
      const name = requiredText(args.name, 'name', LIMITS.categoryName);
      let parentId: string | null = null;
      if (args.parentId !== undefined && args.parentId !== null) {
        parentId = documentId(args.parentId, 'parentId');
        await requireCategory(parentId, 'parentId');
      }
      const seo = seoDocument(args.seo, 'seo');
      const now = new Date();
      for (const slug of slugCandidates(name, 'category')) {
        const category: CategoryDocument = { _id: newDocumentId(now), name, slug, parentId, seo, createdAt: now };
        try {
          await repository.insertCategories([category]);
        } catch (error) {
          // The only other unique key is the random id: a clash is the slug's.
          if (error instanceof DuplicateKeyError) continue;
          throw error;
        }
        ctx.loaders.categoryById.prime(category._id, category);
        return category;
      }
      throw conflict('No free slug could be found for this name; choose another name', { reason: 'ALREADY_EXISTS', field: 'name' });
    },

    async createProduct(ctx: ProductsContext, args: { input: ProductInput }): Promise<ProductDocument> {
      requireAdmin(ctx);
      const fields = parseNewProduct(args.input);
      await requireCategory(fields.categoryId, 'input.categoryId');
      const now = new Date();
      for (const slug of slugCandidates(fields.name, 'product', [`${fields.name} ${fields.sku}`])) {
        const product: ProductDocument = {
          _id: newDocumentId(now),
          ...fields,
          slug,
          ratingSummary: { count: 0, sum: 0 },
          createdAt: now,
          updatedAt: now,
          archivedAt: null,
        };
        try {
          await repository.insertProducts([{ ...product, pendingEvents: [pendingEvent('product.created', now)] }]);
        } catch (error) {
          if (!(error instanceof DuplicateKeyError)) throw error;
          if (error.index === 'slug_unique') continue;
          throw conflict(`The SKU ${JSON.stringify(fields.sku)} is already in use`, { reason: 'ALREADY_EXISTS', field: 'input.sku' });
        }
        await relay.afterWrite();
        return remember(ctx, product);
      }
      throw conflict('No free slug could be found for this name; choose another name', { reason: 'ALREADY_EXISTS', field: 'input.name' });
    },

    async updateProduct(ctx: ProductsContext, args: { id: string; input: ProductUpdateInput }): Promise<ProductDocument> {
      requireAdmin(ctx);
      const id = documentId(args.id, 'id');
      const current = await currentProduct(ctx, id);
      if (current.archivedAt !== null) throw archivedError(id, 'id');
      const changes = parseProductChanges(args.input, current);
      if (changes.categoryId !== undefined && changes.categoryId !== current.categoryId) {
        await requireCategory(changes.categoryId, 'input.categoryId');
      }
      if (isEmptyChange(changes)) return current;
      const now = new Date();
      const updated = await repository.updateProduct(id, changes, now, pendingEvent('product.updated', now));
      // Only a concurrent archive can have taken it out of reach since we read it.
      if (!updated) throw archivedError(id, 'id');
      await relay.afterWrite();
      return remember(ctx, updated);
    },

    /** Idempotent: an archived product is returned as it is, without another event. */
    async archiveProduct(ctx: ProductsContext, args: { id: string }): Promise<ProductDocument> {
      requireAdmin(ctx);
      const id = documentId(args.id, 'id');
      const current = await currentProduct(ctx, id);
      if (current.archivedAt !== null) return current;
      const now = new Date();
      const archived = await repository.archiveProduct(id, now, pendingEvent('product.archived', now));
      if (!archived) {
        // Someone else archived it in between: the outcome asked for holds.
        const [latest] = await repository.findByIds([id]);
        if (!latest) throw notFound('Product', id);
        return remember(ctx, latest);
      }
      await relay.afterWrite();
      return remember(ctx, archived);
    },

    async addReview(ctx: ProductsContext, args: AddReviewArgs): Promise<ReviewDocument> {
      const caller = requireCaller(ctx);
      const productId = documentId(args.productId, 'productId');
      if (!Number.isInteger(args.rating) || args.rating < MIN_RATING || args.rating > MAX_RATING) {
        throw badUserInput(`\`rating\` must be a whole number from ${MIN_RATING} to ${MAX_RATING}`, 'rating');
      }
      const title = optionalText(args.title, 'title', MAX_REVIEW_TITLE_LENGTH);
      const body = optionalText(args.body, 'body', MAX_REVIEW_BODY_LENGTH);
      const product = await currentProduct(ctx, productId);
      if (product.archivedAt !== null) throw archivedError(productId, 'productId');
      const now = new Date();
      const review: ReviewDocument = { _id: newDocumentId(now), productId, userId: caller.userId, rating: args.rating, title, body, createdAt: now };
      let updated: ProductDocument | null;
      try {
        // A review changes the product's rating, so it announces a product update.
        updated = await repository.insertReview(review, pendingEvent('product.updated', now));
      } catch (error) {
        if (error instanceof DuplicateKeyError) throw conflict('You have already reviewed this product', { reason: 'ALREADY_EXISTS', field: 'productId' });
        throw error;
      }
      if (!updated) throw archivedError(productId, 'productId');
      await relay.afterWrite();
      remember(ctx, updated);
      ctx.loaders.reviewById.prime(review._id, review);
      return review;
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
