/** What the router knows about one client request and passes on to subgraph fetches. */
export interface RouterContext {
  authorization?: string;
  requestId: string;
  /** The client address, passed on as `x-forwarded-for`. */
  clientIp: string;
}
