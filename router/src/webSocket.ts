import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { CloseCode, type FormattedExecutionResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocket } from 'ws';
import { AppError, rateLimited, unauthenticated } from '@shop/errors';
import { connectionParam, isKeysUnavailable, openWebSocketEndpoint, type Logger, type RateLimiter } from '@shop/subgraph-kit';
import type { CallerVerifier } from './auth.js';
import type { Clock } from './clock.js';
import type { RouterContext } from './context.js';
import type { FederatedSubscriptions } from './FederatedSubscriptions.js';
import type { OperationAnalyzer } from './limits.js';
import type { RouterMetrics } from './metrics.js';
import type { PersistedQueries } from './persistedQueries.js';
import { clientAddress, type TrustProxy } from './request.js';
import type { SupergraphRuntime } from './SupergraphRuntime.js';

export interface RouterWebSocketDeps {
  httpServer: Server;
  path: string;
  /** The largest message accepted (BODY_LIMIT_BYTES); a larger one closes the socket with 1009. */
  maxPayloadBytes: number;
  logger: Logger;
  metrics: RouterMetrics;
  verifier: CallerVerifier | null;
  partnerApiKeys: ReadonlySet<string>;
  rateLimiter: RateLimiter;
  trustProxy: TrustProxy;
  persisted: PersistedQueries;
  analyzer: OperationAnalyzer;
  introspection: boolean;
  runtime: () => SupergraphRuntime;
  subscriptions: FederatedSubscriptions;
  /** Queries and mutations sent over the socket run through the same pipeline as HTTP. */
  executeOperation: (request: { query: string; variables?: Record<string, unknown>; operationName?: string }, context: RouterContext) => Promise<ExecutionResult>;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** When access tokens expire. */
  clock: Clock;
}

type Session = {
  rateBucket?: string;
  partner?: boolean;
  context?: RouterContext;
  /** Why every operation of this connection is refused (bad token, unknown API key). */
  refusal?: AppError;
  /** When the access token of this connection expires (ms). */
  expiresAt?: number;
};

/** What onSubscribe hands to execute/subscribe through graphql-ws. */
interface OperationContext extends RouterContext {
  query: string;
  runtime: SupergraphRuntime;
}

/**
 * `graphql-transport-ws` on the router's `/graphql`. The connection is authenticated from
 * `connectionParams` (`authorization`, `x-api-key`, also inside `headers`) with the same rules
 * as HTTP; a refused caller gets the coded error on each operation rather than a bare close
 * code. A connection does not outlive its access token: when it expires (or a new operation
 * finds it no longer valid) the socket is closed with 4401, and the client reconnects with a
 * fresh token. Each operation goes through the same rate limit, persisted-query and limit
 * checks as an HTTP request.
 */
