/**
 * Who is signed in, for any client (browser, React Native, Node). Tokens sit in memory and in a
 * `TokenStorage` the app provides (localStorage, AsyncStorage, a keychain), so a restart keeps
 * the session. One refresh runs at a time: concurrent callers share it, because the server
 * rotates refresh tokens and refuses a reused one.
 */
export interface SessionUser {
  id: string;
  email: string;
  name?: string | null;
  role?: string;
}

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  user: SessionUser;
}

export interface SessionState {
  accessToken: string | null;
  user: SessionUser | null;
}

/** Synchronous (localStorage) or asynchronous (AsyncStorage) key-value storage. */
export interface TokenStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

export interface SessionOptions {
  storage: TokenStorage;
  /** Prefix of the storage keys, so two apps on one origin keep separate sessions. */
  keyPrefix?: string;
  /** Trades a refresh token for a new pair; null when the server refuses it. Throws when offline. */
  exchange(refreshToken: string): Promise<AuthPayload | null>;
  /** Seconds before expiry at which a token counts as expired (default 30). */
  earlySeconds?: number;
  now?: () => number;
}

export type Session = ReturnType<typeof createSession>;

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

export function createSession(options: SessionOptions) {
  const prefix = options.keyPrefix ?? 'shop';
  const keys = { access: `${prefix}.accessToken`, refresh: `${prefix}.refreshToken`, user: `${prefix}.user` };
  const now = options.now ?? Date.now;
  const early = options.earlySeconds ?? 30;
  const listeners = new Set<() => void>();
  let state: SessionState = { accessToken: null, user: null };
  let refreshToken: string | null = null;
  let refreshing: Promise<string | null> | null = null;

  const persist = (key: string, value: string | null) => (value === null ? options.storage.removeItem(key) : options.storage.setItem(key, value));

  const set = (next: SessionState, nextRefresh: string | null): Promise<void> => {
    state = next;
    refreshToken = nextRefresh;
    for (const listener of listeners) listener();
    return Promise.all([
      persist(keys.access, next.accessToken),
      persist(keys.user, next.user ? JSON.stringify(next.user) : null),
      persist(keys.refresh, nextRefresh),
    ]).then(() => undefined);
  };

  const session = {
    get state(): SessionState {
      return state;
    },
    get accessToken(): string | null {
      return state.accessToken;
    },
    get user(): SessionUser | null {
      return state.user;
    },
    get refreshToken(): string | null {
      return refreshToken;
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Loads a stored session (call once at start; synchronous storage is read at once). */
    async restore(): Promise<void> {
      const [access, refresh, user] = await Promise.all([options.storage.getItem(keys.access), options.storage.getItem(keys.refresh), options.storage.getItem(keys.user)]);
      let parsed: SessionUser | null;
      try {
        parsed = user ? (JSON.parse(user) as SessionUser) : null;
      } catch {
        parsed = null;
      }
      state = { accessToken: access, user: parsed };
      refreshToken = refresh;
      for (const listener of listeners) listener();
    },
    signIn(auth: AuthPayload): Promise<void> {
      return set({ accessToken: auth.accessToken, user: auth.user }, auth.refreshToken);
    },
    signOut(): Promise<void> {
      return set({ accessToken: null, user: null }, null);
    },
    /** A new access token from the refresh token, or null (and signed out) when it is refused. */
    refresh(): Promise<string | null> {
      refreshing ??= (async () => {
        const token = refreshToken;
        if (!token) return null;
        let auth: AuthPayload | null;
        try {
          auth = await options.exchange(token);
        } catch {
          // Offline or the server is down: keep the session; the next request tries again.
          return state.accessToken;
        }
        if (auth) {
          await session.signIn(auth);
          return auth.accessToken;
        }
        await session.signOut();
        return null;
      })().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },
    /** The access token to send now: refreshed first when it is about to expire. */
    async validAccessToken(): Promise<string | null> {
      const token = state.accessToken;
      if (!token) return null;
      const exp = tokenExpiry(token);
      if (exp !== null && exp - early <= now() / 1000) return session.refresh();
      return token;
    },
  };
  return session;
}
