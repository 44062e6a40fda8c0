import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { constants as zlib } from 'node:zlib';
import compression from 'compression';
import { handleSessionRequest, SESSION_PATH, type SessionOptions } from './sessionEndpoints.js';

/**
 * A web app (`clients/web/dist`, the storefront, or `clients/admin-web/dist`, the dashboard) on its own port, with `/graphql` proxied to the
 * router (HTTP and the WebSocket upgrade), so the page is same-origin and needs no CORS.
 * Unknown paths without a file extension get index.html (the page routes itself); paths
 * that would leave `distDir` are refused.
 */
export interface StorefrontOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The built page: `clients/web/dist`. */
  distDir: string;
  /** The router's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  routerUrl: string;
  /** The session endpoints' cookie and the role they serve (the dashboard: its own cookie, ADMIN only). */
  session?: SessionOptions;
}

export interface Storefront {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/**
 * Files a browser would otherwise download whole (about 600 KB of scripts, CSS, HTML, SVG,
 * JSON) go out gzip or br when it asks; images and fonts, compressed already, and files under
 * 1 KB go as they are. Brotli at quality 4: each request compresses afresh, and its default, 11,
 * takes over a second on the 450 KB vendor script (quality 4: about 10 ms, for 31% of its size).
 * `/graphql` is not among them: the router compresses its own answers and the proxy passes them
 * on byte for byte.
 */
const compressStatic = compression({ brotli: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } } });

// Request headers that describe one hop, not the request (RFC 9110 7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

export async function startStorefront(options: StorefrontOptions): Promise<Storefront> {
  const root = resolve(options.distDir);
  const router = new URL(options.routerUrl);
  const proxyPath = router.pathname;
  const sockets = new Set<Socket | Duplex>();

  const server: Server = createServer((req, res) => {
    const path = pathnameOf(req.url);
    if (path === null) return void plain(res, 400, 'Bad request');
    if (path === proxyPath || path === '/graphql') return proxyHttp(req, res, router);
    if (path.startsWith(`${SESSION_PATH}/`)) {
      return void handleSessionRequest(req, res, path, (query, variables, client) => callRouter(router, query, variables, client), forwardedFor(req), options.session)
        .then((handled) => {
          if (!handled) plain(res, 404, 'Not found');
        })
        .catch(() => {
          if (!res.headersSent) plain(res, 502, 'The shop API cannot be reached right now.');
          else res.destroy();
        });
    }
    // Probes for containers: live while serving, ready once the built page is there to serve.
    if (path === '/health/live') return void plain(res, 200, 'live');
    if (path === '/health/ready') {
      void stat(join(root, 'index.html')).then(
        () => plain(res, 200, 'ready'),
        () => plain(res, 503, `no built page in ${root}`),
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return void plain(res, 405, 'Method not allowed');
    }
    compressStatic(req as never, res as never, () => undefined);
    void serveStatic(root, path, req, res).catch(() => {
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = pathnameOf(req.url);
    if (path !== proxyPath && path !== '/graphql') {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    proxyUpgrade(req, socket, head, router, sockets);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : 'localhost';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** The decoded path of a request, or null when it cannot be decoded or holds a NUL byte. */
function pathnameOf(url: string | undefined): string | null {
  try {
    const path = decodeURIComponent(new URL(url ?? '/', 'http://storefront.invalid').pathname);
    return path.includes('\0') ? null : path;
  } catch {
    return null;
  }
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The file a path names inside `root`, or null when it would leave `root`. */
export function resolveInside(root: string, path: string): string | null {
  const file = resolve(root, `.${sep}${path.replace(/^[/\\]+/, '')}`);
  const rel = relative(root, file);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return file;
}

async function serveStatic(root: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (path.split(/[/\\]/).includes('..')) return plain(res, 403, 'Forbidden');
  let file = resolveInside(root, path.endsWith('/') ? `${path}index.html` : path);
  if (file === null) return plain(res, 403, 'Forbidden');
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = resolveInside(root, `${path}/index.html`);
    info = file ? await stat(file).catch(() => null) : null;
  }
  if (!file || !info || !info.isFile()) {
    // Asset paths (with an extension) are real misses; anything else is a page route.
    if (extname(path) !== '' && extname(path) !== '.html') return plain(res, 404, 'Not found');
    file = resolve(root, 'index.html');
    info = await stat(file).catch(() => null);
    if (!info?.isFile()) return plain(res, 503, 'The storefront is not built: run `npm run build`.');
  }
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const immutable = file.startsWith(resolve(root, 'assets') + sep);
  res.writeHead(200, {
    'content-type': type,
    'content-length': info.size,
    'x-content-type-options': 'nosniff',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/** One GraphQL request to the router on the client's behalf (the session endpoints). */
async function callRouter(router: URL, query: string, variables: Record<string, unknown>, forwardedFor: string) {
  const response = await fetch(router, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

/** `X-Forwarded-For` with the caller appended (the router reads it only with trustProxy). */
function forwardedFor(req: IncomingMessage): string {
  const earlier = req.headers['x-forwarded-for'];
  const remote = req.socket.remoteAddress ?? 'unknown';
  return earlier ? `${Array.isArray(earlier) ? earlier.join(', ') : earlier}, ${remote}` : remote;
}

function forwardHeaders(req: IncomingMessage, router: URL): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  headers.host = router.host;
  headers['x-forwarded-for'] = forwardedFor(req);
  return headers;
}

function routerTarget(req: IncomingMessage, router: URL): string {
  const query = new URL(req.url ?? '/', 'http://storefront.invalid').search;
  return `${router.pathname}${query}`;
}

function proxyHttp(req: IncomingMessage, res: ServerResponse, router: URL): void {
  const upstream = httpRequest(
    {
      hostname: router.hostname,
      port: router.port || 80,
      method: req.method,
      path: routerTarget(req, router),
      headers: forwardHeaders(req, router),
    },
    (answer) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) {
      const body = JSON.stringify({ errors: [{ message: 'The shop API cannot be reached right now.', extensions: { code: 'BAD_GATEWAY' } }] });
      res.writeHead(502, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } else res.destroy();
  });
  req.on('aborted', () => upstream.destroy());
  req.pipe(upstream);
}

/** Replays the upgrade request on a raw connection to the router, then pipes both ways. */
function proxyUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, router: URL, sockets: Set<Socket | Duplex>): void {
  const upstream = connect({ host: router.hostname, port: Number(router.port || 80) });
  sockets.add(upstream);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  upstream.once('close', () => sockets.delete(upstream));
  upstream.on('error', () => {
    if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    close();
  });
  client.on('error', close);
  client.once('close', () => upstream.destroy());
  upstream.once('connect', () => {
    upstream.setNoDelay(true);
    if ('setNoDelay' in client && typeof (client as Socket).setNoDelay === 'function') (client as Socket).setNoDelay(true);
    const lines = [`${req.method ?? 'GET'} ${routerTarget(req, router)} HTTP/1.1`, `host: ${router.host}`, `x-forwarded-for: ${forwardedFor(req)}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      if (name.toLowerCase() === 'host' || name.toLowerCase() === 'x-forwarded-for') continue;
      lines.push(`${name}: ${req.rawHeaders[i + 1]!}`);
    }
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
}
