import { types } from 'node:util';
import { aggregate, find, update } from 'mingo';
import { BSON, type Document, type IndexDescription } from 'mongodb';
import { openJournal, type Journal } from '@shop/kv';
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
  listedInCurrenciesFilter,
  listedProductFilter,
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
  type FindPlan,
} from './queries.js';

interface UniqueIndex {
  name: string;
  fields: string[];
  /** Index key -> `_id` of the document holding it. */
  owners: Map<string, string>;
}

/**
 * An in-process document collection that evaluates MongoDB filter, update and aggregation
 * documents with mingo and enforces unique indexes on every write. Documents are copied in and
 * out, as a real store would: a caller that mutates what it got back changes nothing stored.
 * Each method runs to completion without awaiting, so every write is atomic, as a
 * single-document write is in MongoDB.
 */
class EmbeddedCollection<T extends { _id: string }> {
  private readonly documents = new Map<string, T>();
  private readonly uniqueIndexes: UniqueIndex[];

  constructor(
    readonly name: string,
    indexes: readonly IndexDescription[],
    /** Told every document written (null: deleted), in order: the journal. */
    private readonly onWrite: (id: string, document: T | null) => void = () => undefined,
  ) {
    this.uniqueIndexes = indexes
      .filter((index) => index.unique)
      .map((index) => ({ name: index.name ?? Object.keys(index.key).join('_'), fields: Object.keys(index.key), owners: new Map() }));
  }

  insert(document: T): void {
    if (this.documents.has(document._id)) {
      throw new DuplicateKeyError(`${this.name}: duplicate _id ${JSON.stringify(document._id)}`, '_id_');
    }
    this.claimKeys(document, null);
    this.documents.set(document._id, copy(document));
    this.onWrite(document._id, document);
  }

  /** Puts a document back as it was written (loading the journal): no checks, no `onWrite`. */
  restore(id: string, document: T | null): void {
    const current = this.documents.get(id);
    if (current) for (const index of this.uniqueIndexes) index.owners.delete(indexKey(current, index.fields));
    if (document === null) {
      this.documents.delete(id);
      return;
    }
    for (const index of this.uniqueIndexes) index.owners.set(indexKey(document, index.fields), id);
    this.documents.set(id, document);
  }

  all(): IterableIterator<T> {
    return this.documents.values();
  }

  find(plan: FindPlan, projection?: Document): T[] {
    let cursor = find([...this.documents.values()], plan.filter, projection).sort(plan.sort);
    if (plan.limit > 0) cursor = cursor.limit(plan.limit);
    return cursor.all().map((document) => copy(document as T));
  }

  count(filter: Document): number {
    return find([...this.documents.values()], filter).all().length;
  }

  aggregate(pipeline: Document[]): Document[] {
    return aggregate([...this.documents.values()], pipeline).map((row) => copy(row));
  }

  /** Applies a MongoDB update document to the first match in `_id` order; the document after, or null. */
  updateOne(filter: Document, modifier: Document): T | null {
    const [match] = find([...this.documents.values()], filter).sort({ _id: 1 }).limit(1).all() as T[];
    if (!match) return null;
    const current = this.documents.get(match._id)!;
    const next = copy(current);
    update(next, modifier);
    this.claimKeys(next, current);
    this.documents.set(next._id, copy(next));
    this.onWrite(next._id, next);
    return copy(next);
  }

  deleteOne(id: string): void {
    const current = this.documents.get(id);
    if (!current) return;
    for (const index of this.uniqueIndexes) index.owners.delete(indexKey(current, index.fields));
    this.documents.delete(id);
    this.onWrite(id, null);
  }

  get size(): number {
    return this.documents.size;
  }

