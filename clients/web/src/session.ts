import { print } from 'graphql';
import { useSyncExternalStore } from 'react';
import { graphql } from './gql/index.js';

/**
 * Who is signed in. The access token lives in memory and localStorage (so a reload keeps the
 * session); the refresh token is kept by `refreshStore` until issue 12 moves it into an HttpOnly
 * cookie, at which point only that store changes. One refresh runs at a time: concurrent callers
 * share it, because the server rotates refresh tokens and refuses a reused one.
 */
export interface SessionUser {
  id: string;
  email: string;
  name?: string | null;
}

interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  user: SessionUser;
}

interface SessionState {
  accessToken: string | null;
  user: SessionUser | null;
}

const KEYS = { access: 'shop.accessToken', refresh: 'shop.refreshToken', user: 'shop.user' } as const;

const refreshStore = {
  get: () => localStorage.getItem(KEYS.refresh),
  set: (token: string | null) => (token ? localStorage.setItem(KEYS.refresh, token) : localStorage.removeItem(KEYS.refresh)),
};

function readUser(): SessionUser | null {
  try {
    const raw = localStorage.getItem(KEYS.user);
    return raw ? (JSON.parse(raw) as SessionUser) : null;
  } catch {
    return null;
  }
}

let state: SessionState = { accessToken: localStorage.getItem(KEYS.access), user: readUser() };
const listeners = new Set<() => void>();

function setState(next: SessionState): void {
  state = next;
  if (next.accessToken) localStorage.setItem(KEYS.access, next.accessToken);
  else localStorage.removeItem(KEYS.access);
  if (next.user) localStorage.setItem(KEYS.user, JSON.stringify(next.user));
  else localStorage.removeItem(KEYS.user);
  for (const listener of listeners) listener();
}

/** Seconds since the epoch at which a JWT expires, or null when it cannot be read. */
export function tokenExpiry(token: string): number | null {
  try {
    const payload = token.split('.')[1];
    if (!payload) return null;
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp : null;
  } catch {
    return null;
  }
}

// Refresh this long before expiry, so a request or a new socket never carries a dying token.
const EARLY_SECONDS = 30;
// Sent with fetch, not through Apollo Client, whose auth link waits for this very refresh.
const REFRESH_MUTATION = print(
  graphql(`
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
  `),
);

let refreshing: Promise<string | null> | null = null;

export const session = {
  get accessToken(): string | null {
    return state.accessToken;
  },
  get user(): SessionUser | null {
    return state.user;
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  signIn(auth: AuthPayload): void {
    refreshStore.set(auth.refreshToken);
    setState({ accessToken: auth.accessToken, user: auth.user });
  },
  signOut(): void {
    refreshStore.set(null);
    setState({ accessToken: null, user: null });
  },
  /** The refresh token to revoke on sign-out (the server's logout takes it). */
  get refreshToken(): string | null {
    return refreshStore.get();
  },
  /** A new access token from the refresh token, or null (and signed out) when that fails. */
  refresh(): Promise<string | null> {
    refreshing ??= (async () => {
      const refreshToken = refreshStore.get();
      if (!refreshToken) return null;
      try {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
          body: JSON.stringify({ query: REFRESH_MUTATION, variables: { refreshToken } }),
        });
        const body = (await response.json()) as { data?: { refreshToken?: AuthPayload } | null };
        const auth = body.data?.refreshToken;
        if (auth) {
          session.signIn(auth);
          return auth.accessToken;
        }
      } catch {
        // Offline: keep the session, the next request tries again.
        return state.accessToken;
      }
      session.signOut();
      return null;
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  },
  /** The access token to send now: refreshed first when it is about to expire. */
  async validAccessToken(now = Date.now()): Promise<string | null> {
    const token = state.accessToken;
    if (!token) return null;
    const exp = tokenExpiry(token);
    if (exp !== null && exp - EARLY_SECONDS <= now / 1000) return session.refresh();
    return token;
  },
};

/** The signed-in user for a component, re-rendering on sign-in and sign-out. */
export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, () => state);
}
