const DOCUMENT_ID = /^[0-9a-f]{24}$/;

/**
 * Product, category and variant ids have the shape of a MongoDB ObjectId in lower-case hex.
 * Anything else cannot name a document, so it is answered with null without asking the store.
 */
export function isDocumentId(value: string): boolean {
  return DOCUMENT_ID.test(value);
}
