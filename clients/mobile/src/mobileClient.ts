import { ApolloClient } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsFromManifest, type PersistedQueryManifestForGeneratingPersistedQueryIds } from '@apollo/persisted-query-lists';
import { createSession, createShopCache, createShopLink, refreshExchange, type Session, type SocketState, type TokenStorage } from '@shop/client-core';
import { print } from 'graphql';
import { RefreshSessionDocument, SignInDocument, SignOutDocument } from './gql/graphql.js';
import manifest from './persisted-query-manifest.json' with { type: 'json' };

export interface MobileClientOptions {
  /** The router's GraphQL endpoint over HTTP, e.g. https://shop.example/graphql. */
  url: string;
  /** Over WebSocket; default: `url` with ws(s):. */
  wsUrl?: string;
  /** Where tokens survive an app restart: AsyncStorage, a keychain wrapper, or memory in tests. */
  storage: TokenStorage;
  /** React Native has a global WebSocket; Node 20 needs the `ws` package. */
  webSocketImpl?: unknown;
  fetch?: typeof fetch;
  /** First resubscription delay after a dropped socket (default 300 ms). */
  retryDelayMs?: number;
}

export interface MobileClient {
  client: ApolloClient;
  session: Session;
  socket: SocketState;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Closes the socket and stops the client. */
  dispose(): Promise<void>;
}

/**
 * The shop's client for a mobile app (React Native imports it; nothing here touches the DOM):
 * Apollo Client core with the shop's normalized cache, every operation sent by its id from the
 * persisted query list (no query text after the first use, no hashing on the device), tokens
 * refreshed before they expire and after an UNAUTHENTICATED answer, and one graphql-ws socket
 * whose subscriptions come back by themselves after a dropped connection or a token expiry.
 */
export async function createMobileClient(options: MobileClientOptions): Promise<MobileClient> {
  const session = createSession({
    storage: options.storage,
    keyPrefix: 'shop.mobile',
    exchange: refreshExchange({ uri: options.url, query: print(RefreshSessionDocument), ...(options.fetch ? { fetch: options.fetch } : {}) }),
  });
  await session.restore();
  const shop = createShopLink({
    session,
    httpUri: options.url,
    wsUrl: options.wsUrl ?? options.url.replace(/^http/, 'ws'),
    persistedQueries: new PersistedQueryLink(
      generatePersistedQueryIdsFromManifest({ loadManifest: async () => manifest as PersistedQueryManifestForGeneratingPersistedQueryIds }),
    ),
    ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
  });
  const client = new ApolloClient({ link: shop.link, cache: createShopCache() });

  return {
    client,
    session,
    socket: shop.socket,
    async signIn(email, password) {
      const result = await client.mutate({ mutation: SignInDocument, variables: { email, password } });
      if (!result.data) throw new Error('sign-in returned no data');
      await session.signIn(result.data.login);
      // The socket was opened as the previous caller; the next subscription opens a new one.
      shop.wsClient.terminate();
      await client.clearStore();
    },
    async signOut() {
      const refreshToken = session.refreshToken;
      if (refreshToken) await client.mutate({ mutation: SignOutDocument, variables: { refreshToken } }).catch(() => undefined);
      await session.signOut();
      shop.wsClient.terminate();
      await client.clearStore();
    },
    async dispose() {
      client.stop();
      await shop.wsClient.dispose();
    },
  };
}
