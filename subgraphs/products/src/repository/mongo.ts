import { redactUrl } from '@shop/config';
import { traceMethods } from '@shop/telemetry';
import { MongoClient, MongoServerError, type Collection, type Document, type Filter, type UpdateFilter } from 'mongodb';
import {
  DuplicateKeyError,
  type CategoryDocument,
  type ExchangeRateDocument,
  type ProductDocument,
  type ProductRepository,
  type ReviewDocument,
} from '../repository.js';
import {
  CATEGORY_INDEXES,
  CATEGORY_SORT,
  PRODUCT_INDEXES,
  PRODUCT_PROJECTION,
  PRODUCT_SORT,
  REVIEW_INDEXES,
  REVIEW_SORT,
  archiveUpdate,
  categoriesByIdsFilter,
  categoriesByParentIdsFilter,
  listedProductFilter,
  listedInCurrenciesFilter,
  pendingEventUpdate,
  pendingEventsFilter,
  productChangesUpdate,
  productListPlan,
  productsByIdsFilter,
  productsBySkusFilter,
  ratingUpdate,
  removePendingEventsUpdate,
  reviewCountsPipeline,
  reviewPagesPipeline,
  reviewsByIdsFilter,
  toProductPage,
  toReviewPages,
} from './queries.js';

const DUPLICATE_KEY = 11000;

export interface MongoRepositoryOptions {
  url: string;
  dbName: string;
  /** How long to wait for a reachable server before giving up. */
  serverSelectionTimeoutMS?: number;
}

