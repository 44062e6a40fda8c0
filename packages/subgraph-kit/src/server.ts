import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer, type BaseContext as ApolloBaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { Kind, parse, visit, type DocumentNode, type GraphQLScalarType } from 'graphql';
import { AppError, unauthenticated } from '@shop/errors';
import { inRequestScope, traceRequest } from '@shop/telemetry';
import { callerFromAuthorization, createAccessTokenVerifier, type AccessTokenVerifier, type AuthContext, type KeySource } from './auth.js';
import { compiledExecution } from './compiledExecution.js';
import { controlCharacterRule } from './controlCharacters.js';
import { createErrorFormatter } from './formatError.js';
import { sendGraphQLError } from './graphqlResponse.js';
import { forwardedClient, HttpError, headerMapOf, headerValue, readBody, sendJson } from './http.js';
import { keySetOf, type KeyRing } from './keys.js';
import { listenOn, type ListenTarget } from './listen.js';
import { SHARED_SCALARS } from './scalars.js';
import { apolloLogger, type Logger } from './logger.js';
import {
  createServiceVerifier,
  ROUTER_SERVICE,
  SERVICE_KEYS_PATH,
  SERVICE_TOKEN_HEADER,
  type ServiceAuthContext,
  type ServiceCaller,
  type ServiceVerifierOptions,
} from './serviceAuth.js';
import { serveGraphQLOverWebSocket } from './websocket.js';

export interface RequestBase extends AuthContext, ServiceAuthContext {
  requestId: string;
  logger: Logger;
  /**
   * The end client's address: the right-most `x-forwarded-for` entry, the one the router (the
   * single hop in front of every subgraph) appended; else the socket's peer address.
   */
  clientIp: string;
  /**
   * The caller's `Authorization` header as received, for calls this subgraph makes on the
   * caller's behalf (reads through the router, internal commands); absent when anonymous.
   */
  authorization?: string;
  /**
   * The client's `Idempotency-Key` for this mutation, passed on by the router (which already
   * replays retries it has answered); a subgraph that calls an outside provider hands it on.
   */
  idempotencyKey?: string;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface SubgraphServerOptions<TContext extends RequestBase> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<TContext>;
  /** Builds the per-request context (and its DataLoaders) from the verified caller. */
  context: (base: RequestBase) => TContext | Promise<TContext>;
  /** Verifies callers' access tokens: the users subgraph's JWK Set URL (JWKS_URL), a set in hand, or a verifier. */
  accessTokens: KeySource | AccessTokenVerifier;
  logger: Logger;
  /**
   * Throws when a dependency (database, cache) is not reachable: `/health` and `/health/ready`
   * then answer 503. `/health/live` answers 200 whenever the process serves HTTP, with its pid
   * (a supervisor checks that the process it started is the one answering on the port).
   */
  readiness?: () => Promise<void>;
  /** Served at `/metrics` in the Prometheus text format (a prom-client Registry, e.g. the event bus's). */
  metrics?: { metrics(): Promise<string>; readonly contentType: string };
  /** Extra HTTP routes by exact path, e.g. webhooks; a path ending in `/` serves everything below it. */
  routes?: Record<string, RouteHandler>;
  introspection?: boolean;
  bodyLimitBytes?: number;
  /**
   * Who may call at all: the router and the named services, each proving itself with a service
   * token. Every GraphQL request and WebSocket without a valid one is refused (401 UNAUTHENTICATED),
   * whatever user token it carries, `_service`, `_entities` and introspection included.
   */
  internalCalls: InternalCallOptions;
  /** This service's own keys (SERVICE_PRIVATE_KEY), published at /.well-known/service-jwks.json for the services it calls. */
  serviceKeys?: KeyRing;
  /** How operations execute (default 'compiled'); see SubgraphDeps.execution. */
  execution?: Execution;
}

/**
 * 'compiled': queries through graphql-jit where it answers as graphql-js does (compiledExecution),
 * unless the schema has `@cacheControl` hints; 'graphql-js': every operation through graphql-js.
 */
export type Execution = 'compiled' | 'graphql-js';

export interface InternalCallOptions {
  /** SERVICE_JWKS_URL (the router's set of every service's public keys), a set in hand, or where to get one. */
  keys: ServiceVerifierOptions['keys'];
  /** Named services allowed besides the router, with the scopes this subgraph grants each. */
  callers?: Readonly<Record<string, readonly string[]>>;
}

export interface SubgraphServer {
  readonly httpServer: Server;
  /** Open GraphQL-over-WebSocket client connections (the router's upstream subscription sockets). */
  openWebSockets(): number;
  /** Subscriptions in effect over those sockets (each listening to its source of events). */
  activeSubscriptions(): number;
  listen(target: ListenTarget, host?: string): Promise<{ url: string; port: number }>;
  /** Readiness false from now on; requests are still served until `stop`. */
  drain(): void;
  stop(): Promise<void>;
}

