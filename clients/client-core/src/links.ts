import { ApolloLink, CombinedGraphQLErrors, HttpLink } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { RetryLink } from '@apollo/client/link/retry';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { from, mergeMap, tap } from 'rxjs';
import type { AuthPayload, Session } from './session.js';

/**
 * The link chain every shop client uses:
 *
 * - Queries named in `publicOperations` (the catalogue: the same for everyone) go out as
 *   automatic persisted queries over GET without credentials, so the router and any HTTP cache
 *   (a service worker) can keep them by hash. GETs carry `content-type`, as the router's CSRF
 *   rule asks (router/README.md, "Clients").
 * - Everything else is a POST with the access token, refreshed first when it is about to
 *   expire, and retried once after a refresh when the router still answers UNAUTHENTICATED.
 * - `persistedQueries` (a PersistedQueryLink built from a persisted query list) replaces both
 *   with manifest ids for every query and mutation: no hashing at run time.
 * - Subscriptions share one graphql-ws socket. The router closes it with 4401 when the token it
 *   was opened with expires, and the network may drop it; the retry link subscribes again, which
 *   opens a new socket whose connectionParams carry a fresh token.
 */
export interface ShopLinkOptions {
  session: Session;
  /** The GraphQL endpoint over HTTP, e.g. "/graphql" in a browser, a full URL elsewhere. */
  httpUri: string;
  /** The same endpoint over WebSocket; a function is read at each (re)connect. */
  wsUrl: string | (() => string);
  publicOperations?: ReadonlySet<string>;
  persistedQueries?: PersistedQueryLink;
  /** For runtimes without a global WebSocket (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
  fetch?: typeof fetch;
  /** Delay before the first resubscription, doubled up to 10 s (default 300 ms). */
  retryDelayMs?: number;
}

export interface SocketState {
  readonly connected: boolean;
  subscribe(listener: () => void): () => void;
}

export interface ShopLink {
  link: ApolloLink;
  wsClient: Client;
  socket: SocketState;
}

const sha256 = async (text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))), (b) => b.toString(16).padStart(2, '0')).join('');

const isSubscription = (operation: ApolloLink.Operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION;

export function createShopLink(options: ShopLinkOptions): ShopLink {
  const { session } = options;
  const http = new HttpLink({ uri: options.httpUri, ...(options.fetch ? { fetch: options.fetch } : {}) });

  const withToken = new SetContextLink(async (context) => {
    const token = await session.validAccessToken();
    return token ? { headers: { ...context.headers, authorization: `Bearer ${token}` } } : {};
  });
  const refreshOnce = new ErrorLink(({ error, operation, forward }) => {
    const unauthenticated = CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
    if (!unauthenticated || !session.canRefresh || operation.getContext().refreshed) return;
    operation.setContext({ refreshed: true });
    return from(session.refresh()).pipe(
      mergeMap((token) => {
        if (!token) throw error;
        return forward(operation);
      }),
    );
  });
  const signedIn = ApolloLink.from([refreshOnce, withToken, ...(options.persistedQueries ? [options.persistedQueries] : []), http]);

  const listeners = new Set<() => void>();
  let connected = false;
  const setConnected = (value: boolean) => {
    connected = value;
    for (const listener of listeners) listener();
  };
  // The router closes a socket with 4401 when its token expires. The next socket then gets a
  // refreshed token even when this device's clock says the old one is still good (phones' clocks
  // drift), so a skewed clock cannot loop on a token the router has already refused.
  let tokenRefused = false;
  const wsClient = createClient({
    url: options.wsUrl,
    lazy: true,
    ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
    connectionParams: async () => {
      const refused = tokenRefused;
      tokenRefused = false;
      const token = refused ? await session.refresh() : await session.validAccessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connected: () => setConnected(true),
      closed: (event) => {
        if ((event as { code?: number } | undefined)?.code === 4401) tokenRefused = true;
        setConnected(false);
      },
    },
  });
  // GraphQL errors (FORBIDDEN, BAD_USER_INPUT) are answers and final; a closed socket is not.
  const resubscribe = new RetryLink({
    delay: { initial: options.retryDelayMs ?? 300, max: 10_000, jitter: true },
    attempts: { max: Infinity, retryIf: (error) => !CombinedGraphQLErrors.is(error) },
  });
  const socketLink = ApolloLink.from([resubscribe, resumeAfterLastEvent(), new GraphQLWsLink(wsClient)]);

  const publicOperations = options.publicOperations;
  const requestLink =
    publicOperations && publicOperations.size > 0 && !options.persistedQueries
      ? ApolloLink.split(
          (op) => op.operationType === OperationTypeNode.QUERY && publicOperations.has(op.operationName ?? ''),
          new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(http),
          signedIn,
        )
      : signedIn;

  return {
    link: ApolloLink.split(isSubscription, socketLink, requestLink),
    wsClient,
    socket: {
      get connected() {
        return connected;
      },
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}

/**
 * Lossless resubscription: a subscription that declares `$after` (orderStatusChanged,
 * stockChanged) remembers the `extensions.eventId` of each event, and when the retry link
 * subscribes again after a dropped socket, it asks for the events `after` the last one: the
 * router sends the missed ones first, then live ones, none twice (README, "For client developers").
 */
function resumeAfterLastEvent(): ApolloLink {
  const lastEventIds = new WeakMap<ApolloLink.Operation, string>();
  const declaresAfter = (operation: ApolloLink.Operation) =>
    operation.query.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.variableDefinitions?.some((v) => v.variable.name.value === 'after'));
  return new ApolloLink((operation, forward) => {
    const last = lastEventIds.get(operation);
    if (last !== undefined) operation.variables = { ...operation.variables, after: last };
    if (!declaresAfter(operation)) return forward(operation);
    return forward(operation).pipe(
      tap((result) => {
        const eventId = (result.extensions as { eventId?: unknown } | undefined)?.eventId;
        if (typeof eventId === 'string') lastEventIds.set(operation, eventId);
      }),
    );
  });
}

/**
 * The session's `exchange`: posts the app's refresh mutation (a typed document, printed) outside
 * Apollo Client, whose auth link is what waits for it. Its one root field returns an AuthPayload.
 */
export function refreshExchange(options: { uri: string; query: string; fetch?: typeof fetch; headers?: Record<string, string> }) {
  return async (refreshToken: string | null): Promise<AuthPayload | null> => {
    if (refreshToken === null) return null;
    const response = await (options.fetch ?? fetch)(options.uri, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...options.headers },
      body: JSON.stringify({ query: options.query, variables: { refreshToken } }),
    });
    if (response.status >= 500) throw new Error(`refresh failed: HTTP ${response.status}`);
    const body = (await response.json()) as { data?: Record<string, AuthPayload | null> | null };
    return Object.values(body.data ?? {})[0] ?? null;
  };
}
