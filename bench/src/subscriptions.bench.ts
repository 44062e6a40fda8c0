import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { gql, percentile, startBenchStack, table, writeResult } from './support.js';

/**
 * Subscription fan-out: `subscribers` WebSocket clients subscribe to one product's
 * stockChanged (with its name from products) through the router; one stock update must reach
 * all of them. Reports the connections held, delivery latency percentiles and memory.
 */
export async function subscriptionsBench(options: { subscribers: number; rounds: number }) {
  const bench = await startBenchStack();
  const clients: Client[] = [];
  try {
    const productId = bench.productIds[0]!;
    const wsUrl = bench.stack.routerUrl.replace(/^http/, 'ws');
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const received: number[][] = Array.from({ length: options.rounds }, () => []);
    let round = -1;
    let sentAt = 0;
    let ready = 0;
    for (let i = 0; i < options.subscribers; i++) {
      const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
      clients.push(client);
      client.subscribe(
        { query: 'subscription($ids: [ID!]) { stockChanged(productIds: $ids) { id name stock { available } } }', variables: { ids: [productId] } },
        {
          next: () => {
            if (round >= 0) received[round]!.push(performance.now() - sentAt);
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
    }
    // Held once the router has every client socket and the upstream subscription is open.
    const deadline = Date.now() + 60_000;
    let stats = bench.stack.router.subscriptionStats();
    while (Date.now() < deadline) {
      stats = bench.stack.router.subscriptionStats();
      ready = stats.clientSockets;
      if (ready >= options.subscribers && stats.upstreamSubscriptions > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Identical subscriptions of one caller share one upstream; give them time to attach.
    await new Promise((resolve) => setTimeout(resolve, 500));
    global.gc?.();
    const heapHeld = process.memoryUsage().heapUsed;
    const rows: Array<Record<string, string | number>> = [];
    for (let r = 0; r < options.rounds; r++) {
      round = r;
      sentAt = performance.now();
      await gql(bench.stack.routerUrl, 'mutation($id: ID!, $q: Int!) { setStock(productId: $id, quantity: $q) { id } }', { id: productId, q: 500 + r }, bench.adminToken);
      const until = Date.now() + 10_000;
      while (received[r]!.length < options.subscribers && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
      const latencies = [...received[r]!].sort((a, b) => a - b);
      rows.push({
        round: r + 1,
        subscribers: options.subscribers,
        delivered: latencies.length,
        'p50 ms': Math.round(percentile(latencies, 50)),
        'p99 ms': Math.round(percentile(latencies, 99)),
        'last ms': Math.round(latencies[latencies.length - 1] ?? 0),
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const summary = {
      subscribers: options.subscribers,
      'client sockets held': ready,
      'upstream subscriptions': stats.upstreamSubscriptions,
      'JS heap growth (MiB, router + clients, after GC)': Math.round(((heapHeld - heapBefore) / 1048576) * 10) / 10,
    };
    process.stdout.write(`\nSubscription fan-out (${options.subscribers} WebSocket clients, one stock update per round)\n`);
    table([summary]);
    table(rows);
    return { summary, rounds: rows };
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await bench.stop();
  }
}

export const runSubscriptionsBench = async (subscribers: number, rounds: number) =>
  writeResult('subscriptions', await subscriptionsBench({ subscribers, rounds }));
