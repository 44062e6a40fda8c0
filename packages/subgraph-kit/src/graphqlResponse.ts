import type { IncomingMessage, ServerResponse } from 'node:http';
import Negotiator from 'negotiator';
import type { ErrorCode } from '@shop/errors';

/** The media types a GraphQL response is written in (GraphQL over HTTP), as `content-type` values. */
export const GRAPHQL_MEDIA_TYPES = {
  graphqlResponseJson: 'application/graphql-response+json; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;

export type GraphQLMediaType = (typeof GRAPHQL_MEDIA_TYPES)[keyof typeof GRAPHQL_MEDIA_TYPES];

// In this order: on a tie (`*/*`, `application/*`, equal q) the spec's own type wins.
const OFFERED = ['application/graphql-response+json', 'application/json'];

/**
 * The media type of the answer to a GraphQL request: the one its `Accept` ranks highest,
 * `application/graphql-response+json` on a tie or without an `Accept`. Null when the client
 * accepts neither (answer 406).
 */
export function negotiateGraphQLMediaType(accept: string | undefined): GraphQLMediaType | null {
  if (accept === undefined || accept.trim() === '') return GRAPHQL_MEDIA_TYPES.graphqlResponseJson;
  const preferred = new Negotiator({ headers: { accept } }).mediaType(OFFERED);
  if (preferred === 'application/graphql-response+json') return GRAPHQL_MEDIA_TYPES.graphqlResponseJson;
  if (preferred === 'application/json') return GRAPHQL_MEDIA_TYPES.json;
  return null;
}

/** Whether the client ranks HTML above GraphQL's media types: a browser, which Apollo Server shows its landing page. */
export function prefersHtml(accept: string | undefined): boolean {
  return accept !== undefined && new Negotiator({ headers: { accept } }).mediaType([...OFFERED, 'text/html']) === 'text/html';
}

/** An answer the server writes itself, without running the operation. */
export interface GraphQLRefusal {
  /** The status that says what went wrong (4xx, 5xx), sent with application/graphql-response+json. */
  status: number;
  code: ErrorCode;
  message: string;
  /** More `extensions` beside `code` (e.g. `retryAfter`, `limit`). */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
  /**
   * The request was a well-formed GraphQL-over-HTTP request, refused for what it asks, who asks
   * or how often. Legacy clients (`application/json`) then get 200: the spec's rule for that
   * media type, because they trust only a 2xx body to be GraphQL. False (the default) keeps the
   * status for both media types: the HTTP request itself is unusable (not JSON, too large), or
   * the server failed.
   */
  wellFormed?: boolean;
}

export interface GraphQLHttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A refusal in Apollo Server's error shape (`{ errors: [{ message, extensions: { code } }] }`) and the negotiated media type. */
export function graphQLErrorAnswer(mediaType: GraphQLMediaType | null, refusal: GraphQLRefusal): GraphQLHttpAnswer {
  // A client that accepts neither type still gets a readable error, as Apollo Server does.
  const contentType = mediaType ?? GRAPHQL_MEDIA_TYPES.json;
  const legacy = contentType === GRAPHQL_MEDIA_TYPES.json && refusal.wellFormed === true;
  const error = { message: refusal.message, extensions: { ...refusal.extensions, code: refusal.code } };
  return {
    status: legacy ? 200 : refusal.status,
    headers: { ...refusal.headers, 'content-type': contentType },
    body: JSON.stringify({ errors: [error] }),
  };
}

/** The 406 for a request whose `Accept` names neither GraphQL response type (the message is Apollo Server's). */
export const NOT_ACCEPTABLE: GraphQLRefusal = {
  status: 406,
  code: 'BAD_REQUEST',
  message: "An 'accept' header was provided for this request which does not accept application/json or application/graphql-response+json",
};

/** Writes a refusal to `req` in the media type it accepts (see graphQLErrorAnswer). */
export function sendGraphQLError(req: IncomingMessage, res: ServerResponse, refusal: GraphQLRefusal): void {
  const answer = graphQLErrorAnswer(negotiateGraphQLMediaType(req.headers.accept), refusal);
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

