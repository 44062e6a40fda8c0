import { CombinedGraphQLErrors } from '@apollo/client';
import type { GraphQLFormattedError } from 'graphql';
import type { AuthPayload } from './session.js';

/**
 * The storefront server's session endpoints (scripts/src/sessionEndpoints.ts) as a page on that
 * origin calls them: the refresh token stays in the HttpOnly cookie the server sets, every call
 * carries the CSRF header the server asks for, and a refusal comes back as the GraphQL errors
 * the server sent (so `describeError` words it like any other answer).
 */
export interface CookieSessionClient {
  /** For `createSession({ refreshInCookie: true, exchange })`: a new access token from the cookie, null when refused. */
  exchange(): Promise<AuthPayload | null>;
  login(email: string, password: string): Promise<AuthPayload>;
  register(input: { email: string; password: string; name: string | null }): Promise<AuthPayload>;
  /** Revokes the session on the server and clears the cookie. */
  logout(): Promise<void>;
}

const CSRF_HEADER = 'x-csrf-protection';

export function cookieSessionClient(options: { base?: string; fetch?: typeof fetch } = {}): CookieSessionClient {
  const base = options.base ?? '/auth';
  const call = (method: 'POST' | 'DELETE', path: string, body?: unknown) =>
    (options.fetch ?? fetch)(`${base}${path}`, {
      method,
      credentials: 'same-origin',
      headers: { [CSRF_HEADER]: '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const payload = async (response: Response): Promise<AuthPayload> => {
    const body = (await response.json().catch(() => null)) as (Partial<AuthPayload> & { errors?: GraphQLFormattedError[] }) | null;
    if (response.ok && body?.accessToken && body.user) return { accessToken: body.accessToken, user: body.user };
    const errors = body?.errors?.length ? body.errors : [{ message: `Sign-in failed (HTTP ${response.status})`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
    throw new CombinedGraphQLErrors({ errors });
  };
  return {
    async exchange() {
      const response = await call('POST', '/refresh');
      // No cookie, or one the server refused (and cleared): signed out. A server error is not an answer.
      if (response.status === 401 || response.status === 403) return null;
      if (response.status >= 500) throw new Error(`refresh failed: HTTP ${response.status}`);
      return payload(response);
    },
    login: async (email, password) => payload(await call('POST', '/login', { email, password })),
    register: async (input) => payload(await call('POST', '/register', input)),
    async logout() {
      await call('DELETE', '/refresh');
    },
  };
}
