// `npm run bench [router|roundtrips|checkout|subscriptions ...]`: each prints a table and writes
// JSON under bench/results/ (the router bench an SVG chart too); then docs/performance.md is
// written from every result there. `npm run bench -- report` only rewrites that page.
// BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS, BENCH_SOAK_SECONDS, BENCH_HISTORY_CUSTOMERS,
// BENCH_BUYERS and BENCH_SUBSCRIBERS scale the runs; BENCH_RESULTS_DIR sends everything elsewhere.
// BENCH_PEERS (peer names, comma-separated) and BENCH_WORKLOADS (comma-separated parts of workload
// names) run part of the router bench, e.g. one workload against one peer while tuning.
import { runCheckoutBench } from './checkout.bench.js';
import { runRoundTripsBench } from './roundtrips.bench.js';
import { runRouterBench } from './router.bench.js';
import { runSubscriptionsBench } from './subscriptions.bench.js';
import { writePerformanceDoc } from './performanceDoc.js';
import { performanceDocPath, resultsDir } from './support.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const list = (name: string) => (process.env[name] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
const all = ['roundtrips', 'router', 'checkout', 'subscriptions'];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const reportOnly = chosen.length === 1 && chosen[0] === 'report';
const selected = reportOnly ? [] : chosen.length > 0 ? chosen : all;
const unknown = selected.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${all.join(', ')} (or report)\n`);
  process.exit(2);
}
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
// graphql-js and others read it once, when first imported: too late to set it here.
if (process.env.NODE_ENV !== 'production') process.stderr.write('NODE_ENV is not production (`npm run bench` sets it): the figures include development-mode checks\n');
for (const name of selected) {
  let path: string;
  if (name === 'router') {
    path = await runRouterBench({
      peers: list('BENCH_PEERS'),
      workloads: list('BENCH_WORKLOADS'),
      seconds: env('BENCH_SECONDS', 10),
      connections: env('BENCH_CONNECTIONS', 50),
      rounds: env('BENCH_ROUNDS', 3),
      soakSeconds: env('BENCH_SOAK_SECONDS', 120),
      historyCustomers: env('BENCH_HISTORY_CUSTOMERS', 5),
      stacks: (process.env.BENCH_STACKS ?? 'federation,shop').split(',').filter((s): s is 'federation' | 'shop' => s === 'federation' || s === 'shop'),
    });
  }
  else if (name === 'roundtrips') path = await runRoundTripsBench();
  else if (name === 'checkout') path = await runCheckoutBench(env('BENCH_BUYERS', 20), env('BENCH_SECONDS', 10));
  else path = await runSubscriptionsBench(env('BENCH_SUBSCRIBERS', 1000), 5);
  process.stdout.write(`-> ${path}\n`);
}
process.stdout.write(`-> ${writePerformanceDoc(resultsDir, performanceDocPath)}\n`);
process.exit(0);
