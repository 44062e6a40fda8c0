import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphql, graphqlOk } from '@shop/testing';
import { DASHBOARD_SESSION } from '../scripts/src/sessionEndpoints.js';
import { startStorefront, type Storefront } from '../scripts/src/storefront.js';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// The storefront's session endpoints against the real supergraph, as a browser uses them: the
// refresh token lives in an HttpOnly, SameSite=Strict cookie scoped to /auth/refresh, and every
// call must prove it comes from the page (CSRF header, same origin).
let sg: Supergraph;
let sf: Storefront;
let dashboard: Storefront;
let dir: string;
const password = 'a-strong-password-1';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'storefront-session-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>shop</title>');
  sg = await startSupergraph();
  sf = await startStorefront({ port: 0, distDir: join(dir, 'dist'), routerUrl: sg.url });
  dashboard = await startStorefront({ port: 0, distDir: join(dir, 'dist'), routerUrl: sg.url, session: DASHBOARD_SESSION });
}, 120_000);

afterAll(async () => {
  await sf?.stop();
  await dashboard?.stop();
  await sg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function call(method: string, path: string, options: { body?: unknown; cookie?: string; headers?: Record<string, string>; app?: Storefront } = {}) {
  const origin = new URL((options.app ?? sf).url).origin;
  return fetch(`${origin}${path}`, {
    method,
    headers: {
      'x-csrf-protection': '1',
      origin,
      'sec-fetch-site': 'same-origin',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}
const cookieOf = (response: Response) => response.headers.get('set-cookie') ?? '';
const valueOf = (setCookie: string) => setCookie.split(';')[0]!;

describe('storefront session endpoints', () => {
  it('signs up: the page gets the access token, the refresh token only as an HttpOnly, SameSite=Strict cookie for /auth/refresh', async () => {
    const response = await call('POST', '/auth/register', { body: { email: 'cookie@e2e.test', password, name: 'Cookie' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, any>;
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'user']);
    expect(body.user.email).toBe('cookie@e2e.test');
    expect((await graphql(sg.url, '{ me { email } }', {}, { token: body.accessToken })).data).toEqual({ me: { email: 'cookie@e2e.test' } });
    const setCookie = cookieOf(response);
    expect(setCookie).toMatch(/^shop_refresh=[A-Za-z0-9_-]{43}; /);
    expect(setCookie.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=2592000', 'Path=/auth/refresh', 'SameSite=Strict']);
  });

  it('refreshes with the cookie, rotating it; the old cookie then revokes the whole session', async () => {
    const login = await call('POST', '/auth/login', { body: { email: 'cookie@e2e.test', password } });
    const first = valueOf(cookieOf(login));
    const refreshed = await call('POST', '/auth/refresh', { cookie: first });
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as { user: { email: string } }).user.email).toBe('cookie@e2e.test');
    const second = valueOf(cookieOf(refreshed));
    expect(second).not.toBe(first);

    const replay = await call('POST', '/auth/refresh', { cookie: first });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(cookieOf(replay)).toMatch(/^shop_refresh=; .*Max-Age=0/);
    // Reuse revoked the family: the newer cookie is dead too.
    expect((await call('POST', '/auth/refresh', { cookie: second })).status).toBe(401);
  });

  it('signs out: the refresh token is revoked and the cookie cleared', async () => {
    const cookie = valueOf(cookieOf(await call('POST', '/auth/login', { body: { email: 'cookie@e2e.test', password } })));
    const out = await call('DELETE', '/auth/refresh', { cookie });
    expect(out.status).toBe(204);
    expect(cookieOf(out)).toMatch(/^shop_refresh=; .*Max-Age=0/);
    expect((await call('POST', '/auth/refresh', { cookie })).status).toBe(401);
  });

  it('refuses requests another site could make: no CSRF header, another Origin, a cross-site fetch', async () => {
    const cookie = valueOf(cookieOf(await call('POST', '/auth/login', { body: { email: 'cookie@e2e.test', password } })));
    const attempts = [
      call('POST', '/auth/refresh', { cookie, headers: { 'x-csrf-protection': '' } }),
      call('POST', '/auth/refresh', { cookie, headers: { origin: 'https://evil.example' } }),
      call('POST', '/auth/refresh', { cookie, headers: { 'sec-fetch-site': 'cross-site' } }),
      call('DELETE', '/auth/refresh', { cookie, headers: { origin: 'https://evil.example' } }),
      call('POST', '/auth/login', { body: { email: 'cookie@e2e.test', password }, headers: { origin: 'https://evil.example' } }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
      expect(cookieOf(response)).toBe('');
    }
    // The cookie survived all of it.
    expect((await call('POST', '/auth/refresh', { cookie })).status).toBe(200);
  });

  it("passes the router's refusals on with their codes, and refreshes nothing without a cookie", async () => {
    const wrong = await call('POST', '/auth/login', { body: { email: 'cookie@e2e.test', password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await call('POST', '/auth/refresh')).status).toBe(401);
    expect((await call('GET', '/auth/refresh')).status).toBe(405);
  });
});

describe("the dashboard's session endpoints: a cookie of their own, for administrators only", () => {
  const login = (email: string, pass: string) => call('POST', '/auth/login', { body: { email, password: pass }, app: dashboard });

  it('signs an admin in with the role in the answer and its own cookie, which the storefront does not take', async () => {
    const response = await login(ADMIN.email, ADMIN.password);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { user: { email: string; role: string } };
    expect(body.user).toMatchObject({ email: ADMIN.email, role: 'ADMIN' });
    const cookie = valueOf(cookieOf(response));
    expect(cookie).toMatch(/^shop_admin_refresh=[A-Za-z0-9_-]{43}$/);
    expect(cookieOf(response).split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=2592000', 'Path=/auth/refresh', 'SameSite=Strict']);
    expect((await call('POST', '/auth/refresh', { cookie })).status).toBe(401);
    // Both sessions in one browser: each server reads its own cookie only.
    const shopperCookie = valueOf(cookieOf(await call('POST', '/auth/login', { body: { email: 'cookie@e2e.test', password } })));
    const refreshed = await call('POST', '/auth/refresh', { cookie: `${shopperCookie}; ${cookie}`, app: dashboard });
    expect(((await refreshed.json()) as { user: { email: string } }).user.email).toBe(ADMIN.email);
  });

  it('gives a customer no session, in words, and ends one whose admin role was taken away', async () => {
    const refused = await login('cookie@e2e.test', password);
    expect(refused.status).toBe(403);
    const error = ((await refused.json()) as any).errors[0];
    expect(error.extensions.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/ADMIN accounts only/);
    expect(cookieOf(refused)).toMatch(/^shop_admin_refresh=; .*Max-Age=0/);

    const admin = (await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password })).login.accessToken;
    const helper = await graphqlOk(sg.url, 'mutation($i: RegisterInput!) { register(input: $i) { user { id } } }', { i: { email: 'helper@e2e.test', password } });
    const setRole = (role: string) => graphqlOk(sg.url, 'mutation($u: ID!, $r: Role!) { setUserRole(userId: $u, role: $r) { role } }', { u: helper.register.user.id, r: role }, { token: admin });
    await setRole('ADMIN');
    const cookie = valueOf(cookieOf(await login('helper@e2e.test', password)));
    expect(cookie).toMatch(/^shop_admin_refresh=./);
    await setRole('CUSTOMER');
    const demoted = await call('POST', '/auth/refresh', { cookie, app: dashboard });
    expect(demoted.status).toBe(403);
    expect(cookieOf(demoted)).toMatch(/^shop_admin_refresh=; .*Max-Age=0/);
  });
});
