import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Logger } from '@shop/subgraph-kit';

export interface UpstreamRetry {
  /** Reconnection attempts after a subgraph's socket drops, before subscribers are told. */
  attempts: number;
  /** First backoff delay; doubles per attempt (with jitter) up to `maxDelayMs`. */
  delayMs: number;
  maxDelayMs: number;
}

export interface UpstreamLease {
  client: Client;
  release(): void;
}

/**
 * graphql-ws connections from the router to subgraphs, one per subgraph and caller (the caller
 * is authenticated per connection, in `connectionParams`), shared by that caller's
 * subscriptions and closed when the last of them ends. A dropped connection is retried with
 * exponential backoff and its subscriptions are re-established by graphql-ws.
 */
export class UpstreamPool {
  private readonly connections = new Map<string, { client: Client; refs: number }>();

  constructor(
    private readonly options: {
      retry: UpstreamRetry;
      logger: Logger;
      onSocket?: (subgraph: string, delta: 1 | -1) => void;
      /** Headers of every socket's upgrade request that prove the router opened it (a fresh service token for the subgraph). */
      credentials?: (subgraph: string) => Promise<Record<string, string>>;
    },
  ) {}

  acquire(subgraph: string, httpUrl: string, authorization: string | undefined): UpstreamLease {
    const key = `${subgraph}\n${httpUrl}\n${authorization ?? ''}`;
    let entry = this.connections.get(key);
    if (!entry) {
      entry = { client: this.connect(subgraph, httpUrl, authorization), refs: 0 };
      this.connections.set(key, entry);
    }
    entry.refs += 1;
    const held = entry;
    let released = false;
    return {
      client: held.client,
      release: () => {
        if (released) return;
        released = true;
        held.refs -= 1;
        if (held.refs === 0 && this.connections.get(key) === held) {
          this.connections.delete(key);
          void held.client.dispose();
        }
      },
    };
  }

  /** Connections held right now (open or reconnecting). */
  get size(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    const clients = [...this.connections.values()].map((entry) => entry.client);
    this.connections.clear();
    await Promise.all(clients.map((client) => client.dispose()));
  }

  private connect(subgraph: string, httpUrl: string, authorization: string | undefined): Client {
    const { retry, logger, onSocket, credentials } = this.options;
    let open = false;
    // graphql-ws awaits `url` before every (re)connection: the moment to take a token that is still valid.
    let headers: Record<string, string> = {};
    const url = webSocketUrlOf(httpUrl);
    return createClient({
      url: async () => {
        headers = credentials ? await credentials(subgraph) : {};
        return url;
      },
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      },
      lazy: true,
      lazyCloseTimeout: 0,
      connectionParams: authorization ? { authorization } : {},
      retryAttempts: retry.attempts,
      // A refused connection (subgraph restarting) is as retryable as a dropped one.
      shouldRetry: () => true,
      retryWait: (retries) => {
        const delay = Math.min(retry.maxDelayMs, retry.delayMs * 2 ** retries);
        return new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
      },
      // Pings reveal a subgraph that vanished without closing the socket.
      keepAlive: 15_000,
      on: {
        opened: () => {
          open = true;
          onSocket?.(subgraph, 1);
        },
        closed: (event) => {
          if (open) {
            open = false;
            onSocket?.(subgraph, -1);
            const code = (event as { code?: number }).code;
            if (code !== 1000) logger.warn('upstream subscription socket closed', { subgraph, code });
          }
        },
      },
    });
  }
}

/** `http://host/graphql` -> `ws://host/graphql` (https -> wss). */
export function webSocketUrlOf(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
