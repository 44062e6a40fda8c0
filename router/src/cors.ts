import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Which web origins may call `/graphql` from a browser (CORS_ORIGINS): exact origins, or `*` for
 * any. None by default: the storefront and the dashboard call the router through their own
 * server, on their own origin, and mobile apps and servers are not held to CORS.
 */
export type CorsOrigins = '*' | readonly string[];

/** How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;
/** Response headers a page may read besides the CORS-safelisted ones: to trace, and to wait when limited. */
const EXPOSED = 'x-request-id, retry-after, www-authenticate';
const METHODS = 'GET, POST';

/** `scheme://host[:port]`, as a browser sends it in `Origin`; null when `value` is not one. */
export function normalOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  return (url.protocol === 'http:' || url.protocol === 'https:') && bare && !value.endsWith('?') && !value.endsWith('#') ? url.origin : null;
}

/**
 * CORS for `/graphql`, as browsers check it. A preflight (OPTIONS) from an allowed origin is
 * answered 204 with the methods, the headers it asked for (the page's own, such as
 * `authorization`, `apollo-require-preflight` or `idempotency-key`) and a max-age; any other
 * OPTIONS gets 204 with `Allow` alone, so the browser refuses the call. Other requests from an
 * allowed origin get `Access-Control-Allow-Origin` and the exposed headers on whatever answers
 * them. No credentials: callers send a bearer token, never cookies.
 */
export function createCors(origins: CorsOrigins) {
  const anyOrigin = origins === '*';
  const allowed = new Set(anyOrigin ? [] : origins);
  const varies = allowed.size > 0;
  const allowedOrigin = (req: IncomingMessage): string | null => {
    const origin = req.headers.origin;
    if (!origin) return null;
    if (anyOrigin) return '*';
    return allowed.has(origin) ? origin : null;
  };

  return {
    /** Sets the CORS headers for `req`, and answers it when it is a preflight; true when answered. */
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      const origin = allowedOrigin(req);
      // With a list, the answer differs by Origin: caches must key on it.
      if (varies) res.setHeader('vary', 'Origin');
      if (req.method === 'OPTIONS') {
        const headers: Record<string, string> = { allow: `${METHODS}, OPTIONS` };
        if (origin && req.headers['access-control-request-method']) {
          headers['access-control-allow-origin'] = origin;
          headers['access-control-allow-methods'] = METHODS;
          const asked = req.headers['access-control-request-headers'];
          if (asked) headers['access-control-allow-headers'] = asked;
          headers['access-control-max-age'] = String(PREFLIGHT_MAX_AGE_SECONDS);
          res.setHeader('vary', varies ? 'Origin, Access-Control-Request-Headers' : 'Access-Control-Request-Headers');
        }
        res.writeHead(204, headers).end();
        return true;
      }
      if (origin) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-expose-headers', EXPOSED);
      }
      return false;
    },
  };
}

/** `Vary` for an answer: what the request already varies by (CORS's `Origin`) and the answer's own. */
export function mergedVary(res: ServerResponse, own: string | undefined): string | undefined {
  const set = res.getHeader('vary');
  const parts = [set === undefined ? '' : String(set), own ?? ''].filter((part) => part !== '');
  return parts.length === 0 ? undefined : parts.join(', ');
}
