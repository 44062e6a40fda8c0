import { badUserInput } from '@shop/errors';
import { MoneyError, isCurrencyCode, parseAmount } from '@shop/money';
import { isDocumentId, newDocumentId } from './ids.js';
import type {
  AttributesDocument,
  DiscountDocument,
  DiscountType,
  ImageDocument,
  MoneyDocument,
  ProductChanges,
  ProductDocument,
  SeoDocument,
  VariantDocument,
} from './repository.js';

/**
 * Admin input -> store documents. Every rule names the offending field the way the client sent
 * it (`input.basePrice.amount`, `input.variants.2.sku`). Text is only ever trimmed and measured:
 * whatever it looks like (`{"$gt": ""}`, `'; DROP TABLE`), it is stored as the string it is.
 */

export const LIMITS = {
  name: 200,
  description: 5000,
  sku: 64,
  attribute: 100,
  weightGrams: 1_000_000,
  images: 20,
  url: 2048,
  alt: 300,
  variants: 100,
  variantName: 200,
  seoTitle: 120,
  seoDescription: 320,
  categoryName: 100,
} as const;

const SKU = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

export interface MoneyInput {
  amount: string;
  currencyCode: string;
}

export interface AttributesInput {
  brand?: string | null;
  color?: string | null;
  size?: string | null;
  weightGrams?: number | null;
  dimensions?: string | null;
}

export interface ImageInput {
  url: string;
  alt?: string | null;
}

export interface VariantInput {
  sku: string;
  name?: string | null;
  size?: string | null;
  color?: string | null;
  price?: MoneyInput | null;
}

export interface SeoInput {
  title?: string | null;
  description?: string | null;
}

export interface DiscountInput {
  type: DiscountType;
  value: string;
  startsAt?: Date | null;
  endsAt?: Date | null;
}

export interface ProductInput {
  sku: string;
  name: string;
  description?: string | null;
  categoryId: string;
  basePrice: MoneyInput;
  attributes?: AttributesInput | null;
  images?: readonly ImageInput[] | null;
  variants?: readonly VariantInput[] | null;
  seo?: SeoInput | null;
  discount?: DiscountInput | null;
}

/** Every field optional: only the fields given change; null clears an optional one. */
export type ProductUpdateInput = Partial<Omit<ProductInput, 'sku'>>;

/** What a new product is made of, before ids, slug and timestamps are added. */
export type NewProductFields = Pick<
  ProductDocument,
  'sku' | 'name' | 'description' | 'categoryId' | 'basePrice' | 'discount' | 'variants' | 'images' | 'attributes' | 'seo'
>;

const given = <T extends object>(input: T, key: keyof T): boolean => input[key] !== undefined;

/** Trimmed text, null when empty; the length is counted in characters (code points). */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  if ([...trimmed].length > max) throw badUserInput(`\`${field}\` must be at most ${max} characters`, field);
  return trimmed === '' ? null : trimmed;
}

export function requiredText(value: string | null | undefined, field: string, max: number): string {
  const text = optionalText(value, field, max);
  if (text === null) throw badUserInput(`\`${field}\` must not be empty`, field);
  return text;
}

export function documentId(value: string | null | undefined, field: string): string {
  if (typeof value !== 'string' || !isDocumentId(value)) throw badUserInput(`\`${field}\` is not a valid id`, field);
  return value;
}

function sku(value: string, field: string): string {
  const text = value.trim();
  if (text.length > LIMITS.sku || !SKU.test(text)) {
    throw badUserInput(
      `\`${field}\` must be 1 to ${LIMITS.sku} letters, digits, '.', '_', '/' or '-', starting with a letter or digit`,
      field,
    );
  }
  return text;
}

export function money(input: MoneyInput, field: string): MoneyDocument {
  const currency = input.currencyCode.trim();
  if (!isCurrencyCode(currency)) throw badUserInput(`\`${field}.currencyCode\` must be an ISO 4217 code such as "EUR"`, `${field}.currencyCode`);
  try {
    return { minor: parseAmount(input.amount, currency), currency };
  } catch (error) {
    if (error instanceof MoneyError) throw badUserInput(`\`${field}.amount\`: ${error.message}`, `${field}.amount`);
    throw error;
  }
}

