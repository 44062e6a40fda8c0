import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SubgraphServer } from '@shop/subgraph-kit';
import { testRouterKey } from '@shop/testing';
import { describeWithChromium, openBrowser, type BrowserSession } from '../../test/support/browser.js';
import { createRouter, type Router, type RouterOptions } from '../src/index.js';
import { keySet, logger, startCatalogAndPrices, tokenFor } from './fixtures.js';

// Browsers on other origins (a storefront on its own domain, a partner's web app) call the router
// only if it answers CORS as browsers check it: the preflight, then the headers on the answer.

const SHOP = 'https://shop.example.com';
const QUERY = JSON.stringify({ query: '{ items(first: 1) { id name price } }' });

let servers: SubgraphServer[];
let supergraphSdl: string;
const routers: Router[] = [];

async function start(options: Partial<RouterOptions>): Promise<string> {
  const router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, accessTokens: keySet, ...options });
  routers.push(router);
  return (await router.listen(0, '127.0.0.1')).url;
}

const preflight = (url: string, origin: string, headers = 'authorization, content-type') =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });
const post = (url: string, headers: Record<string, string>, body = QUERY) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

beforeAll(async () => {
  ({ servers, supergraphSdl } = await startCatalogAndPrices());
});

afterAll(async () => {
  await Promise.all(routers.map((router) => router.stop()));
  await Promise.all(servers.map((server) => server.stop()));
});

describe('CORS', () => {
  it('by default lets no other origin in: a preflight gets Allow alone, never a CSRF error', async () => {
    const url = await start({});
    const answer = await preflight(url, SHOP);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    // The request itself (curl, a server, a mobile app) still works; a browser would not hand it to the page.
    const response = await post(url, { origin: SHOP });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a listed origin: the preflight with what it asked for, the request and its refusals with the origin', async () => {
    const url = await start({ corsOrigins: [SHOP], rateLimitPerMinute: 3 });
    const answer = await preflight(url, SHOP, 'authorization, content-type, idempotency-key');
    expect(answer.status).toBe(204);
    expect(Object.fromEntries(answer.headers)).toMatchObject({
      'access-control-allow-origin': SHOP,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type, idempotency-key',
      'access-control-max-age': '7200',
      vary: 'Origin, Access-Control-Request-Headers',
    });

    const token = await tokenFor('u-cors');
    const ok = await post(url, { origin: SHOP, authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { items: [{ id: 'i1', name: 'Item 1', price: expect.any(String) }] } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(ok.headers.get('access-control-expose-headers')).toBe('x-request-id, retry-after, www-authenticate');
    expect(ok.headers.get('vary')).toMatch(/^Origin\b/);

    // A page must be able to read why it was refused, and how long to wait.
    const broken = await post(url, { origin: SHOP }, '{"query": ');
    expect(broken.status).toBe(400);
    expect(broken.headers.get('access-control-allow-origin')).toBe(SHOP);
    let limited: Response;
    do limited = await post(url, { origin: SHOP });
    while (limited.status !== 429);
    expect(limited.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    // Another origin gets nothing it could use.
    const other = await preflight(url, 'https://evil.example.net');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(url, { origin: 'https://evil.example.net' })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('with `*` answers every origin with `*`', async () => {
    const url = await start({ corsOrigins: '*' });
    const answer = await preflight(url, 'https://anyone.example.org');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect((await post(url, { origin: 'https://anyone.example.org' })).headers.get('access-control-allow-origin')).toBe('*');
  });
});

describeWithChromium('router cors.test', 'CORS in Chromium', () => {
  let page: Server;
  let pageOrigin: string;
  let browser: BrowserSession | null = null;

  beforeAll(async () => {
    page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title>'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => page?.close(resolve));
  });

  it('a page on a listed origin reads the answer of a signed-in POST; one on another origin cannot', async () => {
    const allowing = await start({ corsOrigins: [pageOrigin] });
    const refusing = await start({});
    browser = await openBrowser({ origins: [pageOrigin, new URL(allowing).origin, new URL(refusing).origin] });
    await browser.page.goto(pageOrigin);
    const token = await tokenFor('u-browser');
    const call = (url: string) =>
      browser!.page.evaluate(
        async ({ url, token, body }) => {
          try {
            const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
            return { status: response.status, requestId: response.headers.get('x-request-id'), body: await response.json() };
          } catch (error) {
            return { failed: String(error) };
          }
        },
        { url, token, body: QUERY },
      );
    expect(await call(allowing)).toEqual({
      status: 200,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      body: { data: { items: [{ id: 'i1', name: 'Item 1', price: expect.any(String) }] } },
    });
    expect(await call(refusing)).toEqual({ failed: expect.stringContaining('Failed to fetch') });
  }, 60_000);
});
