import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { ExecutionResult } from 'graphql';
import type { EventBus } from '@shop/events';
import { traceRequest } from '@shop/telemetry';
import { createMemoryStore, type KeyValueStore } from '@shop/kv';
import {
  apolloLogger,
  listenOn,
  SERVICE_KEYS_PATH,
  sendGraphQLError,
  sendJson,
  type AccessTokenVerifier,
  type KeyRing,
  type KeySource,
  type ListenTarget,
  type Logger,
} from '@shop/subgraph-kit';
import { createCallerVerifier } from './auth.js';
import { startDenyList } from './revocations.js';
import { replicaKeptAnswers } from './replicaKeptAnswers.js';
import { createClientLimits } from './clientLimits.js';
import { systemClock, type Clock } from './clock.js';
import { DEFAULT_LIMITS, DEFAULT_SUBGRAPH_TIMEOUT_MS, type OperationLimits } from './config.js';
import type { RouterContext } from './context.js';
import type { CircuitBreakerOptions } from './engine/CircuitBreaker.js';
import { servedSchema, withEngineExecutor } from './engine/engineGateway.js';
import { createFastPath } from './engine/fastPath.js';
import { SubgraphClients } from './engine/SubgraphClients.js';
import type { SubgraphFetchEvent } from './engine/SubgraphClient.js';
import { FederatedSubscriptions } from './FederatedSubscriptions.js';
import { createEventsAdmin, EVENTS_ADMIN_PREFIX } from './eventsAdmin.js';
import { createRouterErrorFormatter } from './formatError.js';
import { createHealthRoutes } from './healthRoutes.js';
import { createAnswerCompression } from './compression.js';
import { createCors, type CorsOrigins } from './cors.js';
import { createHttpGraphQLHandler } from './httpGraphQL.js';
import { createIdempotency } from './idempotency.js';
import { createOperationAnalyzer } from './limits.js';
import { createMetricsServer, createRouterMetrics } from './metrics.js';
import { createPersistedQueries } from './persistedQueries.js';
import type { TrustProxy } from './request.js';
import { createRouterServiceIdentity } from './serviceIdentity.js';
import { subgraphsOf, watchSupergraphFile, type SubgraphEndpoint } from './supergraph.js';
import { SupergraphRuntime } from './SupergraphRuntime.js';
import { UpstreamPool, type UpstreamRetry } from './UpstreamPool.js';
import { serveRouterWebSocket } from './webSocket.js';

