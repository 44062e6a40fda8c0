import type { RouterContext } from './context.js';
import type { CallerScope } from './engine/EntityCache.js';

/**
 * The one place that decides what the router sends to a subgraph with every fetch (queries,
 * mutations, entity fetches, subscription events): the caller's identity as it came (subgraphs
 * verify it again and enforce ownership and roles), the request id for logs, and the client
 * address. Anything every subgraph call must carry (router credentials, trace context) is added
 * here and nowhere else.
 */
export function subgraphRequestHeaders(context: RouterContext): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'x-request-id': context.requestId,
    'x-forwarded-for': context.clientIp,
  };
  if (context.authorization) headers.authorization = context.authorization;
  // Subgraphs scope it to the caller themselves (payments hands it on to the payment provider).
  if (context.idempotency) headers['idempotency-key'] = context.idempotency.key;
  return headers;
}

/**
 * What makes two subgraph requests interchangeable beyond their body: the identity they carry.
 * Identical in-flight queries with the same identity share one subgraph call; one caller's
 * request is never answered with another's data. (The request id and client address only label
 * logs; they do not change what a subgraph answers.)
 */
export function forwardedIdentity(context: RouterContext): string {
  return context.authorization ?? '';
}

/**
 * Whose private answers (a subgraph's `cache-control: private`) a request may be given from the
 * router's cache and add to it: a caller whose token the router verified for this very request
 * (the verifier refuses an expired or revoked token with 401 before any plan runs), under the
 * identity forwarded, until the token's `exp`. Null for anonymous requests and where the router
 * does not verify tokens: nothing private is read or kept for them.
 */
export function privateScope(context: RouterContext): CallerScope | null {
  const { caller, authorization, tokenExpiresAt } = context;
  return caller && authorization && tokenExpiresAt !== undefined ? { identity: forwardedIdentity(context), until: tokenExpiresAt } : null;
}
