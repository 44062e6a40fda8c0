import { createServer, type Server } from 'node:http';
import { sendJson, type Logger } from '@shop/subgraph-kit';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type RejectReason =
  | 'bad_request'
  | 'body_too_large'
  | 'unauthenticated'
  | 'rate_limited'
  | 'too_complex'
  | 'not_in_list'
  | 'persisted_query_not_found'
  | 'unavailable';

export interface RouterMetrics {
  readonly registry: Registry;
  /** One GraphQL operation answered (HTTP or WebSocket query/mutation). */
  operation(name: string | null, seconds: number, ok: boolean): void;
  rejected(reason: RejectReason): void;
  subgraphFetch(subgraph: string, seconds: number, ok: boolean): void;
  clientSockets(delta: number): void;
  upstreamSockets(subgraph: string, delta: number): void;
  subscriptions(delta: number): void;
}

// Client-chosen operation names become label values: past this many distinct ones, the rest
// share one label so a client cannot grow the metric set without bound.
const MAX_OPERATION_LABELS = 300;
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Prometheus metrics of one router, on a registry of its own (several routers may share a process in tests). */
export function createRouterMetrics(options: { processMetrics?: boolean } = {}): RouterMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'router_operations_total',
    help: 'GraphQL operations answered, by operation name and outcome (ok: no errors)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'router_operation_duration_seconds',
    help: 'Time to answer a GraphQL operation, by operation name',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'router_requests_rejected_total',
    help: 'Requests refused before execution, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const fetchLatency = new Histogram({
    name: 'router_subgraph_fetch_duration_seconds',
    help: 'Time of one fetch from a subgraph, by subgraph',
    labelNames: ['subgraph'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const fetchErrors = new Counter({
    name: 'router_subgraph_fetch_errors_total',
    help: 'Subgraph fetches that failed or answered with errors, by subgraph',
    labelNames: ['subgraph'] as const,
    registers: [registry],
  });
  const sockets = new Gauge({
    name: 'router_websocket_connections',
    help: 'Open client WebSocket connections',
    registers: [registry],
  });
  const upstream = new Gauge({
    name: 'router_upstream_websockets',
    help: 'Open WebSocket connections from the router to subgraphs, by subgraph',
    labelNames: ['subgraph'] as const,
    registers: [registry],
  });
  const activeSubscriptions = new Gauge({
    name: 'router_subscriptions_active',
    help: 'Client subscriptions being served',
    registers: [registry],
  });
  const names = new Set<string>();
  const labelOf = (name: string | null): string => {
    if (name === null) return 'anonymous';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_LABELS) return 'other';
    names.add(name);
    return name;
  };

  return {
    registry,
    operation(name, seconds, ok) {
      const operation = labelOf(name);
      requests.inc({ operation, outcome: ok ? 'ok' : 'error' });
      latency.observe({ operation }, seconds);
    },
    rejected: (reason) => rejected.inc({ reason }),
    subgraphFetch(subgraph, seconds, ok) {
      fetchLatency.observe({ subgraph }, seconds);
      if (!ok) fetchErrors.inc({ subgraph });
    },
    clientSockets: (delta) => sockets.inc(delta),
    upstreamSockets: (subgraph, delta) => upstream.inc({ subgraph }, delta),
    subscriptions: (delta) => activeSubscriptions.inc(delta),
  };
}

/** `/metrics` on a port of its own (METRICS_PORT), so the public endpoint never shows it. */
export function createMetricsServer(registries: Registry[], logger: Logger): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics') return void sendJson(res, 404, { error: 'not found' });
    // Merged at each scrape: the bus registers metrics as consumers start.
    const registry = registries.length === 1 ? registries[0]! : Registry.merge(registries);
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => {
        logger.error('metrics failed', { error });
        if (!res.headersSent) sendJson(res, 500, { error: 'metrics failed' });
      },
    );
  });
}
