import type { Caller } from '@shop/subgraph-kit';
import type { IdempotencyScope } from './idempotency.js';

/** What the router knows about one client request and passes on to subgraph fetches. */
export interface RouterContext {
  /** Forwarded as it came: subgraphs verify it again and enforce ownership and roles. */
  authorization?: string;
  /** The verified caller (null: anonymous), known before planning. */
  caller?: Caller | null;
  /**
   * When the verified caller's access token expires (ms, its `exp`); set only where the router
   * verified the token for this request. Nothing private is answered from the router's cache past it.
   */
  tokenExpiresAt?: number;
  requestId: string;
  /** The client address, passed on as `x-forwarded-for`. */
  clientIp: string;
  /** A mutation's `Idempotency-Key` and whose it is; the key is passed on to subgraphs. */
  idempotency?: IdempotencyScope;
}
