import type { IncomingMessage } from 'node:http';
import { forwardedClient } from '@shop/subgraph-kit';
import type { GraphQLRequestBody } from './persistedQueries.js';

/**
 * How many proxies we run stand in front of the router, each appending to `x-forwarded-for` the
 * address it took the request from: none (`false`), one (`true`), a chain of `n`, or one only
 * when the peer is on this host (`'loopback'`, e.g. the storefront's same-origin proxy under
 * `npm start`).
 */
export type TrustProxy = boolean | number | 'loopback';

/**
 * The client's address, for rate limits and logs: the right-most `x-forwarded-for` entry that
 * no trusted proxy added. Everything left of it is whatever the client wrote.
 */
export function clientAddress(req: IncomingMessage, trustProxy: TrustProxy): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  const hops = trustProxy === 'loopback' ? (isLoopback(peer) ? 1 : 0) : trustProxy === true ? 1 : trustProxy === false ? 0 : trustProxy;
  return forwardedClient(req, hops);
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
