import { createSession, refreshExchange } from '@shop/client-core';
import { print } from 'graphql';
import { useSyncExternalStore } from 'react';
import { graphql } from './gql/index.js';

const RefreshSession = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      user {
        id
        email
        name
      }
    }
  }
`);

/**
 * The shopper's session. Tokens are kept in localStorage until issue 12 moves the refresh token
 * into an HttpOnly cookie; then only `storage` and `exchange` change here.
 */
export const session = createSession({
  storage: localStorage,
  keyPrefix: 'shop',
  exchange: refreshExchange({ uri: '/graphql', query: print(RefreshSession) }),
});
// localStorage answers synchronously: the stored session is there before the first render.
void session.restore();

/** The signed-in user for a component, re-rendering on sign-in and sign-out. */
export function useSession() {
  return useSyncExternalStore(session.subscribe, () => session.state);
}
