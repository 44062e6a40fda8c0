import type { JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';

/** What a full verification proved, and the window (ms since the epoch) in which it holds. */
export interface Verified<T> {
  value: T;
  /** Not valid before (a token issued in the future is refused). */
  from: number;
  /** Not valid from then on: its `exp`, or an earlier limit of the verifier's. */
  until: number;
}

interface Entry<T> extends Verified<T> {
  /** The key that checked the signature, and what it was looked up by. */
  key: unknown;
  header: Parameters<JWTVerifyGetKey>[0];
  input: Parameters<JWTVerifyGetKey>[1];
}

/** How many verified tokens a verifier keeps (each a few hundred bytes). */
const MAX_TOKENS = 10_000;

/**
 * Verifies tokens once and keeps what they proved, by the token's text: every subgraph call a
 * router request makes carries the same router token and user token, and an EdDSA check each
 * time was a tenth of a subgraph's busy time on a page of orders. A kept answer is used only
 * inside its window on the verifier's clock (never past `exp`) and only while the key set
 * still gives the same key for the token (a key taken out of the set, or a set fetched anew,
 * sends the token through the full check again). Refusals are not kept.
 */
export function verifiedTokens<T>(
  keys: JWTVerifyGetKey,
  now: () => number,
  verify: (token: string, keys: JWTVerifyGetKey) => Promise<Verified<T>>,
): (token: string) => Promise<T> {
  const cache = new LRUCache<string, Entry<T>>({ max: MAX_TOKENS });
  return async (token) => {
    const entry = cache.get(token);
    if (entry) {
      const time = now();
      if (entry.from <= time && time < entry.until && (await keyNow(keys, entry)) === entry.key) return entry.value;
      cache.delete(token);
    }
    let used: Pick<Entry<T>, 'key' | 'header' | 'input'> | undefined;
    const recording: JWTVerifyGetKey = async (header, input) => {
      const key = await keys(header, input);
      used = { key, header, input };
      return key;
    };
    const verified = await verify(token, recording);
    if (used) cache.set(token, { ...verified, ...used });
    return verified.value;
  };
}

/** The key the set gives for the token now; undefined when it gives none (the kid is gone). */
async function keyNow(keys: JWTVerifyGetKey, entry: Entry<unknown>): Promise<unknown> {
  try {
    return await keys(entry.header, entry.input);
  } catch {
    return undefined;
  }
}
