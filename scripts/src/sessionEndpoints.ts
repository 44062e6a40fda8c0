import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '@shop/subgraph-kit';

/**
 * The storefront's session endpoints (`/auth/*`): the web page never sees a refresh token. It
 * signs in here, and the server keeps the refresh token in a cookie the page cannot read
 * (`HttpOnly`), that the browser sends to `/auth/refresh` only (`Path`) and never on a request
 * another site starts (`SameSite=Strict`). The page keeps only the short-lived access token, in
 * memory, and asks `/auth/refresh` for a new one (a reload, an expiry).
 *
 * `user` is `{ id, email, name, role }`.
 *
 *   POST   /auth/login     { email, password }         -> 200 { accessToken, user }  + cookie
 *   POST   /auth/register  { email, password, name }   -> 200 { accessToken, user }  + cookie
 *   POST   /auth/refresh   (cookie)                    -> 200 { accessToken, user }  + new cookie (rotated)
 *   DELETE /auth/refresh   (cookie)                    -> 204, session revoked, cookie cleared
 *
 * Failures: `{ errors: [{ message, extensions: { code } }] }` with the router's code
 * (UNAUTHENTICATED 401, BAD_USER_INPUT 400, RATE_LIMITED 429, ...).
 *
 * CSRF: besides SameSite, every call must carry `X-CSRF-Protection: 1` (a header a cross-site
 * form cannot set, and a cross-site script cannot send without a CORS preflight this server never
 * allows) and, when the browser says where it comes from (`Origin`, `Sec-Fetch-Site`), come from
 * this same origin; otherwise 403 FORBIDDEN. A React rewrite of the page keeps these endpoints.
 *
 * Each app served this way has its own cookie (`SessionOptions.cookie`): browsers do not keep
 * cookies apart by port, so the storefront (:3000) and the dashboard (:3001) on one host would
 * otherwise overwrite each other's session. An app for one role (`SessionOptions.role`, the
 * dashboard's ADMIN) gets no session for anyone else: login and refresh answer 403 FORBIDDEN and
 * the refresh token just issued is revoked, so a customer's password opens nothing there.
 */
export const SESSION_PATH = '/auth';
export const REFRESH_PATH = '/auth/refresh';
/** The storefront's cookie. */
export const REFRESH_COOKIE = 'shop_refresh';
export const CSRF_HEADER = 'x-csrf-protection';

/** The admin dashboard's sessions: a cookie of its own, for ADMIN accounts only. */
export const DASHBOARD_SESSION: SessionOptions = { cookie: 'shop_admin_refresh', role: 'ADMIN' };

// As long as the refresh token itself lives (users: 30 days); rotation renews it.
const REFRESH_COOKIE_MAX_AGE = 30 * 24 * 3600;
const MAX_BODY_BYTES = 16 * 1024;

const AUTH_FIELDS = 'accessToken refreshToken user { id email name role }';
const LOGIN = `mutation StorefrontLogin($email: String!, $password: String!) { login(email: $email, password: $password) { ${AUTH_FIELDS} } }`;
const REGISTER = `mutation StorefrontRegister($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`;
const REFRESH = `mutation StorefrontRefresh($token: String!) { refreshToken(refreshToken: $token) { ${AUTH_FIELDS} } }`;
const LOGOUT = 'mutation StorefrontLogout($token: String!) { logout(refreshToken: $token) }';

interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; name: string | null; role: string };
}

export interface SessionOptions {
  /** The refresh-token cookie's name (default `shop_refresh`). */
  cookie?: string;
  /** The only role this app serves sessions to (e.g. ADMIN); any role when unset. */
  role?: string;
}

type Failure = { message: string; extensions?: { code?: string } };

/** Calls the router as the browser's proxy: `forwardedFor` says who the client is (sign-in throttling). */
export type RouterCall = (query: string, variables: Record<string, unknown>, forwardedFor: string) => Promise<{ data?: any; errors?: Failure[] }>;