  /** Takes the unique keys of `next` (releasing those of `previous`), or throws without changing anything. */
  private claimKeys(next: T, previous: T | null): void {
    const keys = this.uniqueIndexes.map((index) => indexKey(next, index.fields));
    this.uniqueIndexes.forEach((index, i) => {
      const owner = index.owners.get(keys[i]!);
      if (owner !== undefined && owner !== next._id) {
        throw new DuplicateKeyError(`${this.name}: duplicate key ${keys[i]} for index ${index.name}`, index.name);
      }
    });
    this.uniqueIndexes.forEach((index, i) => {
      if (previous) index.owners.delete(indexKey(previous, index.fields));
      index.owners.set(keys[i]!, next._id);
    });
  }
}

/**
 * A deep copy of a stored document (plain objects, arrays, Dates, primitives: all BSON-like
 * values here). Not `structuredClone`: its Dates come from the realm that defines it, which
 * need not be the caller's (jest's VM contexts), and `instanceof Date` would then fail.
 */
function copy<V>(value: V): V {
  if (types.isDate(value)) return new Date(value.getTime()) as V;
  if (Array.isArray(value)) return value.map(copy) as V;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, copy(inner)])) as V;
  }
  return value;
}

/** A missing field indexes as null, as in MongoDB. */
function indexKey(document: object, fields: readonly string[]): string {
  return JSON.stringify(
    fields.map((path) =>
      path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), document) ?? null,
    ),
  );
}

/** What reads return: the product without its outbox. */
function withoutOutbox(document: ProductDocument): ProductDocument {
  const { pendingEvents: _pending, ...product } = document;
  return product;
}

type CollectionName = 'products' | 'categories' | 'reviews' | 'exchangeRates';
/** A journal line: a document as written, or its deletion (`doc: null`). */
interface Written {
  c: CollectionName;
  id: string;
  doc: Document | null;
}
// Extended JSON keeps Dates Dates across a restart.
const EJSON_OPTIONS = { relaxed: true } as const;

/**
 * The development store. Without `persistPath` it starts empty and lives as long as the
 * process (tests); with one, every write is journaled (`@shop/kv`'s openJournal: acknowledged
 * writes survive a crash, as PostgreSQL's commits do) and the catalog is there after a restart.
 */