export interface RouterOptions {
  supergraphSdl: string;
  logger: Logger;
  /** Replaces the URL the supergraph names for a subgraph (e.g. container host names). */
  subgraphUrls?: Record<string, string>;
  introspection?: boolean;
  /** Same as `limits.bodyLimitBytes` (kept for existing callers). */
  bodyLimitBytes?: number;
  /** Depth, alias, cost, batch and body limits; each defaults to DEFAULT_LIMITS. */
  limits?: Partial<OperationLimits>;
  /** Called after every subgraph fetch: metrics, and tests that count round trips. */
  onSubgraphFetch?: (event: SubgraphFetchEvent) => void;
  /**
   * Verifies bearer tokens before planning and refuses bad ones with UNAUTHENTICATED: the users
   * subgraph's JWK Set URL (JWKS_URL), a set in hand, or a verifier. The same keys are published
   * at /.well-known/jwks.json. Without it the router only forwards tokens; subgraphs verify in any case.
   */
  accessTokens?: KeySource | AccessTokenVerifier;
  /**
   * The router's own key (SERVICE_PRIVATE_KEY): every subgraph fetch and subscription socket
   * carries a token signed with it for that subgraph alone, and subgraphs serve nobody else.
   */
  serviceKey: KeyRing;
  /** The services that may call on the internal path, with their scopes (default ROUTER_SERVICE_CALLERS). */
  serviceCallers?: Readonly<Record<string, readonly string[]>>;
  /** The router's store (APQ cache, idempotent mutations, the replicas' `mutations` channel): Redis to share it between replicas. Default: in-process. */
  kv?: KeyValueStore;
  /** Redis for the rate limits, shared by every replica (an in-memory limit per process while it fails). Default: in-process. */
  redisUrl?: string | undefined;
  /** API keys held to the partner manifest. */
  partnerApiKeys?: readonly string[];
  /** The partner manifest's operations, id -> body (see readPersistedQueryManifest). */
  partnerManifest?: ReadonlyMap<string, string>;
  /** Requests per minute per client IP / partner key; 0 or unset: not limited. */
  rateLimitPerMinute?: number;
  /** Partner cost quotas (default DEFAULT_PARTNER_COST), in Redis when `redisUrl` is set. */
  partnerCost?: { budget: number; restoreRate: number };
  /** Take the client address from `x-forwarded-for` (only behind a trusted proxy). */
  trustProxy?: TrustProxy;
  /** Web origins whose pages may call /graphql (CORS_ORIGINS); default none. */
  corsOrigins?: CorsOrigins;
  /** Reload the supergraph whenever this file changes. */
  watchSupergraphPath?: string;
  /** Reconnection of subscription sockets to subgraphs. */
  subscriptionRetry?: Partial<UpstreamRetry>;
  /**
   * Unread events a WebSocket subscriber may have waiting (default 1000, DEFAULT_SUBSCRIPTION_BUFFER):
   * one further behind receives what is waiting, then the error SUBSCRIPTION_OVERFLOW, and resubscribes.
   */
  subscriptionBuffer?: number;
  /**
   * Serve `/metrics` on a listener of its own at this port (0: any free one), never on the public
   * port: Prometheus scrapes it from inside the network, clients cannot read it. Unset: no /metrics.
   */
  metricsPort?: number;
  /** Also export Node process metrics (CPU, memory, event loop) on /metrics. */
  processMetrics?: boolean;
  /** Time for access-token expiry of WebSocket connections (tests move a manual clock). */
  clock?: Clock;
  /** Deadline of one subgraph fetch (default 5 s); `subgraphTimeouts` overrides it per subgraph. */
  subgraphTimeoutMs?: number;
  subgraphTimeouts?: Record<string, number>;
  /** When a failing subgraph is cut off and probed again (and the clock, for tests). */
  circuitBreaker?: Partial<CircuitBreakerOptions>;
  /** Keep-alive connections per subgraph (default 32). */
  subgraphConnections?: number;
  /**
   * Entity answers a subgraph calls public (`cache-control: max-age=N, public`) kept for their
   * max-age on `clock`, per subgraph (default 10 000; 0 keeps none), and as many private answers
   * kept for their verified caller alone (see EntityCache). Queries read them; a mutation through
   * the router forgets them all, on every replica sharing its store (`kv`: Redis).
   */
  entityCacheEntries?: number;
  /**
   * Answer valid operations straight from the engine (default). False sends every request
   * through Apollo Server's pipeline, with the same engine (tests compare the two).
   */
  hotPath?: boolean;
  /**
   * The event bus (not closed by the router): its lag, retry and dead-letter metrics join
   * /metrics, and admins list and replay its dead letters under /admin/events/.
   */
  events?: EventBus;
  /** The supervisor's latest report (`npm start -- --processes`): every process's state and restarts, on /health. */
  processes?: () => Record<string, unknown> | undefined;
}

export interface Router {
  listen(target: ListenTarget, host?: string): Promise<{ url: string; port: number }>;
  /** Readiness false from now on (`/health/ready` 503), while requests are still served. */
  drain(): void;
  stop(): Promise<void>;
  /** Swaps in a new supergraph; requests in flight finish on the old one. Throws if it is invalid. */
  reload(supergraphSdl: string): void;
  /** The subgraphs of the supergraph being served. */
  readonly subgraphs: SubgraphEndpoint[];
  /** Upstream subscriptions open right now (after deduplication), and their sockets. */
  subscriptionStats(): { upstreamSubscriptions: number; upstreamConnections: number; clientSockets: number };
  /** Where `/metrics` is served once listening (its own port, `metricsPort`); null without one. */
  readonly metricsUrl: string | null;
}

const DEFAULT_RETRY: UpstreamRetry = { attempts: 8, delayMs: 250, maxDelayMs: 10_000 };
export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerOptions = { failureThreshold: 5, openMs: 10_000 };

