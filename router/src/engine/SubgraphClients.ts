import type { CircuitBreakerOptions, CircuitState } from './CircuitBreaker.js';
import { SubgraphClient, type SubgraphFetchEvent } from './SubgraphClient.js';

export interface SubgraphClientsOptions {
  /** Per-fetch deadline, by subgraph name (`default` for the rest). */
  timeoutMs: (subgraph: string) => number;
  breaker: CircuitBreakerOptions;
  connections: number;
  onFetch?: (event: SubgraphFetchEvent) => void;
  onCircuit?: (subgraph: string, state: CircuitState) => void;
  /** The router's credentials for one subgraph (its service-token header), added to every fetch. */
  credentials?: (subgraph: string) => Promise<Record<string, string>>;
  /** Answers kept per subgraph (see EntityCache): public entities, and as many private answers; 0 keeps none. */
  entityCacheEntries?: number;
  now?: () => number;
}

/**
 * The router's HTTP clients to subgraphs, one per subgraph name and URL. They outlive supergraph
 * reloads, so keep-alive connections and circuit state carry over when a subgraph stays where
 * it was.
 */
export class SubgraphClients {
  private readonly clients = new Map<string, SubgraphClient>();
  private forgotten = 0;

  constructor(private readonly options: SubgraphClientsOptions) {}

  /** The clients for a supergraph's subgraphs, by name. */
  forSubgraphs(endpoints: ReadonlyArray<{ name: string; url: string }>): Map<string, SubgraphClient> {
    const byName = new Map<string, SubgraphClient>();
    for (const { name, url } of endpoints) {
      const key = `${name}\n${url}`;
      let client = this.clients.get(key);
      if (!client) {
        client = new SubgraphClient(name, url, { ...this.options, timeoutMs: this.options.timeoutMs(name) });
        this.clients.set(key, client);
      }
      byName.set(name, client);
    }
    return byName;
  }

  /**
   * Forgets every answer kept for any subgraph, of this supergraph or an earlier one, and every
   * call in flight a later query could share (see `SubgraphClient.forgetKept`).
   */
  forgetKept(): void {
    this.forgotten += 1;
    for (const client of this.clients.values()) client.forgetKept();
  }

  /** How many times `forgetKept` ran: an answer still being computed from an earlier count is not one to share (the fast path's merging). */
  get generation(): number {
    return this.forgotten;
  }

  /** Each subgraph's circuit: `closed` (healthy), `open` (failing fast) or `half-open` (probing). */
  circuits(): Record<string, CircuitState> {
    return Object.fromEntries([...this.clients.values()].map((client) => [client.name, client.breaker.state]));
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.close()));
  }
}