function attributes(input: AttributesInput, field: string): Partial<AttributesDocument> {
  const result: Partial<AttributesDocument> = {};
  for (const key of ['brand', 'color', 'size', 'dimensions'] as const) {
    if (given(input, key)) result[key] = optionalText(input[key], `${field}.${key}`, LIMITS.attribute);
  }
  if (given(input, 'weightGrams')) {
    const grams = input.weightGrams ?? null;
    if (grams !== null && (!Number.isSafeInteger(grams) || grams < 0 || grams > LIMITS.weightGrams)) {
      throw badUserInput(`\`${field}.weightGrams\` must be a whole number from 0 to ${LIMITS.weightGrams}`, `${field}.weightGrams`);
    }
    result.weightGrams = grams;
  }
  return result;
}

const NO_ATTRIBUTES: AttributesDocument = { brand: null, color: null, size: null, weightGrams: null, dimensions: null };
const NO_SEO: SeoDocument = { title: null, description: null };

function seo(input: SeoInput, field: string): Partial<SeoDocument> {
  const result: Partial<SeoDocument> = {};
  if (given(input, 'title')) result.title = optionalText(input.title, `${field}.title`, LIMITS.seoTitle);
  if (given(input, 'description')) result.description = optionalText(input.description, `${field}.description`, LIMITS.seoDescription);
  return result;
}

export function seoDocument(input: SeoInput | null | undefined, field: string): SeoDocument {
  return { ...NO_SEO, ...(input ? seo(input, field) : {}) };
}

function images(input: readonly ImageInput[], field: string): ImageDocument[] {
  if (input.length > LIMITS.images) throw badUserInput(`\`${field}\` may hold at most ${LIMITS.images} images`, field);
  return input.map((image, i) => {
    const url = image.url.trim();
    let parsed: URL | null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || url.length > LIMITS.url) {
      throw badUserInput(`\`${field}.${i}.url\` must be an absolute http(s) URL of at most ${LIMITS.url} characters`, `${field}.${i}.url`);
    }
    return { url, alt: optionalText(image.alt, `${field}.${i}.alt`, LIMITS.alt) };
  });
}

/**
 * Variants in the product's currency. A variant keeps its id when one with the same SKU existed
 * (carts and orders may refer to it); new ones get a new id.
 */
function variants(
  input: readonly VariantInput[],
  field: string,
  productSku: string,
  currency: string,
  existing: readonly VariantDocument[],
): VariantDocument[] {
  if (input.length > LIMITS.variants) throw badUserInput(`\`${field}\` may hold at most ${LIMITS.variants} variants`, field);
  const seen = new Set<string>([productSku]);
  return input.map((variant, i) => {
    const at = `${field}.${i}`;
    const variantSku = sku(variant.sku, `${at}.sku`);
    if (seen.has(variantSku)) throw badUserInput(`\`${at}.sku\` repeats the SKU "${variantSku}" of this product`, `${at}.sku`);
    seen.add(variantSku);
    const size = optionalText(variant.size, `${at}.size`, LIMITS.attribute);
    const color = optionalText(variant.color, `${at}.color`, LIMITS.attribute);
    let priceMinor: number | null = null;
    if (variant.price) {
      const price = money(variant.price, `${at}.price`);
      if (price.currency !== currency) {
        throw badUserInput(`\`${at}.price.currencyCode\` must be the product's currency, ${currency}`, `${at}.price.currencyCode`);
      }
      priceMinor = price.minor;
    }
    return {
      id: existing.find((v) => v.sku === variantSku)?.id ?? newDocumentId(),
      sku: variantSku,
      name: optionalText(variant.name, `${at}.name`, LIMITS.variantName) ?? ([size, color].filter(Boolean).join(' / ') || variantSku),
      size,
      color,
      priceMinor,
    };
  });
}