export function createEmbeddedProductRepository(options: { persistPath?: string } = {}): ProductRepository {
  let journal: Journal<Written> | null = null;
  const journaled =
    (c: CollectionName) =>
    (id: string, doc: Document | null): void =>
      journal?.append({ c, id, doc });
  const products = new EmbeddedCollection<ProductDocument>('products', PRODUCT_INDEXES, journaled('products'));
  const categories = new EmbeddedCollection<CategoryDocument>('categories', CATEGORY_INDEXES, journaled('categories'));
  const reviews = new EmbeddedCollection<ReviewDocument>('reviews', REVIEW_INDEXES, journaled('reviews'));
  const exchangeRates = new EmbeddedCollection<ExchangeRateDocument>('exchangeRates', [], journaled('exchangeRates'));
  // Loading hands each collection back the documents it wrote, whatever their type.
  const collections: Record<CollectionName, { restore(id: string, doc: never): void; all(): IterableIterator<{ _id: string }> }> = {
    products,
    categories,
    reviews,
    exchangeRates,
  };
  if (options.persistPath) {
    journal = openJournal<Written>({
      path: options.persistPath,
      apply: ({ c, id, doc }) => collections[c].restore(id, doc as never),
      *snapshot() {
        for (const c of Object.keys(collections) as CollectionName[]) {
          for (const doc of collections[c].all()) yield { c, id: doc._id, doc };
        }
      },
      encode: (written) => BSON.EJSON.stringify(written, EJSON_OPTIONS),
      decode: (line) => BSON.EJSON.parse(line, EJSON_OPTIONS) as Written,
    });
  }
  // Resolves once every write so far is on disk (at once in memory).
  const durable = async () => journal?.sync();
  // limit 0 means "no limit", as in MongoDB.
  const productsWhere = (filter: Document) =>
    products.find({ filter, sort: { ...PRODUCT_SORT }, limit: 0 }, { ...PRODUCT_PROJECTION });
  const categoriesWhere = (filter: Document) => categories.find({ filter, sort: { ...CATEGORY_SORT }, limit: 0 });
  const changed = (document: ProductDocument | null) => (document ? withoutOutbox(document) : null);

  return {
    async findByIds(ids) {
      return productsWhere(productsByIdsFilter(ids));
    },
    async findBySkus(skus) {
      return productsWhere(productsBySkusFilter(skus));
    },
    async findPage(query) {
      const plan = productListPlan(query);
      return toProductPage(products.find(plan, { ...PRODUCT_PROJECTION }), query.first, products.count(plan.countFilter));
    },
    async findCategoriesByIds(ids) {
      return categoriesWhere(categoriesByIdsFilter(ids));
    },
    async findCategoriesByParentIds(parentIds) {
      return categoriesWhere(categoriesByParentIdsFilter(parentIds));
    },
    async listCategories() {
      return categoriesWhere({});
    },
    async insertCategories(documents) {
      try {
        for (const document of documents) categories.insert(document);
      } finally {
        await durable();
      }
    },
    async insertProducts(documents) {
      try {
        for (const document of documents) products.insert(document);
      } finally {
        await durable();
      }
    },
    async updateProduct(id, changes, at, event) {
      const product = products.updateOne(listedProductFilter(id), productChangesUpdate(changes, at, event));
      await durable();
      return changed(product);
    },
    async archiveProduct(id, at, event) {
      const product = products.updateOne(listedProductFilter(id), archiveUpdate(at, event));
      await durable();
      return changed(product);
    },
    async insertReview(review, event) {
      reviews.insert(review);
      const product = products.updateOne(listedProductFilter(review.productId), ratingUpdate(review.rating, review.createdAt, event));
      if (!product) reviews.deleteOne(review._id);
      await durable();
      return changed(product);
    },
    async findReviewsByIds(ids) {
      return reviews.find({ filter: reviewsByIdsFilter(ids), sort: { ...REVIEW_SORT }, limit: 0 });
    },
    async findReviewPages(query) {
      const rows = reviews.aggregate(reviewPagesPipeline(query)) as ReviewDocument[];
      const counts = reviews.aggregate(reviewCountsPipeline(query)) as { _id: string; count: number }[];
      return toReviewPages(query, rows, counts);
    },
    async eraseReviewTexts(userId) {
      for (const review of reviews.find({ filter: { userId: { $eq: userId } }, sort: { ...REVIEW_SORT }, limit: 0 })) {
        reviews.updateOne({ _id: { $eq: review._id } }, { $set: { title: null, body: null } });
      }
      await durable();
    },
    async findPendingEvents(limit) {
      return products
        .find({ filter: pendingEventsFilter(), sort: { ...PRODUCT_SORT }, limit })
        .map((document) => ({ product: withoutOutbox(document), events: document.pendingEvents ?? [] }));
    },
    async removePendingEvents(published) {
      for (const { productId, eventIds } of published) {
        products.updateOne({ _id: { $eq: productId } }, removePendingEventsUpdate(eventIds));
      }
      await durable();
    },
    async announceProductsIn(currencies, eventFor) {
      const listed = products.find({ filter: listedInCurrenciesFilter(currencies), sort: { ...PRODUCT_SORT }, limit: 0 });
      for (const { _id } of listed) products.updateOne(listedProductFilter(_id), pendingEventUpdate(eventFor(_id)));
      await durable();
      return listed.length;
    },
    async setExchangeRate(rate) {
      const { _id, ...fields } = rate;
      if (!exchangeRates.updateOne({ _id: { $eq: _id } }, { $set: fields })) exchangeRates.insert(rate);
      await durable();
    },
    async listExchangeRates() {
      return exchangeRates.find({ filter: {}, sort: { _id: 1 }, limit: 0 });
    },
    async isEmpty() {
      return products.size === 0 && categories.size === 0;
    },
    async ping() {},
    async close() {
      await journal?.close();
    },
  };
}
