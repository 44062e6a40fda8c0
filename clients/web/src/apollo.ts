import { ApolloClient } from '@apollo/client';
import { createShopCache, createShopLink } from '@shop/client-core';
import { session } from './session.js';

/**
 * One Apollo Client for the storefront, on its own origin (the storefront server proxies
 * /graphql, HTTP and WebSocket, to the router). The catalogue queries below go out as hashed
 * GETs without credentials, which the service worker keeps for offline visits.
 */
export const PUBLIC_OPERATIONS = new Set(['Catalogue', 'Categories', 'ProductPage', 'ProductReviews', 'FrequentlyBoughtTogether']);

const shop = createShopLink({
  session,
  httpUri: '/graphql',
  wsUrl: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
  publicOperations: PUBLIC_OPERATIONS,
});

export const socket = shop.socket;
export const client = new ApolloClient({ link: shop.link, cache: createShopCache() });

/** After sign-in or sign-out: nothing of the previous user may stay on screen or on the socket. */
export async function resetForNewUser(): Promise<void> {
  shop.wsClient.terminate();
  await client.resetStore();
}
