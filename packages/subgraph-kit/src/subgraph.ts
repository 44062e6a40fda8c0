import type { DocumentNode } from 'graphql';
import { createMemoryBus, type EventBus } from '@shop/events';
import { createMemoryStore, type KeyValueStore } from '@shop/kv';
import type { AccessTokenVerifier, KeySource } from './auth.js';
import type { KeyRing } from './keys.js';
import type { ListenTarget } from './listen.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { createSubgraphServer, type Execution, type RequestBase, type ResolverMap, type RouteHandler } from './server.js';
import { createServiceCredentials, type ServiceCredentials, type ServiceVerifierOptions } from './serviceAuth.js';
import { serviceKeyRing, type PrivateKeySetting } from './trustConfig.js';

/** What a process runs: `listen` to serve, `stop` to drain and release everything. */
export interface RunnableSubgraph {
  listen(target: ListenTarget, host?: string): Promise<{ url: string; port: number }>;
  /** Readiness false from now on (`/health/ready` answers 503), while requests are still served. */
  drain(): void;
  /** Subscriptions in effect right now, each listening to its source of events. */
  activeSubscriptions(): number;
  /** Readiness false, background work stopped, in-flight requests drained, then what the subgraph opened closed. Idempotent. */
  stop(): Promise<void>;
}

/**
 * What the process hands a subgraph (main.ts through `runSubgraph`, the one-process stack, a
 * test). The caller owns them: a subgraph never closes a store or bus it was given. Left out,
 * the subgraph gets in-process ones of its own (closed on stop).
 */
export interface SubgraphDeps {
  logger?: Logger;
  bus?: EventBus;
  kv?: KeyValueStore;
  /** The time scheduled domain work is judged by (inventory's cart holds); tests move it instead of waiting. */
  clock?: () => Date;
  /**
   * How long the event logs behind resumable subscriptions keep events (default 24 h,
   * DEFAULT_EVENT_RETENTION_MS): an `after` older than this is EVENTS_EXPIRED.
   */
  eventRetentionMs?: number;
  /**
   * How operations execute: 'compiled' (the default: queries through graphql-jit where it answers
   * as graphql-js does) or 'graphql-js' (every operation through graphql-js: to compare the two,
   * or to rule the compiled path out).
   */
  execution?: Execution;
}

/** The part of every subgraph's config the kit reads. */
export interface SubgraphConfig {
  logLevel: LogLevel;
  /** JWKS_URL: the users subgraph's public keys, which access tokens are verified against (unless `wire` gives its own). */
  jwksUrl?: string;
  /** SERVICE_JWKS_URL: the public keys of the services that may call (the router's set), a set in hand, or where to get one. */
  serviceKeys: ServiceVerifierOptions['keys'];
  /** SERVICE_PRIVATE_KEY(_FILE): the key this service proves itself with when it calls another (development: one under .data/keys). */
  servicePrivateKey?: PrivateKeySetting | undefined;
}

/** Something running in the background (an event consumer, a sweeper): stopped before requests drain. */
export interface Stoppable {
  stop(): Promise<void>;
}

/** What `wire` gets to build the domain from. */
export interface SubgraphParts {
  name: string;
  logger: Logger;
  bus: EventBus;
  kv: KeyValueStore;
  /** Registers background work; it is stopped first, before the server drains (reverse order of registration). */
  worker<T extends Stoppable>(worker: T): T;
  /** Registers something to close once requests have drained (reverse order of registration). */
  resource(close: () => Promise<void>): void;
  /** Aborted when `stop` begins, for long work started on behalf of the subgraph (a rebuild). */
  stopping: AbortSignal;
  /**
   * This service's identity for calls to other services (tokens signed with SERVICE_PRIVATE_KEY);
   * once asked for, its public keys are also published at /.well-known/service-jwks.json.
   */
  serviceCredentials(): Promise<ServiceCredentials>;
}

/** The domain as the server needs it, from `wire`. */
export interface SubgraphWiring<TContext extends RequestBase, TExtra extends object> {
  resolvers: ResolverMap<TContext>;
  /** Builds the per-request context (and its DataLoaders) from the verified caller. */
  context: (base: RequestBase) => TContext | Promise<TContext>;
  /** Extra HTTP routes by exact path, e.g. webhooks; a path ending in `/` serves everything below it. */
  routes?: Record<string, RouteHandler>;
  /** Throws when a dependency is not ready; `/health` then answers 503. */
  readiness?: () => Promise<void>;
  /** What the subgraph offers beyond listen/stop: statistics for tests and benchmarks, operations. */
  extras?: TExtra;
  /** Verifies access tokens some other way than against `config.jwksUrl` (users checks its own). */
  accessTokens?: KeySource | AccessTokenVerifier;
}

