import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphql } from '@shop/testing';
import { startStorefront, type Storefront } from '../scripts/src/storefront.js';
import { startSupergraph, type Supergraph } from './support/supergraph.js';

// The storefront's session endpoints against the real supergraph, as a browser uses them: the
// refresh token lives in an HttpOnly, SameSite=Strict cookie scoped to /auth/refresh, and every
// call must prove it comes from the page (CSRF header, same origin).
let sg: Supergraph;
let sf: Storefront;
let dir: string;
const password = 'a-strong-password-1';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'storefront-session-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>shop</title>');
  sg = await startSupergraph();
  sf = await startStorefront({ port: 0, distDir: join(dir, 'dist'), routerUrl: sg.url });
}, 120_000);

afterAll(async () => {
  await sf?.stop();
  await sg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const origin = () => new URL(sf.url).origin;
function call(method: string, path: string, options: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${origin()}${path}`, {
    method,
    headers: {
      'x-csrf-protection': '1',
      origin: origin(),
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
