import type { EventBus } from '@shop/events';
import { createPostgres, type Postgres } from '@shop/postgres';
import { createAccessTokenVerifier, createLogger, generateKeyJwk, type AccessTokenVerifier, type Execution, type KeySource } from '@shop/subgraph-kit';
import { createTestDatabase, graphqlOk, callAsRouter, testServiceTrust } from '@shop/testing';
import type { Catalog } from '../src/catalog.js';
import type { AdminAccount } from '../src/config.js';
import type { UsersDatabase } from '../src/db/schema.js';
import type { LoginRateLimit } from '../src/loginThrottle.js';
import { createUsersSubgraph, type UsersSubgraph } from '../src/server.js';

export interface RunningUsers {
  url: string;
  /** Where users publishes its public keys: what JWKS_URL points at. */
  jwksUrl: string;
  /** Verifies tokens the way every other service does: against `jwksUrl`. */
  verifier: AccessTokenVerifier;
  databaseUrl: string;
  subgraph: UsersSubgraph;
  stop(): Promise<void>;
}

// Every request of a suite comes from 127.0.0.1: the per-address limit is lifted so suites that
// sign in often are not throttled. The rate-limit suite sets its own limits.
const RELAXED_LOGIN_RATE_LIMIT: LoginRateLimit = { maxFailuresPerEmail: 5, maxAttemptsPerIp: 100_000, windowSeconds: 900 };

export interface StartUsersOptions {
  databaseUrl?: string;
  admin?: AdminAccount;
  /** Sign-in rate limits in this Redis (shared by replicas); in process without it. */
  redisUrl?: string;
  loginRateLimit?: LoginRateLimit;
  /** JWT_PRIVATE_KEY; default a fresh key. */
  jwtPrivateKey?: string;
  /** JWT_PRIVATE_KEY_FILE instead of the key's text. */
  jwtPrivateKeyFile?: string;
  /** Default a free one. */
  port?: number;
  /** SERVICE_JWKS_URL: the public keys of the services that may call besides the test router; default none. */
  serviceKeys?: KeySource;
  /** The catalog the wishlist asks; default: an address nothing answers on. */
  productsUrl?: string;
  /** Stands in for the products subgraph as the wishlist's catalog. */
  catalog?: Catalog;
  /** The event bus (default: an in-process one of the subgraph's own). */
  bus?: EventBus;
  execution?: Execution;
}

/** The real subgraph on a free port, over its own fresh database unless one is given. */
export async function startUsers(options: StartUsersOptions = {}): Promise<RunningUsers> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase('users'));
  const trust = await testServiceTrust();
  const subgraph = await createUsersSubgraph(
    {
      port: 0,
      databaseUrl,
      redisUrl: options.redisUrl,
      jwtPrivateKey: options.jwtPrivateKeyFile ? { file: options.jwtPrivateKeyFile } : { text: options.jwtPrivateKey ?? JSON.stringify(await generateKeyJwk()) },
      serviceKeys: typeof options.serviceKeys === 'string' ? options.serviceKeys : { keys: [...trust.router.keySet.keys, ...(options.serviceKeys?.keys ?? [])] },
      servicePrivateKey: { text: (await trust.serviceKey('users')).privateKey },
      admin: options.admin ?? null,
      loginRateLimit: options.loginRateLimit ?? RELAXED_LOGIN_RATE_LIMIT,
      productsUrl: options.productsUrl ?? 'http://127.0.0.1:9/graphql',
      logLevel: 'silent',
    },
    {
      logger: createLogger({ service: 'users', level: 'silent' }),
      ...(options.catalog ? { catalog: options.catalog } : {}),
      ...(options.bus ? { bus: options.bus } : {}),
      ...(options.execution ? { execution: options.execution } : {}),
    },
  );
  const { url } = await subgraph.listen(options.port ?? 0, '127.0.0.1');
  callAsRouter(url, 'users');
  const jwksUrl = new URL('/.well-known/jwks.json', url).toString();
  return { url, jwksUrl, verifier: createAccessTokenVerifier(jwksUrl), databaseUrl, subgraph, stop: () => subgraph.stop() };
}

/** Direct access to the subgraph's tables, for what only the store can show (hashes, expiry). */
export function openDatabase(databaseUrl: string): Postgres<UsersDatabase> {
  return createPostgres<UsersDatabase>({ url: databaseUrl, maxConnections: 2 });
}

export const AUTH_FIELDS = 'accessToken refreshToken user { id email name role createdAt }';

export const REGISTER = `mutation Register($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`;
export const LOGIN = `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { ${AUTH_FIELDS} } }`;
export const REFRESH = `mutation Refresh($token: String!) { refreshToken(refreshToken: $token) { ${AUTH_FIELDS} } }`;
export const LOGOUT = `mutation Logout($token: String!) { logout(refreshToken: $token) }`;
export const CHANGE_PASSWORD = `mutation Change($current: String!, $next: String!) {
  changePassword(currentPassword: $current, newPassword: $next)
}`;
export const ME = '{ me { id email name role createdAt } }';

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; name: string | null; role: 'CUSTOMER' | 'ADMIN'; createdAt: string };
}

let counter = 0;
/** An email no other test in this file uses. */
export function uniqueEmail(label = 'user'): string {
  counter += 1;
  return `${label}.${counter}.${Date.now()}@example.com`;
}

export const GOOD_PASSWORD = 'correct horse battery staple';

export async function registerUser(
  url: string,
  input: { email?: string; password?: string; name?: string | null } = {},
): Promise<AuthPayload> {
  const data = await graphqlOk<{ register: AuthPayload }>(url, REGISTER, {
    input: { email: input.email ?? uniqueEmail(), password: input.password ?? GOOD_PASSWORD, name: input.name ?? null },
  });
  return data.register;
}

export async function login(url: string, email: string, password: string): Promise<AuthPayload> {
  return (await graphqlOk<{ login: AuthPayload }>(url, LOGIN, { email, password })).login;
}