/** "20" or "12.5" percent -> basis points (2000, 1250); null when it is not such a number. */
function basisPoints(value: string): number | null {
  const match = PERCENT.exec(value.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0') || '0');
}

/** Basis points -> the percentage text clients gave: 2000 -> "20", 1250 -> "12.5". */
export function formatPercent(basis: number): string {
  const whole = Math.floor(basis / 100);
  const fraction = String(basis % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

function discount(input: DiscountInput, field: string, currency: string): DiscountDocument {
  let value: number;
  if (input.type === 'PERCENTAGE') {
    const basis = basisPoints(input.value);
    if (basis === null || basis <= 0 || basis > 10_000) {
      throw badUserInput(`\`${field}.value\` must be a percentage above 0 and at most 100, e.g. "20" or "12.5"`, `${field}.value`);
    }
    value = basis;
  } else {
    try {
      value = parseAmount(input.value, currency);
    } catch (error) {
      if (error instanceof MoneyError) throw badUserInput(`\`${field}.value\`: ${error.message}`, `${field}.value`);
      throw error;
    }
    if (value <= 0) throw badUserInput(`\`${field}.value\` must be an amount above 0 in ${currency}`, `${field}.value`);
  }
  const startsAt = input.startsAt ?? null;
  const endsAt = input.endsAt ?? null;
  if (startsAt && endsAt && startsAt.getTime() >= endsAt.getTime()) {
    throw badUserInput(`\`${field}.endsAt\` must be after \`startsAt\``, `${field}.endsAt`);
  }
  return { type: input.type, value, startsAt, endsAt };
}

export function parseNewProduct(input: ProductInput): NewProductFields {
  const productSku = sku(input.sku, 'input.sku');
  const basePrice = money(input.basePrice, 'input.basePrice');
  return {
    sku: productSku,
    name: requiredText(input.name, 'input.name', LIMITS.name),
    description: optionalText(input.description, 'input.description', LIMITS.description),
    categoryId: documentId(input.categoryId, 'input.categoryId'),
    basePrice,
    discount: input.discount ? discount(input.discount, 'input.discount', basePrice.currency) : null,
    variants: input.variants ? variants(input.variants, 'input.variants', productSku, basePrice.currency, []) : [],
    images: input.images ? images(input.images, 'input.images') : [],
    attributes: { ...NO_ATTRIBUTES, ...(input.attributes ? attributes(input.attributes, 'input.attributes') : {}) },
    seo: seoDocument(input.seo, 'input.seo'),
  };
}

/**
 * The changes an update asks for, checked against the product as it is: what the update leaves
 * alone must still fit what it changes (variant prices and a fixed discount are in the product's
 * currency, so changing the currency needs them restated).
 */
export function parseProductChanges(input: ProductUpdateInput, current: ProductDocument): ProductChanges {
  const changes: ProductChanges = {};
  const required = (key: 'name' | 'categoryId' | 'basePrice') => {
    if (input[key] === null) throw badUserInput(`\`input.${key}\` cannot be cleared`, `input.${key}`);
    return input[key] !== undefined;
  };
  if (required('name')) changes.name = requiredText(input.name, 'input.name', LIMITS.name);
  if (given(input, 'description')) changes.description = optionalText(input.description, 'input.description', LIMITS.description);
  if (required('categoryId')) changes.categoryId = documentId(input.categoryId, 'input.categoryId');
  if (required('basePrice')) changes.basePrice = money(input.basePrice!, 'input.basePrice');
  const currency = changes.basePrice?.currency ?? current.basePrice.currency;

  if (given(input, 'variants')) {
    changes.variants = variants(input.variants ?? [], 'input.variants', current.sku, currency, current.variants);
  } else if (currency !== current.basePrice.currency && current.variants.some((v) => v.priceMinor !== null)) {
    throw badUserInput('Variants have their own prices in the old currency: give `input.variants` too', 'input.basePrice.currencyCode');
  }
  if (given(input, 'discount')) {
    changes.discount = input.discount ? discount(input.discount, 'input.discount', currency) : null;
  } else if (currency !== current.basePrice.currency && current.discount?.type === 'FIXED') {
    throw badUserInput('The fixed discount is in the old currency: give `input.discount` too', 'input.basePrice.currencyCode');
  }
  if (given(input, 'images')) changes.images = images(input.images ?? [], 'input.images');
  if (given(input, 'attributes')) {
    changes.attributes = input.attributes ? attributes(input.attributes, 'input.attributes') : { ...NO_ATTRIBUTES };
  }
  if (given(input, 'seo')) changes.seo = input.seo ? seo(input.seo, 'input.seo') : { ...NO_SEO };
  return changes;
}

export function isEmptyChange(changes: ProductChanges): boolean {
  return Object.values(changes).every((value) => value === undefined);
}
