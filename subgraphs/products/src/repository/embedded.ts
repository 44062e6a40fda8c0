import { types } from 'node:util';
import { find } from 'mingo';
import type { Document, IndexDescription } from 'mongodb';
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
  type FindPlan,
} from './queries.js';

/**
 * An in-process document collection that evaluates MongoDB filter documents with mingo and
 * enforces unique indexes. Documents are copied in and out, as a real store would: a caller that
 * mutates what it got back changes nothing stored.
 */
class EmbeddedCollection<T extends { _id: string }> {
  private readonly documents = new Map<string, T>();
  private readonly uniqueIndexes: { name: string; fields: string[]; owners: Map<string, string> }[];

  constructor(
    readonly name: string,
    indexes: readonly IndexDescription[],
  ) {
    this.uniqueIndexes = indexes
      .filter((index) => index.unique)
      .map((index) => ({ name: index.name ?? Object.keys(index.key).join('_'), fields: Object.keys(index.key), owners: new Map() }));
  }

  insert(document: T): void {
    if (this.documents.has(document._id)) {
      throw new DuplicateKeyError(`${this.name}: duplicate _id ${JSON.stringify(document._id)}`);
    }
    const keys = this.uniqueIndexes.map((index) => indexKey(document, index.fields));
    this.uniqueIndexes.forEach((index, i) => {
      if (index.owners.has(keys[i]!)) {
        throw new DuplicateKeyError(`${this.name}: duplicate key ${keys[i]} for index ${index.name}`);
      }
    });
    this.uniqueIndexes.forEach((index, i) => index.owners.set(keys[i]!, document._id));
    this.documents.set(document._id, copy(document));
  }

  find(plan: FindPlan): T[] {
    let cursor = find([...this.documents.values()], plan.filter).sort(plan.sort);
    if (plan.limit > 0) cursor = cursor.limit(plan.limit);
    return cursor.all().map((document) => copy(document as T));
  }

  count(filter: Document): number {
    return find([...this.documents.values()], filter).all().length;
  }

  get size(): number {
    return this.documents.size;
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

/** The development store: starts empty, lives as long as the process. */
export function createEmbeddedProductRepository(): ProductRepository {
  const products = new EmbeddedCollection<ProductDocument>('products', PRODUCT_INDEXES);
  const categories = new EmbeddedCollection<CategoryDocument>('categories', CATEGORY_INDEXES);
  // limit 0 means "no limit", as in MongoDB.
  const productsWhere = (filter: Document) => products.find({ filter, sort: { ...PRODUCT_SORT }, limit: 0 });
  const categoriesWhere = (filter: Document) => categories.find({ filter, sort: { ...CATEGORY_SORT }, limit: 0 });

  return {
    async findByIds(ids) {
      return productsWhere(productsByIdsFilter(ids));
    },
    async findBySkus(skus) {
      return productsWhere(productsBySkusFilter(skus));
    },
    async findPage(query) {
      const plan = productListPlan(query);
      return toProductPage(products.find(plan), query.first, products.count(plan.countFilter));
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
      for (const document of documents) categories.insert(document);
    },
    async insertProducts(documents) {
      for (const document of documents) products.insert(document);
    },
    async isEmpty() {
      return products.size === 0 && categories.size === 0;
    },
    async ping() {},
    async close() {},
  };
}
