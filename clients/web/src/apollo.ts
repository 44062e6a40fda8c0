import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { RetryLink } from '@apollo/client/link/retry';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { from, mergeMap } from 'rxjs';
import { session } from './session.js';

/**
 * One Apollo Client for the storefront, talking to its own origin (the storefront server proxies
 * /graphql, HTTP and WebSocket, to the router).
 *
 * - Public catalogue queries go out as automatic persisted queries over GET, with no credentials:
 *   the router caches them by hash, and the service worker keeps the last ones for offline use.
 * - Everything else is a POST with the access token, refreshed first when it is about to expire,
 *   and retried once after a refresh when the router still answers UNAUTHENTICATED.
 * - Subscriptions run over one graphql-ws socket. The router closes it with 4401 when the token
 *   it was opened with expires; the retry link subscribes again, which opens a new socket whose
 *   connectionParams carry a fresh token.
 */

/** Catalogue queries that are the same for everyone: safe to send as cacheable GETs. */
export const PUBLIC_OPERATIONS = new Set(['Catalogue', 'Categories', 'ProductPage', 'ProductReviews']);

const sha256 = async (text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))), (b) => b.toString(16).padStart(2, '0')).join('');

const httpLink = new HttpLink({ uri: '/graphql' });

const publicLink = new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(httpLink);

const withToken = new SetContextLink(async (context) => {
  const token = await session.validAccessToken();
  return token ? { headers: { ...context.headers, authorization: `Bearer ${token}` } } : {};
});

const refreshOnce = new ErrorLink(({ error, operation, forward }) => {
  const unauthenticated = CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  if (!unauthenticated || !session.refreshToken || operation.getContext().refreshed) return;
  operation.setContext({ refreshed: true });
  return from(session.refresh()).pipe(
    mergeMap((token) => {
      if (!token) throw error;
      return forward(operation);
    }),
  );
});

const privateLink = ApolloLink.from([refreshOnce, withToken, httpLink]);

const socketUrl = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;

/** The socket's state, for the "live" indicator on pages that subscribe. */
export const socketState = {
  connected: false,
  listeners: new Set<() => void>(),
  set(connected: boolean) {
    this.connected = connected;
    for (const listener of this.listeners) listener();
  },
};

export const wsClient = createClient({
  url: socketUrl,
  lazy: true,
  connectionParams: async () => {
    const token = await session.validAccessToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  },
  on: { connected: () => socketState.set(true), closed: () => socketState.set(false) },
});

// A socket closed by the router (4401, token expired) or by the network ends the subscription
// with an error; subscribe again with backoff. GraphQL errors (FORBIDDEN, ...) are final.
const resubscribe = new RetryLink({
  delay: { initial: 300, max: 10_000, jitter: true },
  attempts: { max: Infinity, retryIf: (error) => !CombinedGraphQLErrors.is(error) },
});

const socketLink = resubscribe.concat(new GraphQLWsLink(wsClient));

const link = ApolloLink.split(
  ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
  socketLink,
  ApolloLink.split(
    ({ operationType, operationName }) => operationType === OperationTypeNode.QUERY && PUBLIC_OPERATIONS.has(operationName ?? ''),
    publicLink,
    privateLink,
  ),
);

/** Federated entities are normalized by id, so an order status pushed over the socket updates every view of that order. */
export const cache = new InMemoryCache({
  typePolicies: {
    Product: {
      keyFields: ['id'],
      // "More reviews" appends the next page to the ones shown.
      fields: { stock: { merge: true }, rating: { merge: true }, attributes: { merge: true }, reviews: relayStylePagination() },
    },
    Order: { keyFields: ['id'] },
    User: { keyFields: ['id'], fields: { preferences: { merge: true } } },
    Review: { keyFields: ['id'] },
    Cart: { keyFields: ['id'] },
    Category: { keyFields: ['id'] },
    Address: { keyFields: ['id'] },
    Payment: { keyFields: ['id'] },
    Shipment: { keyFields: ['id'] },
    Query: {
      fields: {
        // A product already in the cache (from a list) shows at once on its own page.
        product: { read: (existing, { args, toReference }) => existing ?? (args?.id ? toReference({ __typename: 'Product', id: args.id }) : undefined) },
        order: { read: (existing, { args, toReference }) => existing ?? (args?.id ? toReference({ __typename: 'Order', id: args.id }) : undefined) },
      },
    },
  },
});

export const client = new ApolloClient({ link, cache });

/** After sign-in or sign-out: nothing of the previous user may stay on screen or on the socket. */
export async function resetForNewUser(): Promise<void> {
  wsClient.terminate();
  await client.resetStore();
}
