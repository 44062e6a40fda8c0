import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { startStorefront, type Storefront } from '../../../scripts/src/storefront.js';

// The server behind both web apps: static files with a page-route fallback, /graphql proxied to
// the router. The apps themselves are driven in Chromium by test/clients.e2e.ts.
// A script bundle (repetitive, as minified code is, so it compresses well) and an image (random bytes do not).
const BUNDLE = Array.from({ length: 2000 }, (_, i) => `export const f${i % 50} = (a) => a.map((x) => x * ${i % 7});`).join('\n');
const PHOTO = randomBytes(8192);

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
    writeFileSync(join(distDir, 'assets', 'vendor.js'), BUNDLE);
    writeFileSync(join(distDir, 'assets', 'photo.png'), PHOTO);
    // Answers gzip when asked, as the router does; the proxy must hand those bytes on untouched.
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => {
        const json = JSON.stringify({ data: { echo: { method: req.method, url: req.url, body, auth: req.headers.authorization ?? null } } });
        if (!req.headers['accept-encoding']?.includes('gzip')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end(json);
        }
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
        res.end(gzipSync(json));
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

  const raw = (path: string, headers: Record<string, string> = {}, method = 'GET', body?: string) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }>((done, fail) => {
      const req = request({ host: '127.0.0.1', port: sf.port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }));
      });
      req.on('error', fail);
      req.end(body);
    });

  it('sends scripts gzip or br to a browser that asks, as they are to a client that does not', async () => {
    const plain = await raw('/assets/vendor.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-length']).toBe(String(BUNDLE.length));
    expect(plain.bytes.toString()).toBe(BUNDLE);
    for (const [accept, encoding, decode] of [
      ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
    ] as const) {
      const answer = await raw('/assets/vendor.js', { 'accept-encoding': accept });
      expect(answer.headers).toMatchObject({
        'content-type': 'text/javascript; charset=utf-8',
        'content-encoding': encoding,
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'Accept-Encoding',
      });
      expect(answer.bytes.length).toBeLessThan(BUNDLE.length / 10);
      expect(decode(answer.bytes).toString()).toBe(BUNDLE);
    }
    // A HEAD still gets the file's headers, and nothing after them.
    const head = await raw('/assets/vendor.js', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
    expect(head.bytes.length).toBe(0);
  });

  it('sends images as they are: they are compressed already', async () => {
    const answer = await raw('/assets/photo.png', { 'accept-encoding': 'gzip, br' });
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.bytes.equals(PHOTO)).toBe(true);
  });

  it('passes the router’s compressed answer through byte for byte, without compressing it again', async () => {
    const answer = await raw('/graphql', { 'content-type': 'application/json', 'accept-encoding': 'gzip, br' }, 'POST', '{"query":"{ a }"}');
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(answer.headers.vary).toBe('Accept-Encoding');
    expect(JSON.parse(gunzipSync(answer.bytes).toString()).data.echo).toMatchObject({ method: 'POST', body: '{"query":"{ a }"}' });
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
