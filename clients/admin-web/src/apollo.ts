import { ApolloClient } from '@apollo/client';
import { createShopCache, createShopLink } from '@shop/client-core';
import { session } from './session.js';

// Everything the dashboard asks is for an admin: POSTs with the token, nothing public to cache.
const shop = createShopLink({
  session,
  httpUri: '/graphql',
  wsUrl: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
});

export const socket = shop.socket;
export const client = new ApolloClient({ link: shop.link, cache: createShopCache() });

/**
 * After sign-in or sign-out: nothing of the previous user may stay in the cache or on the socket.
 * Cleared, not reset: the pages about to mount ask for their own data, while a refetch of the
 * queries being left would only be aborted on the way out.
 */
export async function resetForNewUser(): Promise<void> {
  shop.wsClient.terminate();
  await client.clearStore();
}
