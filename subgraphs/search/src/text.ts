/**
 * Text analysis, stated once for both engines: the embedded repository runs these functions, and
 * the Elasticsearch index is configured to do the same (`repository/requests.ts`: a pattern
 * tokenizer on the same character classes, lowercase, asciifolding, edge n-grams of the same
 * lengths, the same field weights), so a query finds the same products in either.
 */

/** The searched fields and their weights: a match in the name counts most. */
export const FIELD_BOOSTS = { name: 3, brand: 2, categoryName: 2, description: 1 } as const;

/** Prefix matching applies to words of this many characters (the edge n-gram lengths). */
export const MIN_PREFIX_LENGTH = 2;
export const MAX_PREFIX_LENGTH = 20;

/** Lower case without accents: "Café" -> "cafe". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/**
 * The words of a text: runs of letters and digits, folded. Everything else separates words,
 * so quotes, operators and field syntax (`name:*`, `{"$gt": ""}`) are never more than spaces.
 */
export function tokenize(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/**
 * Typos tolerated in a word, as Elasticsearch's `fuzziness: AUTO`: none up to 2 characters,
 * one up to 5, two beyond.
 */
export function editDistanceFor(word: string): number {
  const length = [...word].length;
  if (length <= 2) return 0;
  return length <= 5 ? 1 : 2;
}

export function prefixApplies(word: string): boolean {
  const length = [...word].length;
  return length >= MIN_PREFIX_LENGTH && length <= MAX_PREFIX_LENGTH;
}
