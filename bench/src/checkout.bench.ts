import { buy, registerCustomer } from './customers.js';
import { gql, startBenchStack, table, writeResult } from './support.js';

/**
 * Checkout throughput under concurrency with no oversell: `buyers` customers check out in a
 * loop for `seconds`, everyone wanting the same few scarce products. Afterwards every unit is
 * accounted for: reserved == units in accepted orders, available never below zero.
 */
export async function checkoutBench(options: { buyers: number; seconds: number }) {
  const SCARCE = 5;
  const STOCK = 40;
  const bench = await startBenchStack({ stockPerProduct: STOCK });
  try {
    const url = bench.stack.routerUrl;
    const hot = bench.productIds.slice(0, SCARCE);
    const customers = await Promise.all(Array.from({ length: options.buyers }, (_, i) => registerCustomer(url, `buyer-${i}@bench.local`)));
    const sold = new Map(hot.map((id) => [id, 0]));
    const outcomes = { accepted: 0, outOfStock: 0, other: 0 };
    const latencies: number[] = [];
    const end = performance.now() + options.seconds * 1000;
    const started = performance.now();
    await Promise.all(
      customers.map(async (customer, c) => {
        for (let n = 0; performance.now() < end; n++) {
          const productId = hot[(c + n) % hot.length]!;
          const quantity = 1 + ((c + n) % 2);
          const t0 = performance.now();
          const result = await buy(url, customer, [{ productId, quantity }], `bench-${c}-${n}`);
          latencies.push(performance.now() - t0);
          if (result.orderId) {
            outcomes.accepted += 1;
            sold.set(productId, sold.get(productId)! + quantity);
          } else if (result.code === 'CONFLICT') outcomes.outOfStock += 1;
          else outcomes.other += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const rows: Array<Record<string, string | number>> = [];
    let oversold = 0;
    for (const productId of hot) {
      const data = await gql(url, 'query($id: ID!) { product(id: $id) { stock { onHand reserved available } } }', { id: productId });
      const stock = data.product.stock as { onHand: number; reserved: number; available: number };
      const units = sold.get(productId)!;
      if (stock.available < 0 || stock.reserved !== units || units > STOCK) oversold += 1;
      rows.push({ product: productId, 'stock': STOCK, 'units in accepted orders': units, reserved: stock.reserved, available: stock.available });
    }
    latencies.sort((a, b) => a - b);
    const summary = {
      buyers: options.buyers,
      seconds: Math.round(seconds * 10) / 10,
      'checkouts/s': Math.round((outcomes.accepted / seconds) * 10) / 10,
      accepted: outcomes.accepted,
      'refused (out of stock)': outcomes.outOfStock,
      'other errors': outcomes.other,
      'p50 ms (cart + checkout)': Math.round(latencies[Math.floor(latencies.length / 2)] ?? 0),
      'products oversold': oversold,
    };
    process.stdout.write(`\nCheckout under concurrency (${options.buyers} buyers, ${SCARCE} products with ${STOCK} units each)\n`);
    table([summary]);
    table(rows);
    if (oversold > 0 || outcomes.other > 0) throw new Error(`checkout bench found ${oversold} oversold products and ${outcomes.other} unexpected errors`);
    return { summary, products: rows };
  } finally {
    await bench.stop();
  }
}

export const runCheckoutBench = async (buyers: number, seconds: number) =>
  writeResult('checkout', await checkoutBench({ buyers, seconds }));