export function serveRouterWebSocket(deps: RouterWebSocketDeps) {
  const { logger, metrics } = deps;
  const endpoint = openWebSocketEndpoint({
    httpServer: deps.httpServer,
    path: deps.path,
    maxPayload: deps.maxPayloadBytes,
    onSocket: (ws) => {
      metrics.clientSockets(1);
      ws.once('close', () => metrics.clientSockets(-1));
    },
  });
  const preformatted = new WeakSet<object>();
  const { clock } = deps;

  const closeUnauthorized = (socket: WebSocket, reason: string) => {
    metrics.rejected('unauthenticated');
    socket.close(CloseCode.Unauthorized, reason);
  };
  const closeAtExpiry = (socket: WebSocket, expiresAt: number) => {
    let cancel = () => {};
    // Checked again when the timer fires: a long wait may have been cut short (see Clock).
    const check = () => {
      const left = expiresAt - clock.now();
      if (left <= 0) closeUnauthorized(socket, 'Access token expired');
      else cancel = clock.after(left, check);
    };
    check();
    socket.once('close', () => cancel());
  };

  const format = (errors: readonly (GraphQLError | GraphQLFormattedError)[]) =>
    errors.map((error) => deps.formatError(error instanceof GraphQLError ? error.toJSON() : error, error));

  const server = useServer<Record<string, unknown> | undefined, Session>(
    {
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const clientIp = clientAddress(ctx.extra.request, deps.trustProxy);
        const apiKey = connectionParam(params, 'x-api-key');
        const authorization = connectionParam(params, 'authorization');
        ctx.extra.partner = apiKey !== undefined && deps.partnerApiKeys.has(apiKey);
        ctx.extra.rateBucket = ctx.extra.partner ? `key:${apiKey}` : `ip:${clientIp}`;
        if (apiKey !== undefined && !ctx.extra.partner) {
          ctx.extra.refusal = unauthenticated('Unknown API key');
          return true;
        }
        const verified = deps.verifier ? await deps.verifier.verify(authorization) : { caller: null, error: null };
        if (verified.error) {
          ctx.extra.refusal = verified.error;
          return true;
        }
        if (verified.expiresAt !== undefined) {
          ctx.extra.expiresAt = verified.expiresAt;
          closeAtExpiry(ctx.extra.socket, verified.expiresAt);
        }
        ctx.extra.context = {
          requestId: randomUUID(),
          clientIp,
          caller: verified.caller,
          ...(authorization ? { authorization } : {}),
          ...(verified.expiresAt !== undefined ? { tokenExpiresAt: verified.expiresAt } : {}),
        };
        return true;
      },
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const session = ctx.extra;
        if (session.refusal || !session.context) return [session.refusal ?? unauthenticated()];
        // The token may have expired or stopped verifying (e.g. its key was retired) since connect.
        const current = session.expiresAt !== undefined && deps.verifier ? await deps.verifier.verify(session.context.authorization) : null;
        // Keys that cannot be fetched say nothing against the token: this subscription is refused, the socket stays.
        if (current?.error && isKeysUnavailable(current.error)) return [current.error];
        const invalid = current?.error ?? (session.expiresAt !== undefined && session.expiresAt <= clock.now() ? unauthenticated('Access token expired') : null);
        if (invalid) {
          closeUnauthorized(ctx.extra.socket, invalid.message);
          return [invalid];
        }
        const decision = await deps.rateLimiter.consume(session.rateBucket!);
        if (!decision.allowed) {
          metrics.rejected('rate_limited');
          return [rateLimited(decision.retryAfterSeconds)];
        }
        const persisted = await deps.persisted.resolve(payload, session.partner === true);
        if (!persisted.ok) return [persisted.error];
        const query = persisted.query;
        if (query === undefined) return [new AppError('BAD_REQUEST', 'The operation has no query')];
        const operationName = payload.operationName ?? undefined;
        const variables = payload.variables ?? undefined;
        const check = deps.analyzer.check(query, operationName, variables);
        if (check.violation) {
          metrics.rejected('too_complex');
          return [check.violation];
        }
        if (!check.document) return [new GraphQLError('Syntax error in the operation', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        const runtime = deps.runtime();
        const errors = runtime.validate(query, check.document, deps.introspection);
        if (errors.length > 0) return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
        await persisted.register?.();
        const contextValue: OperationContext = { ...session.context, requestId: randomUUID(), query, runtime };
        return {
          schema: runtime.apiSchema,
          document: check.document,
          operationName,
          variableValues: variables,
          contextValue,
        };
      },
      execute: async (args) => {
        const { query, runtime: _runtime, ...context } = args.contextValue as OperationContext;
        const result = await deps.executeOperation(
          { query, variables: args.variableValues ?? undefined, operationName: args.operationName ?? undefined },
          context,
        );
        preformatted.add(result);
        return result;
      },
      subscribe: (args) => {
        const { query, runtime, ...context } = args.contextValue as OperationContext;
        return deps.subscriptions.subscribe(
          runtime,
          { query, document: args.document, operationName: args.operationName ?? undefined, variables: args.variableValues ?? undefined },
          context,
        );
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        // Apollo Server already formatted these: pass them as they are.
        if (preformatted.has(result)) return result as FormattedExecutionResult;
        return result.errors ? { ...result, errors: format(result.errors) } : undefined;
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    endpoint.wss,
  );

  return {
    openSockets: endpoint.openSockets,
    close: () =>
      endpoint.close(async () => {
        await server.dispose();
        logger.debug('websocket server closed');
      }),
  };
}

