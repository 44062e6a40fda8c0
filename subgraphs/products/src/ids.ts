import { randomBytes, randomInt } from 'node:crypto';

const DOCUMENT_ID = /^[0-9a-f]{24}$/;

/**
 * Product, category, variant and review ids have the shape of a MongoDB ObjectId in lower-case
 * hex. Anything else cannot name a document, so it is answered with null without asking the store.
 */
export function isDocumentId(value: string): boolean {
  return DOCUMENT_ID.test(value);
}

// Built like an ObjectId: seconds, a random value per process, a counter. Ids made by one process
// therefore sort in creation order, and lists in `_id` order show the newest last.
const PROCESS_PART = randomBytes(5).toString('hex');
let counter = randomInt(0, 0xffffff);

export function newDocumentId(now = new Date()): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(now.getTime() / 1000).toString(16).padStart(8, '0').slice(-8);
  return `${seconds}${PROCESS_PART}${counter.toString(16).padStart(6, '0')}`;
}
