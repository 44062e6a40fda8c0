import { buy, registerCustomer } from './customers.js';
import { gql, startBenchStack, table, writeResult } from './support.js';

const PAGE = `query($first: Int!) { orders(first: $first) { edges { node { orderNumber status total { amount }
  user { email } items { quantity product { name price { amount } stock { available } } } } } } }`;

/**
 * Database round trips per operation (the N+1 guard): a page of orders with items, products,
 * stock and users must cost the same number of subgraph fetches and SQL statements whether it
 * holds 10 or 50 orders.
 */
export async function roundTripsBench() {
  let subgraphFetches = 0;
  const bench = await startBenchStack({ onSubgraphFetch: () => void (subgraphFetches += 1) });
  try {
    const url = bench.stack.routerUrl;
    const customers = await Promise.all(Array.from({ length: 10 }, (_, i) => registerCustomer(url, `rt-${i}@bench.local`)));
    for (let n = 0; n < 50; n++) {
      const items = [0, 1, 2].map((k) => ({ productId: bench.productIds[(n * 3 + k) % bench.productIds.length]!, quantity: 1 }));
      const result = await buy(url, customers[n % customers.length]!, items, `rt-order-${n}`);
      if (!result.orderId) throw new Error(`order failed: ${result.code}`);
    }
    const stats = () =>
      Object.entries(bench.stack.subgraphs).reduce((sum, [, s]) => sum + (s.sqlStats?.queries ?? 0), 0);
    const resetSql = () => Object.values(bench.stack.subgraphs).forEach((s) => s.sqlStats?.reset());
    const productCalls = () => bench.stack.subgraphs.products!.repositoryStats!.calls;
    const rows: Array<Record<string, string | number>> = [];
    // Least of three runs per size: work still finishing from the 50 checkouts (event
    // consumers) can add statements to a window, never remove them.
    const once = async (first: number) => {
      resetSql();
      const productsBefore = productCalls();
      const fetchesBefore = subgraphFetches;
      const data = await gql(url, PAGE, { first }, bench.adminToken);
      if (data.orders.edges.length !== first) throw new Error('short page');
      return { fetches: subgraphFetches - fetchesBefore, sql: stats(), products: productCalls() - productsBefore };
    };
    for (const first of [1, 10, 50]) {
      const runs = [await once(first), await once(first), await once(first)];
      rows.push({
        operation: `admin orders page (${first} orders, ${first * 3} items)`,
        'subgraph fetches': Math.min(...runs.map((r) => r.fetches)),
        'SQL statements': Math.min(...runs.map((r) => r.sql)),
        'product store calls': Math.min(...runs.map((r) => r.products)),
      });
    }
    process.stdout.write('\nRound trips per operation (constant = batched; growing with the page = N+1)\n');
    table(rows);
    return { rows };
  } finally {
    await bench.stop();
  }
}

export const runRoundTripsBench = async () => writeResult('roundtrips', await roundTripsBench());
