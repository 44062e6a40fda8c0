import { createHash } from 'node:crypto';
import { rateLimited } from '@shop/errors';
import type { RateLimiter, RateLimits } from '@shop/subgraph-kit';

export interface LoginRateLimit {
  /** Wrong passwords allowed per account (email) within one window. */
  maxFailuresPerEmail: number;
  /** Password attempts, right or wrong, allowed per client address within one window. */
  maxAttemptsPerIp: number;
  /** Length of a window, counted from a key's first attempt in it. */
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
 * Two rate-limiter-flexible limits (Redis through `limits`, so every replica shares them). The
 * failure is counted before the password is checked, not after: the atomic increment then
 * decides, and a burst of simultaneous guesses cannot slip past the limit while the first ones
 * are still being verified. A key's window starts with its first attempt.
 */
export function createLoginThrottle(limits: RateLimits, settings: LoginRateLimit): LoginThrottle {
  const perIp = limits.limiter({ name: 'login-attempts:ip', points: settings.maxAttemptsPerIp, durationSeconds: settings.windowSeconds });
  const perEmail = limits.limiter({ name: 'login-failures:email', points: settings.maxFailuresPerEmail, durationSeconds: settings.windowSeconds });
  // Hashed: no email addresses in the store, and a bounded key whatever was typed.
  const emailKey = (email: string) => createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex');
  const count = async (limiter: RateLimiter, key: string) => {
    const decision = await limiter.consume(key);
    if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
  };

  return {
    async admit(clientIp, email) {
      await count(perIp, clientIp);
      await count(perEmail, emailKey(email));
    },
    async succeeded(email) {
      await perEmail.reset(emailKey(email));
    },
  };
}