export interface SubgraphOptions<TContext extends RequestBase, TExtra extends object> {
  name: string;
  typeDefs: DocumentNode;
  config: SubgraphConfig;
  deps?: SubgraphDeps;
  /**
   * The services besides the router that may call this subgraph, and the scopes it grants each
   * (checked with `requireServiceScope`). Their keys are found through `config.serviceKeys`.
   */
  callers?: Readonly<Record<string, readonly string[]>>;
  /** Builds the domain (repositories, services, consumers) on the parts; may be async. */
  wire(parts: SubgraphParts): SubgraphWiring<TContext, TExtra> | Promise<SubgraphWiring<TContext, TExtra>>;
}

/**
 * The one way a subgraph is assembled: logger, bus and key-value store (given or in-process),
 * the domain from `wire`, the HTTP/WebSocket server, and an ordered stop: background workers,
 * then the server (draining requests), then resources, newest first. When `wire` throws,
 * whatever it had registered is stopped before the error is rethrown, so nothing is left open.
 */
export async function createSubgraph<TContext extends RequestBase, TExtra extends object = object>(
  options: SubgraphOptions<TContext, TExtra>,
): Promise<RunnableSubgraph & TExtra> {
  const deps = options.deps ?? {};
  const logger = deps.logger ?? createLogger({ service: options.name, level: options.config.logLevel });
  const workers: Stoppable[] = [];
  const resources: Array<() => Promise<void>> = [];
  const stopping = new AbortController();

  const bus =
    deps.bus ??
    createMemoryBus({ onError: (error, event) => logger.warn('event handler failed, will retry', { error, eventId: event.id, type: event.type }) });
  if (!deps.bus) resources.push(() => bus.close());
  const kv = deps.kv ?? createMemoryStore();
  if (!deps.kv) resources.push(() => kv.close());

  const stopAll = async (server?: { stop(): Promise<void> }) => {
    stopping.abort();
    // The server first: no new requests, in-flight ones finish and commit their events; then the
    // workers (relays publish what was committed, consumers finish their current event); then
    // what they all used.
    const steps = [
      ...(server ? [() => server.stop()] : []),
      ...[...workers].reverse().map((worker) => () => worker.stop()),
      ...[...resources].reverse(),
    ];
    // Every step runs even when one fails: a stuck consumer must not keep the pool open.
    for (const step of steps) await step().catch((error: unknown) => logger.error('stopping failed', { error }));
  };

  const own: { keys: Promise<KeyRing> | null } = { keys: null };
  const serviceCredentials = async () => {
    own.keys ??= serviceKeyRing(options.name, options.config.servicePrivateKey, (message) => logger.warn(message));
    return createServiceCredentials({ name: options.name, key: (await own.keys).signing });
  };

  let wiring: SubgraphWiring<TContext, TExtra>;
  try {
    wiring = await options.wire({
      name: options.name,
      logger,
      bus,
      kv,
      worker(worker) {
        workers.push(worker);
        return worker;
      },
      resource(close) {
        resources.push(close);
      },
      stopping: stopping.signal,
      serviceCredentials,
    });
  } catch (error) {
    await stopAll();
    throw error;
  }

  const server = createSubgraphServer<TContext>({
    name: options.name,
    typeDefs: options.typeDefs,
    resolvers: wiring.resolvers,
    context: wiring.context,
    accessTokens: accessTokensOf(options.name, wiring.accessTokens, options.config.jwksUrl),
    internalCalls: { keys: options.config.serviceKeys, callers: options.callers ?? {} },
    ...(own.keys ? { serviceKeys: await own.keys } : {}),
    logger,
    // The bus's lag, retry and dead-letter metrics on this subgraph's /metrics.
    metrics: bus.metrics,
    ...(wiring.readiness ? { readiness: wiring.readiness } : {}),
    ...(wiring.routes ? { routes: wiring.routes } : {}),
    ...(deps.execution ? { execution: deps.execution } : {}),
  });

  let stopped: Promise<void> | null = null;
  return {
    ...(wiring.extras as TExtra),
    listen: (port, host) => server.listen(port, host),
    drain: () => server.drain(),
    activeSubscriptions: () => server.activeSubscriptions(),
    stop() {
      server.drain();
      stopped ??= stopAll(server);
      return stopped;
    },
  };
}

function accessTokensOf(name: string, given: KeySource | AccessTokenVerifier | undefined, jwksUrl: string | undefined): KeySource | AccessTokenVerifier {
  const source = given ?? jwksUrl;
  if (source === undefined) throw new Error(`${name} has no way to verify access tokens: set config.jwksUrl (JWKS_URL)`);
  return source;
}
