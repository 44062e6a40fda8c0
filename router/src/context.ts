import type { Caller } from '@shop/subgraph-kit';

/** What the router knows about one client request and passes on to subgraph fetches. */
export interface RouterContext {
  /** Forwarded as it came: subgraphs verify it again and enforce ownership and roles. */
  authorization?: string;
  /** The verified caller (null: anonymous), known before planning. */
  caller?: Caller | null;
  requestId: string;
  /** The client address, passed on as `x-forwarded-for`. */
  clientIp: string;
}
