import { cookieSessionClient, createSession } from '@shop/client-core';
import { useSyncExternalStore } from 'react';

/**
 * The dashboard server's session endpoints (/auth/*, as the storefront's): the refresh token is
 * an HttpOnly cookie of the dashboard's own (`shop_admin_refresh`, apart from a shopper session
 * in the same browser) that this page never sees; the access token lives in memory only, and a
 * reload asks /auth/refresh for a new one (main.tsx waits for that answer). The server gives
 * sessions to ADMIN accounts only.
 */
export const auth = cookieSessionClient();

/** The admin's session. */
export const session = createSession({ refreshInCookie: true, exchange: () => auth.exchange() });

export function useSession() {
  return useSyncExternalStore(session.subscribe, () => session.state);
}