/** Connects, creates the indexes of `queries.ts` (idempotent), and serves the repository. */
export async function createMongoProductRepository(options: MongoRepositoryOptions): Promise<ProductRepository> {
  const client = new MongoClient(options.url, {
    appName: 'shop-products',
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
  });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(
      `Could not reach MongoDB at ${redactUrl(options.url, 'MONGO_URL')}: ${(error as Error).message}. ` +
        'Start MongoDB, or unset MONGO_URL to use the embedded store (development only).',
      { cause: error },
    );
  }
  const db = client.db(options.dbName);
  const products: Collection<ProductDocument> = db.collection<ProductDocument>('products');
  const categories: Collection<CategoryDocument> = db.collection<CategoryDocument>('categories');
  const reviews: Collection<ReviewDocument> = db.collection<ReviewDocument>('reviews');
  const exchangeRates: Collection<ExchangeRateDocument> = db.collection<ExchangeRateDocument>('exchangeRates');
  try {
    await products.createIndexes(PRODUCT_INDEXES);
    await categories.createIndexes(CATEGORY_INDEXES);
    await reviews.createIndexes(REVIEW_INDEXES);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }

  const productsWhere = (filter: Document) =>
    products
      .find(filter as Filter<ProductDocument>, { projection: { ...PRODUCT_PROJECTION } })
      .sort({ ...PRODUCT_SORT })
      .toArray();
  const categoriesWhere = (filter: Document) =>
    categories.find(filter as Filter<CategoryDocument>).sort({ ...CATEGORY_SORT }).toArray();
  /** One atomic single-document update of a listed product; the product after it, or null. */
  const updateListed = (id: string, update: Document) =>
    products.findOneAndUpdate(listedProductFilter(id) as Filter<ProductDocument>, update as UpdateFilter<ProductDocument>, {
      returnDocument: 'after',
      projection: { ...PRODUCT_PROJECTION },
    });

  // Every call a span in the request's trace (the driver itself is not patched).
  return traceMethods<ProductRepository>({
    findByIds: (ids) => productsWhere(productsByIdsFilter(ids)),
    findBySkus: (skus) => productsWhere(productsBySkusFilter(skus)),
    async findPage(query) {
      const plan = productListPlan(query);
      const [rows, totalCount] = await Promise.all([
        products
          .find(plan.filter as Filter<ProductDocument>, { projection: { ...PRODUCT_PROJECTION } })
          .sort(plan.sort)
          .limit(plan.limit)
          .toArray(),
        products.countDocuments(plan.countFilter as Filter<ProductDocument>),
      ]);
      return toProductPage(rows, query.first, totalCount);
    },
    findCategoriesByIds: (ids) => categoriesWhere(categoriesByIdsFilter(ids)),
    findCategoriesByParentIds: (parentIds) => categoriesWhere(categoriesByParentIdsFilter(parentIds)),
    listCategories: () => categoriesWhere({}),
    async insertCategories(documents) {
      if (documents.length > 0) await translateDuplicate(() => categories.insertMany([...documents], { ordered: true }));
    },
    async insertProducts(documents) {
      if (documents.length > 0) await translateDuplicate(() => products.insertMany([...documents], { ordered: true }));
    },
    updateProduct: (id, changes, at, event) => updateListed(id, productChangesUpdate(changes, at, event)),
    archiveProduct: (id, at, event) => updateListed(id, archiveUpdate(at, event)),
    async insertReview(review, event) {
      await translateDuplicate(() => reviews.insertOne(review));
      // A second collection: MongoDB without a replica set has no multi-document transaction,
      // so the review is written first (its unique index decides duplicates before anything is
      // counted) and taken back if the product cannot count it.
      try {
        const product = await updateListed(review.productId, ratingUpdate(review.rating, review.createdAt, event));
        if (!product) await reviews.deleteOne({ _id: { $eq: review._id } });
        return product;
      } catch (error) {
        await reviews.deleteOne({ _id: { $eq: review._id } }).catch(() => undefined);
        throw error;
      }
    },
    findReviewsByIds: (ids) =>
      reviews
        .find(reviewsByIdsFilter(ids) as Filter<ReviewDocument>)
        .sort({ ...REVIEW_SORT })
        .toArray(),
    async findReviewPages(query) {
      const [rows, counts] = await Promise.all([
        reviews.aggregate<ReviewDocument>(reviewPagesPipeline(query)).toArray(),
        reviews.aggregate<{ _id: string; count: number }>(reviewCountsPipeline(query)).toArray(),
      ]);
      return toReviewPages(query, rows, counts);
    },
    async eraseReviewTexts(userId) {
      await reviews.updateMany({ userId: { $eq: userId } }, { $set: { title: null, body: null } });
    },
    async findPendingEvents(limit) {
      const rows = await products
        .find(pendingEventsFilter() as Filter<ProductDocument>)
        .sort({ ...PRODUCT_SORT })
        .limit(limit)
        .toArray();
      return rows.map(({ pendingEvents, ...product }) => ({ product, events: pendingEvents ?? [] }));
    },
    async removePendingEvents(published) {
      if (published.length === 0) return;
      await products.bulkWrite(
        published.map(({ productId, eventIds }) => ({
          updateOne: {
            filter: { _id: { $eq: productId } } as Filter<ProductDocument>,
            update: removePendingEventsUpdate(eventIds) as UpdateFilter<ProductDocument>,
          },
        })),
        { ordered: false },
      );
    },
    async announceProductsIn(currencies, eventFor) {
      const ids = await products
        .find(listedInCurrenciesFilter(currencies) as Filter<ProductDocument>, { projection: { _id: 1 } })
        .toArray();
      if (ids.length === 0) return 0;
      await products.bulkWrite(
        ids.map(({ _id }) => ({
          updateOne: {
            filter: listedProductFilter(_id) as Filter<ProductDocument>,
            update: pendingEventUpdate(eventFor(_id)) as UpdateFilter<ProductDocument>,
          },
        })),
        { ordered: false },
      );
      return ids.length;
    },
    async setExchangeRate(rate) {
      await exchangeRates.replaceOne({ _id: { $eq: rate._id } }, rate, { upsert: true });
    },
    async listExchangeRates() {
      return exchangeRates.find({}).sort({ _id: 1 }).toArray();
    },
    async isEmpty() {
      const [product, category] = await Promise.all([
        products.findOne({}, { projection: { _id: 1 } }),
        categories.findOne({}, { projection: { _id: 1 } }),
      ]);
      return product === null && category === null;
    },
    async ping() {
      await db.command({ ping: 1 });
    },
    async close() {
      await client.close();
    },
  }, 'mongodb', { 'db.system.name': 'mongodb', 'db.namespace': options.dbName });
}

/** The name of the index an E11000 error names, e.g. `sku_unique` or `_id_`. */
export function duplicateIndexName(error: MongoServerError): string | null {
  return /index: (\S+) dup key/.exec(error.message)?.[1] ?? null;
}

async function translateDuplicate(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
      throw new DuplicateKeyError(error.message, duplicateIndexName(error));
    }
    throw error;
  }
}