export function createRouter(options: RouterOptions): Router {
  // @apollo/gateway reports usage to Apollo unless this is set; nothing here phones home.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const { logger } = options;
  const limits: OperationLimits = {
    ...DEFAULT_LIMITS,
    ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    ...options.limits,
  };
  const introspection = options.introspection ?? true;
  const urlOverrides = options.subgraphUrls ?? {};
  const metrics = createRouterMetrics({ processMetrics: options.processMetrics });
  const onFetch = (event: SubgraphFetchEvent) => {
    metrics.subgraphFetch(event.service, event.durationMs / 1000, event.ok);
    options.onSubgraphFetch?.(event);
  };
  const kv = options.kv ?? createMemoryStore();
  const formatError = createRouterErrorFormatter(logger);

  const clock = options.clock ?? systemClock;
  const identity = createRouterServiceIdentity({
    key: options.serviceKey,
    subgraphs: () => runtime?.subgraphs ?? initialSubgraphs,
    logger,
    ...(options.serviceCallers ? { callers: options.serviceCallers } : {}),
  });
  const clients = new SubgraphClients({
    credentials: (subgraph) => identity.credentials.headers(subgraph),
    timeoutMs: (name) => options.subgraphTimeouts?.[name] ?? options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS,
    breaker: { ...DEFAULT_CIRCUIT_BREAKER, now: clock.now, ...options.circuitBreaker },
    connections: options.subgraphConnections ?? 32,
    entityCacheEntries: options.entityCacheEntries ?? 10_000,
    now: clock.now,
    onFetch,
    onCircuit: (subgraph, state) => logger.warn('subgraph circuit', { subgraph, state }),
  });

  const kept = replicaKeptAnswers({ kv, clients, clock, logger });

  // Set when the gateway has loaded a supergraph, replaced on every reload.
  let runtime: SupergraphRuntime | null = null;
  const runtimes = new WeakMap<object, SupergraphRuntime>();
  const initialSubgraphs = subgraphsOf(options.supergraphSdl).map((s) => ({ name: s.name, url: urlOverrides[s.name] ?? s.url }));
  const currentRuntime = (): SupergraphRuntime => {
    if (!runtime) throw new Error('The supergraph is not loaded yet');
    return runtime;
  };
  let update: ((supergraphSdl: string) => void) | null = null;
  const gateway = new ApolloGateway({
    supergraphSdl: async (hooks) => {
      update = hooks.update;
      return { supergraphSdl: options.supergraphSdl };
    },
    logger: apolloLogger(logger, { infoAs: 'debug' }),
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    runtime = new SupergraphRuntime(coreSupergraphSdl, servedSchema(apiSchema), urlOverrides, clients, kept);
    runtimes.set(runtime.apiSchema, runtime);
  });

  const httpServer = createServer();
  const apollo = new ApolloServer<RouterContext>({
    gateway: withEngineExecutor(gateway as never, (apiSchema) => runtimes.get(apiSchema) ?? currentRuntime()),
    introspection,
    // main.ts (serveUntilSignal) or the launcher drains on signals; Apollo must not race it.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    // The router resolves persisted queries itself (before limits are checked).
    persistedQueries: false,
    formatError,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
    logger: apolloLogger(logger, { infoAs: 'debug' }),
  });

  const revocations = options.accessTokens ? startDenyList({ kv, bus: options.events, logger, clock }) : undefined;
  const verifier = options.accessTokens ? createCallerVerifier(options.accessTokens, { revocations, logger }) : null;
  const partnerApiKeys = new Set(options.partnerApiKeys ?? []);
  const analyzer = createOperationAnalyzer(limits, { listSizes: () => runtime?.listSizes ?? null });
  const persisted = createPersistedQueries({
    kv,
    manifest: options.partnerManifest ?? new Map(),
    onStoreError: (error) => logger.warn('APQ store failed; serving without it', { error: (error as Error).message }),
  });
  const clientLimits = createClientLimits({ redisUrl: options.redisUrl, perMinute: options.rateLimitPerMinute, partnerCost: options.partnerCost, clock, logger });
  const { rateLimiter } = clientLimits;
  const pool = new UpstreamPool({
    retry: { ...DEFAULT_RETRY, ...options.subscriptionRetry },
    logger,
    onSocket: (subgraph, delta) => metrics.upstreamSockets(subgraph, delta),
    credentials: (subgraph) => identity.credentials.headers(subgraph),
  });
  const subscriptions = new FederatedSubscriptions({
    pool,
    logger,
    onActive: (delta) => metrics.subscriptions(delta),
    ...(options.subscriptionBuffer !== undefined ? { maxBuffered: options.subscriptionBuffer } : {}),
  });

  const cors = createCors(options.corsOrigins ?? []);
  const compress = createAnswerCompression();
  const handleGraphQL = createHttpGraphQLHandler({
    apollo,
    logger,
    metrics,
    limits,
    analyzer,
    persisted,
    rateLimiter,
    verifier,
    serviceOf: identity.serviceOf,
    partnerApiKeys,
    partnerQuota: clientLimits.partnerQuota,
    trustProxy: options.trustProxy ?? false,
    validate: (query, document) => currentRuntime().validate(query, document, introspection),
    // In the same store as the APQ cache: Redis in production, so every replica sees every key.
    idempotency: createIdempotency({ kv, logger }),
    ...(options.hotPath === false ? {} : { fastPath: createFastPath({ runtime: () => runtime, introspection, formatError, generation: () => clients.generation }) }),
  });
  const webSocket = serveRouterWebSocket({
    httpServer,
    path: '/graphql',
    maxPayloadBytes: limits.bodyLimitBytes,
    logger,
    metrics,
    verifier,
    partnerApiKeys,
    rateLimiter,
    trustProxy: options.trustProxy ?? false,
    persisted,
    analyzer,
    introspection,
    runtime: currentRuntime,
    subscriptions,
    formatError,
    clock,
    executeOperation: async (request, contextValue) => {
      const response = await apollo.executeOperation(request, { contextValue });
      return (response.body.kind === 'single' ? response.body.singleResult : { errors: [] }) as ExecutionResult;
    },
  });

  let started: Promise<void> | null = null;
  let ready = false;
  let stopWatching: (() => void) | null = null;

  const reload = (supergraphSdl: string) => {
    if (!update) throw new Error('The router has not started yet');
    update(supergraphSdl);
  };

  let draining = false;
  const eventsAdmin = options.events ? createEventsAdmin({ bus: options.events, verifier, logger }) : null;
  const health = createHealthRoutes({
    ready: () => ready,
    draining: () => draining,
    subgraphs: () => runtime?.subgraphs ?? initialSubgraphs,
    kv,
    ...(options.processes ? { processes: options.processes } : {}),
    verifier,
    logger,
  });

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>> = {
    '/graphql': handleGraphQL,
    '/health': async (_req, res) => health.health(res),
    '/health/live': async (_req, res) => sendJson(res, 200, { status: 'live', pid: process.pid }),
    '/health/ready': async (_req, res) => health.readiness(res),
    '/.well-known/jwks.json': async (_req, res) => health.keySet(res),
    [SERVICE_KEYS_PATH]: async (_req, res) => sendJson(res, 200, await identity.directory.keySet(), { 'cache-control': 'no-cache' }),
  };

  const metricsServer =
    options.metricsPort === undefined ? null : createMetricsServer(options.events ? [metrics.registry, options.events.metrics] : [metrics.registry], logger);
  let metricsUrl: string | null = null;

  httpServer.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/graphql') {
      if (cors.handle(req, res)) return;
      // GraphQL answers only (WebSocket upgrades are another event); health and keys stay small.
      compress(req, res);
    }
    const route = routes[url.pathname] ?? (eventsAdmin && url.pathname.startsWith(EVENTS_ADMIN_PREFIX) ? eventsAdmin : null);
    // Each GraphQL request is a trace (or continues the client's `traceparent`); every subgraph fetch nests under it.
    const serve = () => (route ? route(req, res, url) : Promise.resolve(sendJson(res, 404, { error: 'not found' })));
    const work = route && url.pathname === '/graphql' ? traceRequest(req, res, {}, serve) : serve();
    work.catch((error: unknown) => {
      logger.error('request failed', { error, path: url.pathname });
      if (!res.headersSent) sendGraphQLError(req, res, { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
      else res.destroy();
    });
  });

  return {
    get subgraphs() {
      return runtime?.subgraphs ?? initialSubgraphs;
    },
    reload,
    get metricsUrl() {
      return metricsUrl;
    },
    subscriptionStats: () => ({
      upstreamSubscriptions: subscriptions.upstreamCount,
      upstreamConnections: pool.size,
      clientSockets: webSocket.openSockets(),
    }),
    async listen(target, host = '0.0.0.0') {
      started ??= apollo.start().then(() => {
        ready = true;
        if (options.watchSupergraphPath) {
          stopWatching = watchSupergraphFile(options.watchSupergraphPath, options.supergraphSdl, reload, logger);
        }
      });
      await started;
      const listening = await listenOn(httpServer, target, host);
      if (metricsServer && !metricsServer.listening) {
        const { port } = await listenOn(metricsServer, options.metricsPort!, host);
        metricsUrl = `http://127.0.0.1:${port}/metrics`;
      }
      return listening;
    },
    drain() {
      draining = true;
    },
    async stop() {
      draining = true;
      ready = false;
      stopWatching?.();
      await webSocket.close();
      await pool.close();
      if (started) await apollo.stop();
      else if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await clients.close();
      await clientLimits.close();
      if (metricsServer?.listening) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      await (await revocations)?.stop();
      await kept.stop();
      if (!options.kv) await kv.close();
    },
  };
}