/** Handles `/auth/*`; resolves false for any other path, which the caller serves itself. */
export async function handleSessionRequest(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  call: RouterCall,
  forwardedFor: string,
  options: SessionOptions = {},
): Promise<boolean> {
  const cookieName = options.cookie ?? REFRESH_COOKIE;
  const refreshCookie = (value: string, maxAge: number, secure: boolean) => cookieHeader(cookieName, value, maxAge, secure);
  if (path !== REFRESH_PATH && path !== `${SESSION_PATH}/login` && path !== `${SESSION_PATH}/register`) return false;
  const allowed = path === REFRESH_PATH ? ['POST', 'DELETE'] : ['POST'];
  if (!allowed.includes(req.method ?? '')) {
    answer(res, 405, { errors: [{ message: `Use ${allowed.join(' or ')}`, extensions: { code: 'BAD_REQUEST' } }] }, { allow: allowed.join(', ') });
    return true;
  }
  const refusal = crossSiteRefusal(req);
  if (refusal) {
    answer(res, 403, { errors: [{ message: refusal, extensions: { code: 'FORBIDDEN' } }] });
    return true;
  }
  const secure = isHttps(req);
  const refreshToken = cookieOf(req, cookieName);

  if (path === REFRESH_PATH && req.method === 'DELETE') {
    if (refreshToken) await call(LOGOUT, { token: refreshToken }, forwardedFor);
    answer(res, 204, null, { 'set-cookie': refreshCookie('', 0, secure) });
    return true;
  }
  let query: string;
  let variables: Record<string, unknown>;
  if (path === REFRESH_PATH) {
    if (!refreshToken) {
      answer(res, 401, { errors: [{ message: 'Not signed in', extensions: { code: 'UNAUTHENTICATED' } }] });
      return true;
    }
    [query, variables] = [REFRESH, { token: refreshToken }];
  } else {
    const body = await jsonBody(req);
    if (!body) {
      answer(res, 400, { errors: [{ message: 'The body must be a JSON object', extensions: { code: 'BAD_REQUEST' } }] });
      return true;
    }
    [query, variables] =
      path === `${SESSION_PATH}/login`
        ? [LOGIN, { email: body.email, password: body.password }]
        : [REGISTER, { input: { email: body.email, password: body.password, name: body.name ?? null } }];
  }
  const result = await call(query, variables, forwardedFor);
  const payload = (result.data ? Object.values(result.data)[0] : null) as AuthPayload | null;
  if (!payload) {
    const errors = result.errors?.length ? result.errors : [{ message: 'Sign-in failed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
    // A refused refresh token is of no use any more: the cookie goes with it.
    const clear = path === REFRESH_PATH ? { 'set-cookie': refreshCookie('', 0, secure) } : undefined;
    answer(res, statusOf(errors[0]?.extensions?.code), { errors: errors.map(({ message, extensions }) => ({ message, extensions })) }, clear);
    return true;
  }
  if (options.role !== undefined && payload.user.role !== options.role) {
    await call(LOGOUT, { token: payload.refreshToken }, forwardedFor);
    const refusal = { message: `This app is for ${options.role} accounts only; ${payload.user.email} is ${payload.user.role}.`, extensions: { code: 'FORBIDDEN' } };
    answer(res, 403, { errors: [refusal] }, { 'set-cookie': refreshCookie('', 0, secure) });
    return true;
  }
  answer(res, 200, { accessToken: payload.accessToken, user: payload.user }, { 'set-cookie': refreshCookie(payload.refreshToken, REFRESH_COOKIE_MAX_AGE, secure) });
  return true;
}

/** Why a request is refused as cross-site, or null when it comes from this origin. */
function crossSiteRefusal(req: IncomingMessage): string | null {
  if (req.headers[CSRF_HEADER] !== '1') return `Session requests must carry ${CSRF_HEADER}: 1`;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return 'Cross-site session requests are refused';
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return 'Cross-site session requests are refused';
    }
    if (host !== req.headers.host) return 'Cross-site session requests are refused';
  }
  return null;
}

function cookieHeader(name: string, value: string, maxAge: number, secure: boolean): string {
  return [`${name}=${value}`, `Path=${REFRESH_PATH}`, `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}

function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name && value.length > 0) return value.join('=') || null;
  }
  return null;
}

// Behind a TLS-terminating proxy the request itself is plain HTTP; the proxy says what it was.
function isHttps(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  try {
    const parsed: unknown = JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function statusOf(code: string | undefined): number {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'BAD_USER_INPUT':
    case 'CONFLICT':
    case 'BAD_REQUEST':
      return 400;
    case 'RATE_LIMITED':
      return 429;
    default:
      return 502;
  }
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === null ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === null ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}
