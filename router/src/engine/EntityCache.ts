import { LRUCache } from 'lru-cache';
import { publicMaxAge } from './cachePolicy.js';
import type { DataObject } from './entityData.js';
import type { FetchOutcome } from './SubgraphClient.js';

/** Characters of entity JSON (with keys) one subgraph's cache holds at most. */
const MAX_CHARS = 8 * 1024 * 1024;

/**
 * Shorter max-ages mark data that changes by itself (stock, held and released by inventory's
 * own clock and events, says 10 s): a CDN may keep such answers, but the router, whose clients
 * expect to see a change as soon as the subgraph has it, does not.
 */
const MIN_KEPT_MAX_AGE = 30;

/**
 * One subgraph's entity answers that it called `public` with a max-age (its `cache-control`, the
 * word a shared HTTP cache goes by: the same answer for every caller), each kept until that age
 * runs out on the router's clock. Keyed by the fetch (its operation, which holds the type
 * condition and the selection, and its variables) and the entity's representation (type and
 * key fields); kept as JSON text, so every request gets objects of its own to merge into.
 */
export class EntityCache {
  private readonly entries: LRUCache<string, { json: string; expiresAt: number }>;

  constructor(
    private readonly now: () => number,
    maxEntries: number,
  ) {
    this.entries = new LRUCache({ max: maxEntries, maxSize: MAX_CHARS, sizeCalculation: (entry, key) => entry.json.length + key.length });
  }

  /** The kept entity and the seconds it has left, or undefined. */
  get(key: string): { json: string; maxAge: number } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const left = entry.expiresAt - this.now();
    if (left <= 0) {
      this.entries.delete(key);
      return undefined;
    }
    return { json: entry.json, maxAge: Math.ceil(left / 1000) };
  }

  /**
   * Keeps each entity of an `_entities` answer the subgraph called public (max-age at least
   * MIN_KEPT_MAX_AGE, no errors at all) under `head` and its representation, before any part of
   * the operation merges it; anything else is kept nowhere. Returns the outcome as it was.
   */
  keep(head: string, representations: readonly string[], outcome: FetchOutcome): FetchOutcome {
    if (outcome.kind !== 'response' || outcome.errors?.length) return outcome;
    const maxAge = publicMaxAge(outcome.cacheControl);
    const received = outcome.data?._entities;
    if (maxAge === null || maxAge < MIN_KEPT_MAX_AGE || !Array.isArray(received) || received.length !== representations.length) return outcome;
    const expiresAt = this.now() + maxAge * 1000;
    for (let i = 0; i < representations.length; i++) {
      const entity = received[i] as DataObject | null;
      if (entity && typeof entity === 'object') this.entries.set(head + representations[i]!, { json: JSON.stringify(entity), expiresAt });
    }
    return outcome;
  }

  /** Forgets everything (a mutation went through the router: what it changed must not be answered from here). */
  clear(): void {
    this.entries.clear();
  }
}
