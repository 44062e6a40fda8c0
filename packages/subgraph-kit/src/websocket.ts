import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import {
  createSourceEventStream,
  execute,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { callerFromAuthorization, type AccessTokenVerifier, type AuthContext } from './auth.js';
import { EventQueue } from './EventQueue.js';
import { isLoggedEvent } from './eventLog.js';
import { controlCharacterError, controlCharacterInput } from './controlCharacters.js';
import { connectionParam, openWebSocketEndpoint } from './webSocketEndpoint.js';
import type { Logger } from './logger.js';
import type { RequestBase } from './server.js';
import type { ServiceCaller } from './serviceAuth.js';
import type { ErrorCode } from '@shop/errors';

export interface GraphQLWebSocketOptions<TContext> {
  httpServer: Server;
  /** The path the WebSocket is served on; other upgrade requests are refused. */
  path: string;
  /** The largest message accepted (the HTTP body limit); a larger one closes the socket with 1009. */
  maxPayload: number;
  schema: GraphQLSchema;
  accessTokens: AccessTokenVerifier;
  logger: Logger;
  context: (base: RequestBase) => TContext | Promise<TContext>;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  introspection: boolean;
  /** The end client's address from the upgrade request. */
  clientIpOf: (req: IncomingMessage) => string;
  /** Checks the upgrade request before the socket opens; an AppError it throws is answered as HTTP 401. */
  authorizeUpgrade?: (req: IncomingMessage) => Promise<void>;
  /** The internal caller the upgrade request proved (see authorizeUpgrade). */
  serviceOf?: (req: IncomingMessage) => ServiceCaller | null;
}

export interface GraphQLWebSocket {
  /** Open client sockets right now. */
  openSockets(): number;
  /** Subscriptions listening right now: their source streams are open (a client's subscribe is in effect). */
  activeSubscriptions(): number;
  /** Closes every socket (1012, Service Restart: clients reconnect) and stops accepting new ones. */
  close(): Promise<void>;
}

type ConnectionState = {
  auth?: AuthContext;
};

/**
 * GraphQL over WebSocket (`graphql-transport-ws`) next to the HTTP endpoint: the caller is
 * verified from `connectionParams.authorization` the way HTTP verifies the header, and every
 * subscription event is executed with a fresh context (fresh DataLoaders), exactly like a new
 * request, so no event is answered from an earlier event's cache.
 */
export function serveGraphQLOverWebSocket<TContext>(options: GraphQLWebSocketOptions<TContext>): GraphQLWebSocket {
  const { logger } = options;
  const endpoint = openWebSocketEndpoint({
    httpServer: options.httpServer,
    path: options.path,
    maxPayload: options.maxPayload,
    ...(options.authorizeUpgrade ? { authorize: options.authorizeUpgrade } : {}),
  });
  const rules = options.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];

  const formatErrors = (errors: readonly GraphQLError[]) =>
    errors.map((error) => options.formatError(error.toJSON(), error));

  let active = 0;
  const server = useServer<Record<string, unknown> | undefined, ConnectionState>(
    {
      onConnect: async (ctx) => {
        const header = connectionParam(ctx.connectionParams, 'authorization');
        ctx.extra.auth = await callerFromAuthorization(header, options.accessTokens);
        return true;
      },
      onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [withCode(error instanceof GraphQLError ? error : new GraphQLError('Syntax error'), 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = validate(options.schema, document, rules);
        if (errors.length > 0) return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        const controlled = controlCharacterInput(document, payload.variables);
        if (controlled !== null) return [controlCharacterError(controlled)];
        const requestId = requestIdOf(payload);
        const base: RequestBase = {
          ...(ctx.extra.auth ?? { caller: null, authError: null }),
          service: options.serviceOf?.(ctx.extra.request) ?? null,
          requestId,
          clientIp: options.clientIpOf(ctx.extra.request),
          logger: logger.child({ requestId }),
        };
        return {
          schema: options.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: base,
        };
      },
      execute: async (args) => execute({ ...args, contextValue: await options.context(args.contextValue as RequestBase) }),
      subscribe: async (args) => {
        const base = args.contextValue as RequestBase;
        const stream = await createSourceEventStream({ ...args, contextValue: await options.context(base) });
        if (!(Symbol.asyncIterator in stream)) return stream;
        active += 1;
        const source = onEnd(stream[Symbol.asyncIterator](), () => (active -= 1));
        return mapEvents(source, async (payload) => {
          const result = await execute({ ...args, rootValue: payload, contextValue: await options.context(base) });
          // An event from an event log carries its id to the client, which resumes `after` it.
          return isLoggedEvent(payload) ? { ...result, extensions: { ...result.extensions, eventId: payload.eventId } } : result;
        });
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: formatErrors(result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors),
    },
    endpoint.wss,
  );

  return {
    openSockets: endpoint.openSockets,
    activeSubscriptions: () => active,
    close: () => endpoint.close(() => server.dispose()),
  };
}

/** `listening`, calling `ended` once when it ends, fails or is ended. */
function onEnd<S>(listening: AsyncIterator<S>, ended: () => void): AsyncIterator<S> {
  let open = true;
  const close = () => {
    if (open) ended();
    open = false;
  };
  return {
    next: () =>
      listening.next().then(
        (result) => {
          if (result.done) close();
          return result;
        },
        (error: unknown) => {
          close();
          throw error;
        },
      ),
    return: async () => {
      close();
      return (await listening.return?.()) ?? { done: true, value: undefined };
    },
  };
}

/** Maps each source event through `map`; ending the result ends the source at once. */
function mapEvents<S>(
  source: AsyncIterator<S>,
  map: (event: S) => Promise<ExecutionResult>,
): AsyncIterableIterator<ExecutionResult> {
  const out = new EventQueue<ExecutionResult>({ onClose: async () => void (await source.return?.()) });
  void (async () => {
    try {
      for (;;) {
        const next = await source.next();
        if (next.done || out.closed) break;
        out.push(await map(next.value));
      }
      out.end();
    } catch (error) {
      out.end(error);
    }
  })();
  return out;
}

// The codes Apollo Server gives the same failures over HTTP.
function withCode(error: GraphQLError, code: ErrorCode): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

// The router sends its request id along with each subscription, so the logs of one client
// subscription line up across services.
function requestIdOf(payload: SubscribePayload): string {
  const value = payload.extensions?.requestId;
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : randomUUID();
}
