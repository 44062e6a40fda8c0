import { createSession, refreshExchange } from '@shop/client-core';
import { print } from 'graphql';
import { useSyncExternalStore } from 'react';
import { graphql } from './gql/index.js';

const RefreshAdminSession = graphql(`
  mutation RefreshAdminSession($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      user {
        id
        email
        name
        role
      }
    }
  }
`);

/** The admin's session, apart from a shopper session on the same browser (own key prefix). */
export const session = createSession({
  storage: localStorage,
  keyPrefix: 'shop.admin',
  exchange: refreshExchange({ uri: '/graphql', query: print(RefreshAdminSession) }),
});
void session.restore();

export function useSession() {
  return useSyncExternalStore(session.subscribe, () => session.state);
}
