import type { ProductDocument } from './repository.js';

export const MIN_RATING = 1;
export const MAX_RATING = 5;
export const MAX_REVIEW_TITLE_LENGTH = 120;
export const MAX_REVIEW_BODY_LENGTH = 5000;

export interface Rating {
  /** Mean of all ratings, rounded to 2 decimals; 0 when there are none. */
  average: number;
  count: number;
}

/** The product's rating from its running sum and count (kept by an atomic increment per review). */
export function ratingOf(product: Pick<ProductDocument, 'ratingSummary'>): Rating {
  const { count, sum } = product.ratingSummary;
  return { average: count === 0 ? 0 : Math.round((sum * 100) / count) / 100, count };
}
