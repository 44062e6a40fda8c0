import { createHash } from 'node:crypto';
import { rateLimited } from '@shop/errors';
import type { KeyValueStore } from '@shop/kv';

export interface LoginRateLimit {
  /** Wrong passwords allowed per account (email) within one window. */
  maxFailuresPerEmail: number;
  /** Password attempts, right or wrong, allowed per client address within one window. */
  maxAttemptsPerIp: number;
  /** Length of a fixed window, counted from the first attempt in it. */
  windowSeconds: number;
}

export const DEFAULT_LOGIN_RATE_LIMIT: Readonly<LoginRateLimit> = {
  maxFailuresPerEmail: 5,
  maxAttemptsPerIp: 20,
  windowSeconds: 15 * 60,
};

export interface LoginThrottle {
  /**
   * Call before any password is verified. Counts an attempt for the client address and, in
   * advance, a failure for the account; throws RATE_LIMITED (with `retryAfter`) when either is
   * over its limit, so a blocked guess costs no database lookup and no argon2 work.
   */
  admit(clientIp: string, email: string): Promise<void>;
  /** The password was right: the account's failures are forgotten. */
  succeeded(email: string): Promise<void>;
}

/**
 * Fixed-window counters in the key-value store (Redis, so every replica shares them). The
 * failure is counted before the password is checked, not after: the atomic increment then
 * decides, and a burst of simultaneous guesses cannot slip past the limit while the first
 * ones are still being verified.
 */
export function createLoginThrottle(kv: KeyValueStore, limits: LoginRateLimit): LoginThrottle {
  const ipKey = (clientIp: string) => `login-attempts:ip:${clientIp}`;
  // Hashed: no email addresses in the store, and a bounded key whatever was typed.
  const emailKey = (email: string) =>
    `login-failures:email:${createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex')}`;

  async function count(key: string, limit: number): Promise<void> {
    const attempts = await kv.incr(key, { ttlSeconds: limits.windowSeconds });
    if (attempts > limit) throw rateLimited(Math.max(1, (await kv.ttl(key)) ?? limits.windowSeconds));
  }

  return {
    async admit(clientIp, email) {
      await count(ipKey(clientIp), limits.maxAttemptsPerIp);
      await count(emailKey(email), limits.maxFailuresPerEmail);
    },
    async succeeded(email) {
      await kv.del(emailKey(email));
    },
  };
}
