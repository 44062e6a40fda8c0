import type { IncomingMessage } from 'node:http';
import { headerValue } from '@shop/subgraph-kit';
import type { GraphQLRequestBody } from './persistedQueries.js';

/**
 * Whose `x-forwarded-for` counts: nobody's (`false`), everybody's (`true`, behind a proxy that
 * sets it), or only a peer on this host (`'loopback'`, e.g. the storefront's same-origin proxy
 * under `npm start`).
 */
export type TrustProxy = boolean | 'loopback';

/**
 * The client's address. `x-forwarded-for` is whatever the client wrote unless a proxy we run
 * set it, so it counts only as TRUST_PROXY allows (for rate limits and logs).
 */
export function clientAddress(req: IncomingMessage, trustProxy: TrustProxy): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustProxy === true || (trustProxy === 'loopback' && isLoopback(peer))) {
    const forwarded = headerValue(req, 'x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return peer;
}

export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** A GET request's operation: `query`, `operationName`, and JSON-encoded `variables` and `extensions`. */
export function requestFromSearch(params: URLSearchParams): GraphQLRequestBody | 'malformed' {
  const body: GraphQLRequestBody = {};
  const query = params.get('query');
  const operationName = params.get('operationName');
  if (query !== null) body.query = query;
  if (operationName !== null) body.operationName = operationName;
  for (const name of ['variables', 'extensions'] as const) {
    const raw = params.get(name);
    if (raw === null) continue;
    try {
      body[name] = JSON.parse(raw);
    } catch {
      return 'malformed';
    }
  }
  return body;
}

/** The search string for a GET request after the router filled in its query (persisted queries). */
export function searchFromRequest(body: GraphQLRequestBody): string {
  const params = new URLSearchParams();
  if (typeof body.query === 'string') params.set('query', body.query);
  if (typeof body.operationName === 'string') params.set('operationName', body.operationName);
  if (body.variables !== undefined) params.set('variables', JSON.stringify(body.variables));
  if (body.extensions !== undefined) params.set('extensions', JSON.stringify(body.extensions));
  return `?${params.toString()}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
