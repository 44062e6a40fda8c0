import { createClient, type Client } from 'graphql-ws';

/** The page talks to its own origin: the storefront server proxies /graphql to the router. */
const HTTP_URL = '/graphql';
const wsUrl = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;

const KEYS = { token: 'shop.accessToken', refresh: 'shop.refreshToken', email: 'shop.email', guestCart: 'shop.guestCartId' };

export const session = {
  get token(): string | null {
    return localStorage.getItem(KEYS.token);
  },
  get email(): string | null {
    return localStorage.getItem(KEYS.email);
  },
  get guestCartId(): string | null {
    return localStorage.getItem(KEYS.guestCart);
  },
  set guestCartId(id: string | null) {
    if (id) localStorage.setItem(KEYS.guestCart, id);
    else localStorage.removeItem(KEYS.guestCart);
  },
  signIn(auth: { accessToken: string; refreshToken: string; user: { email: string } }): void {
    localStorage.setItem(KEYS.token, auth.accessToken);
    localStorage.setItem(KEYS.refresh, auth.refreshToken);
    localStorage.setItem(KEYS.email, auth.user.email);
    closeSocket();
  },
  signOut(): void {
    for (const key of [KEYS.token, KEYS.refresh, KEYS.email]) localStorage.removeItem(key);
    closeSocket();
  },
};

/** A GraphQL error as the server worded it, with its code (`extensions.code`) when present. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function post<T>(query: string, variables: Record<string, unknown>, token: string | null): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(HTTP_URL, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new GraphQLRequestError('The shop cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new GraphQLRequestError(`The shop answered ${response.status} ${response.statusText}`.trim());
  }
}

let refreshing: Promise<boolean> | null = null;

/** Trades the stored refresh token for a new pair once; false (and signed out) when it fails. */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = localStorage.getItem(KEYS.refresh);
    if (!refreshToken) return false;
    const result = await post<{ refreshToken: AuthPayload }>(
      `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken user { id email } } }`,
      { t: refreshToken },
      null,
    ).catch(() => null);
    if (result?.data?.refreshToken) {
      session.signIn(result.data.refreshToken);
      return true;
    }
    session.signOut();
    return false;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Runs one operation; the first GraphQL error is thrown with its own message. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, options: { anonymous?: boolean } = {}): Promise<T> {
  const token = options.anonymous ? null : session.token;
  let result = await post<T>(query, variables, token);
  const code = result.errors?.[0]?.extensions?.code;
  if (token && code === 'UNAUTHENTICATED') {
    if (await refreshSession()) result = await post<T>(query, variables, session.token);
  }
  const error = result.errors?.[0];
  if (error) throw new GraphQLRequestError(error.message, error.extensions?.code);
  if (!result.data) throw new GraphQLRequestError('The shop sent an empty answer.');
  return result.data;
}

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string };
}

let socket: Client | null = null;
let socketToken: string | null = null;
let socketOpen = false;
const whenConnected = new Set<() => void>();

function closeSocket(): void {
  void socket?.dispose();
  socket = null;
  socketToken = null;
  socketOpen = false;
}

/** One graphql-ws connection per signed-in session, authenticated in connectionParams. */
function ws(): Client {
  const token = session.token;
  if (socket && socketToken === token) return socket;
  closeSocket();
  socketToken = token;
  const client = createClient({
    url: wsUrl(),
    lazy: true,
    retryAttempts: 5,
    connectionParams: () => (session.token ? { authorization: `Bearer ${session.token}` } : {}),
    on: {
      connected: () => {
        if (socket !== client) return;
        socketOpen = true;
        for (const notify of whenConnected) notify();
      },
      closed: () => {
        if (socket === client) socketOpen = false;
      },
    },
  });
  socket = client;
  return client;
}

export interface Subscription {
  dispose(): void;
}

/** Subscribes over WebSocket; each result or error goes to the callbacks. */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  handlers: { next(data: T): void; error(error: GraphQLRequestError): void; connected?(): void },
): Subscription {
  const client = ws();
  const connected = () => handlers.connected?.();
  whenConnected.add(connected);
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        const error = result.errors?.[0];
        if (error) handlers.error(new GraphQLRequestError(error.message, (error.extensions as { code?: string } | undefined)?.code));
        else if (result.data) handlers.next(result.data as T);
      },
      error: (error) => {
        const message =
          Array.isArray(error) && error[0] && typeof error[0].message === 'string'
            ? (error[0].message as string)
            : error instanceof Error
              ? error.message
              : 'The live connection closed.';
        handlers.error(new GraphQLRequestError(message));
      },
      complete: () => undefined,
    },
  );
  if (socketOpen) queueMicrotask(connected);
  return {
    dispose: () => {
      whenConnected.delete(connected);
      dispose();
    },
  };
}
