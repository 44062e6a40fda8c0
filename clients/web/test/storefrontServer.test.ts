import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStorefront, type Storefront } from '../../../scripts/src/storefront.js';

// The server behind both web apps: static files with a page-route fallback, /graphql proxied to
// the router. The apps themselves are driven in Chromium by test/clients.e2e.ts.
describe('the storefront server', () => {
  let sf: Storefront;
  let upstream: Server | null = null;
  let parentDir: string;
  let distDir: string;

  beforeAll(async () => {
    // dist/ with a secret next to it, which no request may reach.
    parentDir = mkdtempSync(join(tmpdir(), 'storefront-static-'));
    distDir = join(parentDir, 'dist');
    mkdirSync(distDir);
    writeFileSync(join(parentDir, 'secret.txt'), 'TOP-SECRET');
    mkdirSync(join(distDir, 'assets'));
    writeFileSync(join(distDir, 'index.html'), '<!doctype html><title>shop</title>');
    writeFileSync(join(distDir, 'assets', 'app.js'), 'console.log(1)');
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { echo: { method: req.method, url: req.url, body, auth: req.headers.authorization ?? null } } }));
      });
    });
    await new Promise<void>((done) => upstream!.listen(0, '127.0.0.1', done));
    const address = upstream.address() as { port: number };
    sf = await startStorefront({ port: 0, distDir, routerUrl: `http://127.0.0.1:${address.port}/graphql` });
  });

  afterAll(async () => {
    await sf?.stop();
    await new Promise((done) => upstream?.close(done));
    rmSync(parentDir, { recursive: true, force: true });
  });

  const get = (path: string, method = 'GET', body?: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; type: string | undefined; body: string }>((done, fail) => {
      // A raw path, not normalised by a URL parser, as an attacker would send it.
      const req = request({ host: '127.0.0.1', port: sf.port, path, method, headers }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c)).on('end', () => done({ status: res.statusCode!, type: res.headers['content-type'], body: text }));
      });
      req.on('error', fail);
      req.end(body);
    });

  it('serves files with their content types and falls back to index.html for page routes', async () => {
    expect(await get('/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(await get('/assets/app.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', body: 'console.log(1)' });
    expect(await get('/cart/somewhere')).toMatchObject({ status: 200, body: '<!doctype html><title>shop</title>' });
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('refuses paths that leave the dist directory', async () => {
    const attempts = ['/../secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%5c..%5csecret.txt', '/secret.txt%00.js'];
    for (const path of attempts) {
      const answer = await get(path);
      expect([400, 403, 404]).toContain(answer.status);
      expect(answer.body).not.toContain('TOP-SECRET');
    }
    // Encoded traversal is refused outright, not looked up.
    expect((await get('/..%2fsecret.txt')).status).toBe(403);
  });

  it('proxies /graphql to the router with the caller’s headers', async () => {
    const answer = await get('/graphql?x=1', 'POST', '{"query":"{ a }"}', { 'content-type': 'application/json', authorization: 'Bearer t' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.echo).toEqual({ method: 'POST', url: '/graphql?x=1', body: '{"query":"{ a }"}', auth: 'Bearer t' });
  });
});
