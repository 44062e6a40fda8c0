import { MongoClient, MongoServerError, type Collection, type Document, type Filter } from 'mongodb';
import {
  DuplicateKeyError,
  type CategoryDocument,
  type ProductDocument,
  type ProductRepository,
} from '../repository.js';
import {
  CATEGORY_INDEXES,
  CATEGORY_SORT,
  PRODUCT_INDEXES,
  PRODUCT_SORT,
  categoriesByIdsFilter,
  categoriesByParentIdsFilter,
  productListPlan,
  productsByIdsFilter,
  productsBySkusFilter,
  toProductPage,
} from './queries.js';

const DUPLICATE_KEY = 11000;

export interface MongoRepositoryOptions {
  url: string;
  dbName: string;
  /** How long to wait for a reachable server before giving up. */
  serverSelectionTimeoutMS?: number;
}

/** The URL without its password, safe to put in an error message or a log line. */
export function redactMongoUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable MONGO_URL)';
  }
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
      `Could not reach MongoDB at ${redactMongoUrl(options.url)}: ${(error as Error).message}. ` +
        'Start MongoDB, or unset MONGO_URL to use the embedded store (development only).',
    );
  }
  const db = client.db(options.dbName);
  const products: Collection<ProductDocument> = db.collection<ProductDocument>('products');
  const categories: Collection<CategoryDocument> = db.collection<CategoryDocument>('categories');
  try {
    await products.createIndexes(PRODUCT_INDEXES);
    await categories.createIndexes(CATEGORY_INDEXES);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }

  const productsWhere = (filter: Document) =>
    products.find(filter as Filter<ProductDocument>).sort({ ...PRODUCT_SORT }).toArray();
  const categoriesWhere = (filter: Document) =>
    categories.find(filter as Filter<CategoryDocument>).sort({ ...CATEGORY_SORT }).toArray();

  return {
    findByIds: (ids) => productsWhere(productsByIdsFilter(ids)),
    findBySkus: (skus) => productsWhere(productsBySkusFilter(skus)),
    async findPage(query) {
      const plan = productListPlan(query);
      const [rows, totalCount] = await Promise.all([
        products.find(plan.filter as Filter<ProductDocument>).sort(plan.sort).limit(plan.limit).toArray(),
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
  };
}

async function translateDuplicate(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) throw new DuplicateKeyError(error.message);
    throw error;
  }
}
