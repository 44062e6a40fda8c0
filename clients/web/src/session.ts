import { cookieSessionClient, createSession } from '@shop/client-core';
import { useSyncExternalStore } from 'react';

/**
 * The storefront server's session endpoints (/auth/*): the refresh token is an HttpOnly,
 * SameSite=Strict cookie for /auth/refresh that this page never sees; the access token lives in
 * memory only, so a reload asks /auth/refresh for a new one (main.tsx waits for that answer).
 */
export const auth = cookieSessionClient();

/** The shopper's session. */
export const session = createSession({ refreshInCookie: true, exchange: () => auth.exchange() });

/** The signed-in user for a component, re-rendering on sign-in and sign-out. */
export function useSession() {
  return useSyncExternalStore(session.subscribe, () => session.state);
}