/**
 * The end client's address: the router (or a calling service) is the one hop in front of a
 * subgraph and appends the address it took the request from, so the right-most entry counts.
 */
export function clientIpOf(req: IncomingMessage): string {
  return forwardedClient(req, 1);
}

/** Reads a schema file that lives in `src/`, from either `src/` (tests) or `dist/` (built). */
export function loadSchema(moduleUrl: string, file = 'schema.graphql'): DocumentNode {
  return parse(readFileSync(new URL(`../src/${file}`, moduleUrl), 'utf8'));
}

/** The kit's scalars that `typeDefs` declares (e.g. `scalar DateTime`), to resolve them the same way everywhere. */
function sharedScalarsOf(typeDefs: DocumentNode): Record<string, GraphQLScalarType> {
  const declared = new Set(typeDefs.definitions.flatMap((d) => (d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d.name.value] : [])));
  return Object.fromEntries(SHARED_SCALARS.filter((scalar) => declared.has(scalar.name)).map((scalar) => [scalar.name, scalar]));
}

export function createSubgraphServer<TContext extends RequestBase>(
  options: SubgraphServerOptions<TContext>,
): SubgraphServer {
  const { logger } = options;
  const bodyLimit = options.bodyLimitBytes ?? 1024 * 1024;
  const httpServer = createServer();
  const schema = buildSubgraphSchema([
    { typeDefs: options.typeDefs, resolvers: { ...sharedScalarsOf(options.typeDefs), ...options.resolvers } as GraphQLResolverMap<unknown> },
  ]);
  const formatError = createErrorFormatter(logger);
  const accessTokens = verifierOf(options.accessTokens);
  const internal = options.internalCalls;
  const services = createServiceVerifier({ audience: options.name, keys: internal.keys, callers: { [ROUTER_SERVICE]: [], ...internal.callers } });
  // The port may be reachable from anywhere (a container network, 0.0.0.0): a user token alone
  // proves nothing about the path a request took, so the router's word is needed too.
  const serviceCallerOf = async (req: IncomingMessage): Promise<ServiceCaller> => {
    const token = headerValue(req, SERVICE_TOKEN_HEADER);
    if (token === undefined) throw unauthenticated('This subgraph serves the router and named services only');
    return services.verify(token);
  };
  const socketCallers = new WeakMap<IncomingMessage, ServiceCaller>();
  const cacheHints = declaresCacheHints(options.typeDefs);
  // Apollo's cache-control plugin computes a hinted schema's policy from a hook on every field
  // graphql-js resolves; compiled queries would skip the hooks.
  const compiled = options.execution !== 'graphql-js' && !cacheHints;
  const apollo = new ApolloServer<TContext>({
    // Apollo Server takes another executor as a gateway's; parsing, validation, plugins stay its own.
    ...(compiled ? { gateway: compiledExecution(schema) } : { schema }),
    introspection: options.introspection ?? true,
    // The process owner drains on signals (serveUntilSignal, the launcher); Apollo must not race it.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      controlCharacterRule,
      // Without a hint in the schema every answer is uncacheable anyway (the router reads a missing
      // cache-control as no-store); the plugin would still run a hook on every field resolved.
      ...(cacheHints ? [] : [ApolloServerPluginCacheControlDisabled()]),
    ],
    logger: apolloLogger(logger),
  });
  // Same path, same caller verification and context: any subgraph may declare `type Subscription`.
  const webSocket = serveGraphQLOverWebSocket({
    httpServer,
    path: '/graphql',
    maxPayload: bodyLimit,
    schema,
    accessTokens,
    logger,
    context: options.context,
    formatError,
    introspection: options.introspection ?? true,
    clientIpOf,
    // The upgrade request is where a socket proves which service opened it (HTTP 401 otherwise).
    authorizeUpgrade: async (req) => {
      socketCallers.set(req, await serviceCallerOf(req));
    },
    serviceOf: (req) => socketCallers.get(req) ?? null,
  });
  let started: Promise<void> | null = null;

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const requestId = headerValue(req, 'x-request-id') ?? randomUUID();
    let service: ServiceCaller;
    try {
      service = await serviceCallerOf(req);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Read what was sent first, so a fetch client gets the 401 rather than a broken pipe.
      if (req.method === 'POST') await readBody(req, bodyLimit).catch(() => undefined);
      sendGraphQLError(req, res, { status: 401, code: error.code, message: error.message });
      return;
    }
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, bodyLimit);
      try {
        body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
      } catch {
        sendGraphQLError(req, res, { status: 400, code: 'BAD_REQUEST', message: 'Request body is not valid JSON' });
        return;
      }
    }
    const result = await inRequestScope(requestId, () => apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers: headerMapOf(req), search: url.search, body },
      context: async () => {
        const authorization = headerValue(req, 'authorization');
        const idempotencyKey = headerValue(req, 'idempotency-key');
        const auth = await callerFromAuthorization(authorization, accessTokens);
        return options.context({
          ...auth,
          service,
          requestId,
          clientIp: clientIpOf(req),
          logger: logger.child({ requestId }),
          ...(authorization ? { authorization } : {}),
          ...(idempotencyKey ? { idempotencyKey } : {}),
        });
      },
    }));
    const responseHeaders: Record<string, string> = { 'x-request-id': requestId };
    for (const [key, value] of result.headers) responseHeaders[key] = value;
    res.writeHead(result.status ?? 200, responseHeaders);
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  // Ready: dependencies reachable and not draining (a stopping server refuses new work, so a
  // load balancer should stop sending it any).
  let draining = false;
  const handleHealth = async (res: ServerResponse) => {
    try {
      if (draining) throw new Error('draining');
      await options.readiness?.();
      sendJson(res, 200, { status: 'ok', service: options.name });
    } catch (error) {
      sendJson(res, 503, { status: 'unavailable', service: options.name, reason: (error as Error).message });
    }
  };
  const handleMetrics = async (res: ServerResponse) => {
    if (!options.metrics) return sendJson(res, 404, { error: 'not found' });
    const text = await options.metrics.metrics();
    res.writeHead(200, { 'content-type': options.metrics.contentType });
    res.end(text);
  };
  const builtIn: Record<string, RouteHandler> = {
    '/health': async (_req, res) => handleHealth(res),
    '/health/ready': async (_req, res) => handleHealth(res),
    '/health/live': async (_req, res) => sendJson(res, 200, { status: 'live', service: options.name, pid: process.pid }),
    '/metrics': async (_req, res) => handleMetrics(res),
  };

  const routes: Record<string, RouteHandler> = { ...options.routes };
  const ownKeys = options.serviceKeys;
  if (ownKeys) {
    routes[SERVICE_KEYS_PATH] = async (_req, res) => sendJson(res, 200, keySetOf(ownKeys.published), { 'cache-control': 'public, max-age=60' });
  }

  httpServer.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = builtIn[url.pathname] ?? routes[url.pathname] ?? prefixRouteOf(routes, url.pathname);
    const handle = url.pathname === '/graphql' ? () => handleGraphQL(req, res, url) : route ? () => route(req, res) : null;
    // GraphQL and the subgraph's own routes (webhooks) continue the caller's trace; probes and scrapes stay out of it.
    const work = !handle
      ? Promise.resolve(sendJson(res, 404, { error: 'not found' }))
      : builtIn[url.pathname]
        ? handle()
        : traceRequest(req, res, { 'shop.service': options.name }, handle);
    work.catch((error: unknown) => {
      if (error instanceof HttpError) {
        if (!res.headersSent) sendGraphQLError(req, res, { status: error.status, code: 'BAD_REQUEST', message: error.message });
        else res.destroy();
        return;
      }
      logger.error('request failed', { error, path: url.pathname });
      if (!res.headersSent) sendGraphQLError(req, res, { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
      else res.destroy();
    });
  });

  return {
    httpServer,
    openWebSockets: () => webSocket.openSockets(),
    activeSubscriptions: () => webSocket.activeSubscriptions(),
    async listen(target, host = '0.0.0.0') {
      started ??= apollo.start();
      await started;
      return listenOn(httpServer, target, host);
    },
    drain() {
      draining = true;
    },
    async stop() {
      draining = true;
      // Upgraded sockets would keep the HTTP server from closing: end them first.
      await webSocket.close();
      // The drain plugin closes the listener and waits for in-flight requests.
      if (started) await apollo.stop();
      else if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

function prefixRouteOf(routes: Record<string, RouteHandler>, path: string): RouteHandler | undefined {
  const prefix = Object.keys(routes).find((candidate) => candidate.endsWith('/') && path.startsWith(candidate));
  return prefix === undefined ? undefined : routes[prefix];
}

/** Whether the schema uses `@cacheControl` anywhere (declaring the directive alone does not count). */
function declaresCacheHints(typeDefs: DocumentNode): boolean {
  let found = false;
  visit(typeDefs, {
    Directive(node) {
      if (node.name.value === 'cacheControl') found = true;
    },
  });
  return found;
}

function verifierOf(source: KeySource | AccessTokenVerifier): AccessTokenVerifier {
  return typeof source === 'object' && 'verify' in source ? source : createAccessTokenVerifier(source);
}

export type { ApolloBaseContext };

/** The resolver map shape `buildSubgraphSchema` takes (including `__resolveReference`). */
export type ResolverMap<TContext> = GraphQLResolverMap<TContext>;
