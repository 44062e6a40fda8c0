import { randomBytes } from 'node:crypto';
import type { KeyValueStore } from '@shop/kv';
import { isCartId } from './ids.js';
import type { Cart } from './model.js';

// Held only for a read and a write (a merge holds the guest cart's a little longer), so a few
// seconds is ample; if a holder dies, the cart unlocks on its own after this long.
const LOCK_TTL_MS = 5_000;
// A holder stops writing this long before its lock could expire, so clocks and slow round
// trips never let two writers in at once.
const LOCK_SAFETY_MS = 1_000;

const cartKey = (id: string) => `cart:${id}`;
const userCartKey = (userId: string) => `user-cart:${userId}`;
const lockKey = (id: string) => `cart-lock:${id}`;

/** A held per-cart lock. */
export interface CartLock {
  readonly cartId: string;
  /** False once the lock is close to expiring: then nothing may be written under it. */
  isHeld(): boolean;
  release(): Promise<void>;
}

/** Why a compare-and-set did not write: the cart changed meanwhile, or another writer holds it. */
export type WriteRefusal = 'stale' | 'busy';

export type SaveResult = { saved: Cart } | { refused: WriteRefusal };

/**
 * The only file touching the store. The KeyValueStore has no transactions, so writes are
 * compare-and-set: under a short per-cart lock (`setIfAbsent` with a TTL) the stored version is
 * read and the new document written only if nobody wrote in between. Callers retry on refusal.
 */
export interface CartRepository {
  /** One round trip for all ids; one result per id, in order, null for a missing or malformed id. */
  findByIds(ids: readonly string[]): Promise<(Cart | null)[]>;
  findUserCartId(userId: string): Promise<string | null>;
  /** Makes `cartId` the user's cart unless they have one already; resolves to the user's cart id. */
  claimUserCart(userId: string, cartId: string): Promise<string>;
  /** Takes the cart's lock, or null when someone else holds it. */
  lock(cartId: string): Promise<CartLock | null>;
  /**
   * Stores `cart` as version `cart.version + 1` if the stored version is still `cart.version`
   * (0: not stored yet), and (re)starts its TTL and its owner's pointer's. Pass `lock` when
   * already holding this cart's lock.
   */
  save(cart: Cart, lock?: CartLock): Promise<SaveResult>;
  /** Deletes the cart if the stored version is still `cart.version`. */
  remove(cart: Cart, lock?: CartLock): Promise<{ removed: true } | { refused: WriteRefusal }>;
  /** Restarts the TTL of a cart (and of its owner's pointer to it) without changing it. */
  touch(cart: Cart): Promise<void>;
  /** Deletes the user's cart and their pointer to it (an account deletion). */
  forgetUser(userId: string): Promise<void>;
  ping(): Promise<void>;
}

export function createCartRepository(kv: KeyValueStore, options: { ttlSeconds: number }): CartRepository {
  const { ttlSeconds } = options;

  async function lock(cartId: string): Promise<CartLock | null> {
    const token = randomBytes(12).toString('base64url');
    if (!(await kv.setIfAbsent(lockKey(cartId), token, { ttlSeconds: LOCK_TTL_MS / 1000 }))) return null;
    const acquiredAt = Date.now();
    const isHeld = () => Date.now() - acquiredAt < LOCK_TTL_MS - LOCK_SAFETY_MS;
    return {
      cartId,
      isHeld,
      async release() {
        // Without a compare-and-delete in the store this check and the delete are two steps;
        // `isHeld` keeps the gap far from the lock's expiry, after which someone else may own it.
        if (isHeld() && (await kv.get(lockKey(cartId))) === token) await kv.del(lockKey(cartId));
      },
    };
  }

  /** Runs `write` under the cart's lock (taken here unless `held` is it). */
  async function underLock<T>(cartId: string, held: CartLock | undefined, write: (lock: CartLock) => Promise<T>): Promise<T | 'busy'> {
    if (held) {
      if (held.cartId !== cartId) throw new Error(`holding the lock of cart ${held.cartId}, not ${cartId}`);
      return write(held);
    }
    const taken = await lock(cartId);
    if (!taken) return 'busy';
    try {
      return await write(taken);
    } finally {
      await taken.release();
    }
  }

  async function storedVersion(cartId: string): Promise<number> {
    const raw = await kv.get(cartKey(cartId));
    return raw === null ? 0 : parseCart(raw).version;
  }

  async function keepUserPointer(userId: string, cartId: string): Promise<void> {
    if (!(await kv.expire(userCartKey(userId), ttlSeconds))) {
      await kv.setIfAbsent(userCartKey(userId), cartId, { ttlSeconds });
    }
  }

  return {
    async findByIds(ids) {
      const wellFormed = ids.filter(isCartId);
      const raws = await kv.getMany(wellFormed.map(cartKey));
      const byId = new Map(wellFormed.map((id, i) => [id, raws[i] ?? null]));
      return ids.map((id) => {
        const raw = byId.get(id);
        return raw ? parseCart(raw) : null;
      });
    },

    findUserCartId: (userId) => kv.get(userCartKey(userId)),

    async claimUserCart(userId, cartId) {
      for (;;) {
        if (await kv.setIfAbsent(userCartKey(userId), cartId, { ttlSeconds })) return cartId;
        const winner = await kv.get(userCartKey(userId));
        // Null: the pointer expired between the two calls, so claim again.
        if (winner !== null) return winner;
      }
    },

    lock,

    async save(cart, held) {
      const result = await underLock(cart.id, held, async (taken): Promise<SaveResult> => {
        if ((await storedVersion(cart.id)) !== cart.version) return { refused: 'stale' };
        if (!taken.isHeld()) return { refused: 'busy' };
        const saved: Cart = { ...cart, version: cart.version + 1 };
        await kv.set(cartKey(cart.id), JSON.stringify(saved), { ttlSeconds });
        return { saved };
      });
      if (result === 'busy') return { refused: 'busy' };
      if ('saved' in result && result.saved.userId !== null) await keepUserPointer(result.saved.userId, result.saved.id);
      return result;
    },

    async remove(cart, held) {
      const result = await underLock(cart.id, held, async (taken): Promise<{ removed: true } | { refused: WriteRefusal }> => {
        if ((await storedVersion(cart.id)) !== cart.version) return { refused: 'stale' };
        if (!taken.isHeld()) return { refused: 'busy' };
        await kv.del(cartKey(cart.id));
        return { removed: true };
      });
      return result === 'busy' ? { refused: 'busy' } : result;
    },

    async touch(cart) {
      await kv.expire(cartKey(cart.id), ttlSeconds);
      if (cart.userId !== null) await keepUserPointer(cart.userId, cart.id);
    },

    async forgetUser(userId) {
      const cartId = await kv.get(userCartKey(userId));
      await kv.del(userCartKey(userId), ...(cartId && isCartId(cartId) ? [cartKey(cartId)] : []));
    },
    ping: () => kv.ping(),
  };
}

function parseCart(raw: string): Cart {
  const cart = JSON.parse(raw) as Cart;
  if (typeof cart.id !== 'string' || !Array.isArray(cart.lines) || typeof cart.version !== 'number') {
    throw new Error('stored cart document has an unexpected shape');
  }
  return cart;
}
