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

export async function resetForNewUser(): Promise<void> {
  shop.wsClient.terminate();
  await client.resetStore();
}
