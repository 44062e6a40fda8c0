/**
 * Who is signed in, for any client (browser, React Native, Node). Tokens sit in memory and in a
 * `TokenStorage` the app provides (AsyncStorage, a keychain), so a restart keeps the session. A
 * browser page leaves the refresh token to the server instead (`refreshInCookie`): an HttpOnly
 * cookie script cannot read, the access token in memory only, and a reload asks the server again.
 * One refresh runs at a time: concurrent callers share it, because the server rotates refresh
 * tokens and refuses a reused one.
 */
export interface SessionUser {
  id: string;
  email: string;
  name?: string | null;
  role?: string;
}

export interface AuthPayload {
  accessToken: string;
  /** Absent when the server keeps it (`refreshInCookie`). */
  refreshToken?: string | null;
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
  /** Where the session outlives a restart; without one it lives in memory only. */
  storage?: TokenStorage;
  /** Prefix of the storage keys, so two apps on one origin keep separate sessions. */
  keyPrefix?: string;
  /**
   * Trades a refresh token for a new pair; null when the server refuses it. Throws when offline.
   * With `refreshInCookie` it gets null: the browser sends the cookie itself.
   */
  exchange(refreshToken: string | null): Promise<AuthPayload | null>;
  /** The refresh token is an HttpOnly cookie the app never sees: `restore` asks the server for a session. */
  refreshInCookie?: boolean;
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
  const inCookie = options.refreshInCookie ?? false;
  const storage = options.storage ?? memoryStorage();
  const early = options.earlySeconds ?? 30;
  const listeners = new Set<() => void>();
  let state: SessionState = { accessToken: null, user: null };
  let refreshToken: string | null = null;
  let refreshing: Promise<string | null> | null = null;

  const persist = (key: string, value: string | null) => (value === null ? storage.removeItem(key) : storage.setItem(key, value));

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
    /** Whether `refresh` can get a new access token (a refresh token in hand, or a signed-in cookie session). */
    get canRefresh(): boolean {
      return inCookie ? state.user !== null : refreshToken !== null;
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /**
     * Loads a stored session (call once at start; synchronous storage is read at once), or with
     * `refreshInCookie` the server's: signed out when it has none or cannot be reached.
     */
    async restore(): Promise<void> {
      if (inCookie) {
        const auth = await options.exchange(null).catch(() => null);
        if (auth) await session.signIn(auth);
        return;
      }
      const [access, refresh, user] = await Promise.all([storage.getItem(keys.access), storage.getItem(keys.refresh), storage.getItem(keys.user)]);
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
      return set({ accessToken: auth.accessToken, user: auth.user }, auth.refreshToken ?? null);
    },
    signOut(): Promise<void> {
      return set({ accessToken: null, user: null }, null);
    },
    /** A new access token from the refresh token, or null (and signed out) when it is refused. */
    refresh(): Promise<string | null> {
      refreshing ??= (async () => {
        const token = refreshToken;
        if (!session.canRefresh) return null;
        let auth: AuthPayload | null;
        try {
          auth = await options.exchange(inCookie ? null : token);
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

function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}
