import { LRUCache } from 'lru-cache';
import { cacheHint } from './cachePolicy.js';
import type { DataObject } from './entityData.js';
import type { FetchOutcome } from './SubgraphClient.js';

/** Characters of entity JSON (with keys) one subgraph's public entries hold at most. */
const MAX_CHARS = 8 * 1024 * 1024;
/** The same for its callers' private entries (a signed-in caller's `me`: ~450 with the key). */
const MAX_PRIVATE_CHARS = 4 * 1024 * 1024;

/**
 * Shorter max-ages mark data that changes by itself (stock, held and released by inventory's
 * own clock and events, says 10 s): a CDN may keep such answers, but the router, whose clients
 * expect to see a change as soon as the subgraph has it, does not.
 */
const MIN_KEPT_MAX_AGE = 30;

/**
 * Whose private answers a request may read and keep: the identity the router forwards (the
 * exact `Authorization` header, see `forwardedIdentity`), until its access token expires (ms).
 */
export interface CallerScope {
  identity: string;
  until: number;
}

/** A kept answer: its JSON, the seconds it has left, and whom it is for. */
export interface Kept {
  json: string;
  maxAge: number;
  scope: 'public' | 'private';
}

interface Entry {
  json: string;
  expiresAt: number;
}

/**
 * One subgraph's answers the router keeps, each until its max-age runs out on the router's clock,
 * kept as JSON text (every request gets objects of its own to merge into):
 * - entity answers it called `public` (its `cache-control`, the word a shared HTTP cache goes by:
 *   the same answer for every caller), keyed by the fetch (its operation, which holds the type
 *   condition and the selection, and its variables) and the entity's representation;
 * - answers it called `private` (root fields such as `me`, and entities), for the caller they
 *   were for alone: keyed by that caller's forwarded identity and the same, and kept no longer
 *   than the caller's token lives (Apollo Router's entity caching keeps private data per user
 *   alike). Bounded apart, so that many callers do not push the catalogue out.
 */
export class EntityCache {
  private readonly shared: LRUCache<string, Entry>;
  private readonly perCaller: LRUCache<string, Entry>;
  /**
   * How many times everything was forgotten. A fetch notes it when it is sent; its answer is
   * kept only if nothing was forgotten meanwhile, since it may tell of the time before a
   * mutation even though it arrives after.
   */
  private forgotten = 0;

  constructor(
    private readonly now: () => number,
    maxEntries: number,
  ) {
    const sizeCalculation = (entry: Entry, key: string) => entry.json.length + key.length;
    this.shared = new LRUCache({ max: maxEntries, maxSize: MAX_CHARS, sizeCalculation });
    this.perCaller = new LRUCache({ max: maxEntries, maxSize: MAX_PRIVATE_CHARS, sizeCalculation });
  }

  /** What a fetch about to be sent passes to `keep` / `keepAnswer` with its answer. */
  get generation(): number {
    return this.forgotten;
  }

  /** The entity kept for everyone under `key`, else the one kept for `caller` alone; undefined when neither is. */
  get(key: string, caller: CallerScope | null): Kept | undefined {
    return this.read(this.shared, key, 'public') ?? (caller ? this.answer(key, caller) : undefined);
  }

  /** What is kept for `caller` alone under `key` (a root fetch's request body, or an entity's key), or undefined. */
  answer(key: string, caller: CallerScope): Kept | undefined {
    // A subgraph that never answers privately costs no key per fetch.
    return this.perCaller.size === 0 ? undefined : this.read(this.perCaller, `${caller.identity}\n${key}`, 'private');
  }

  /**
   * Keeps each entity of an `_entities` answer (no errors at all; max-age at least
   * MIN_KEPT_MAX_AGE) under `head` and its representation, before any part of the operation
   * merges it: for everyone when the subgraph called it public, for `caller` alone when it
   * called it private. Anything else is kept nowhere, nor is an answer to a fetch sent before
   * the last `clear` (`sentAt`: the `generation` then). Returns the outcome as it was.
   */
  keep(head: string, representations: readonly string[], outcome: FetchOutcome, caller: CallerScope | null, sentAt: number): FetchOutcome {
    const into = this.target(outcome, caller, sentAt);
    const received = outcome.kind === 'response' ? outcome.data?._entities : undefined;
    if (!into || !Array.isArray(received) || received.length !== representations.length) return outcome;
    for (let i = 0; i < representations.length; i++) {
      const entity = received[i] as DataObject | null;
      if (entity && typeof entity === 'object') into.entries.set(into.prefix + head + representations[i]!, { json: JSON.stringify(entity), expiresAt: into.expiresAt });
    }
    return outcome;
  }

  /** Keeps a root fetch's data (under its request body, `key`) for `caller`, when the subgraph called it private (as `keep`). Returns the outcome as it was. */
  keepAnswer(key: string, outcome: FetchOutcome, caller: CallerScope, sentAt: number): FetchOutcome {
    const into = this.target(outcome, caller, sentAt);
    if (into?.entries === this.perCaller && outcome.kind === 'response' && outcome.data) {
      into.entries.set(into.prefix + key, { json: JSON.stringify(outcome.data), expiresAt: into.expiresAt });
    }
    return outcome;
  }

  /** Forgets everything (a mutation went through this replica or another: what it changed must not be answered from here). */
  clear(): void {
    this.forgotten += 1;
    this.shared.clear();
    this.perCaller.clear();
  }

  private read(entries: LRUCache<string, Entry>, key: string, scope: Kept['scope']): Kept | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    const left = entry.expiresAt - this.now();
    if (left <= 0) {
      entries.delete(key);
      return undefined;
    }
    return { json: entry.json, maxAge: Math.ceil(left / 1000), scope };
  }

  /** Where an answer may be kept and until when (its max-age, and for a private one its caller's token); null: nowhere. */
  private target(outcome: FetchOutcome, caller: CallerScope | null, sentAt: number): { entries: LRUCache<string, Entry>; prefix: string; expiresAt: number } | null {
    if (sentAt !== this.forgotten || outcome.kind !== 'response' || outcome.errors?.length) return null;
    const hint = cacheHint(outcome.cacheControl);
    if (!hint || hint.maxAge < MIN_KEPT_MAX_AGE) return null;
    const now = this.now();
    const expiresAt = now + hint.maxAge * 1000;
    if (hint.isPublic) return { entries: this.shared, prefix: '', expiresAt };
    if (!caller || caller.until <= now) return null;
    return { entries: this.perCaller, prefix: `${caller.identity}\n`, expiresAt: Math.min(expiresAt, caller.until) };
  }
}
