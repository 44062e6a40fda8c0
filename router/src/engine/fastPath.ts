import type { HeaderMap } from '@apollo/server';
import type { DocumentNode, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { GraphQLHttpAnswer } from '@shop/subgraph-kit';
import type { RouterContext } from '../context.js';
import { isRecord } from '../request.js';
import { forwardedIdentity } from '../subgraphHeaders.js';
import type { SupergraphRuntime } from '../SupergraphRuntime.js';

export interface FastPathRequest {
  method: string;
  headers: HeaderMap;
  /** The response media type the router negotiated (and told Apollo Server through `accept`). */
  mediaType: string;
  query: string;
  document: DocumentNode;
  operationName: string | undefined;
  variables: unknown;
  extensions: unknown;
  context: RouterContext;
  /** The client takes `multipart/mixed; deferSpec=20220824` (and this is not a batch): @defer may answer in parts. */
  incremental: boolean;
}

/** An answer written part by part as the engine has them (incremental delivery). */
export interface StreamingAnswer {
  status: number;
  headers: Record<string, string>;
  stream(write: (chunk: string) => Promise<void>): Promise<void>;
}

// Each part is followed by the next boundary at once: a multipart reader (Apollo Client's)
// hands a part on only when it sees the boundary after it.
const BOUNDARY = '\r\n--graphql';
const PART_HEAD = '\r\ncontent-type: application/json; charset=utf-8\r\n\r\n';

/** Whether an `accept` header takes incremental delivery the way Apollo Client and Apollo Router speak it. */
export function acceptsIncremental(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((entry) => {
    const [type, ...params] = entry.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'multipart/mixed') return false;
    const spec = params.find((p) => p.startsWith('deferspec='));
    return spec === undefined || spec === 'deferspec=20220824';
  });
}

// Content types a browser may send without a CORS preflight: Apollo Server's CSRF prevention
// wants one of its headers with those (or none), and so do we, by leaving them to it.
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/**
 * The router's hot path: a well-formed request for a valid operation goes straight to the
 * engine (validation, plan and shaper cached per query text), without Apollo Server's
 * per-request pipeline. It answers exactly what Apollo Server would (same body, status,
 * content type and cache-control); anything else (a parse or validation error, bad variables,
 * a browser's GET for the landing page, CSRF-suspect requests, a mutation over GET) gets null,
 * and Apollo Server answers it, with the same engine underneath.
 *
 * Identical queries in flight with the same forwarded identity run once and share the answer:
 * the same lever as merging their identical subgraph calls (each of those would be merged
 * anyway), taken before the plan runs, so anonymous catalogue traffic costs one execution per
 * burst. Mutations, and queries of different callers, never share, nor does a query with one
 * begun before the router last forgot what it kept (it may read from before a mutation).
 */
export function createFastPath(options: {
  runtime: () => SupergraphRuntime | null;
  introspection: boolean;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Goes up whenever the router forgets what it kept (a mutation, here or on another replica): no query shares an answer begun before. */
  generation: () => number;
}) {
  const inFlight = new WeakMap<SupergraphRuntime, Map<string, Promise<GraphQLHttpAnswer>>>();

  return async function answer(request: FastPathRequest): Promise<GraphQLHttpAnswer | StreamingAnswer | null> {
    const runtime = options.runtime();
    if (!runtime || !acceptable(request)) return null;
    const { variables } = request;
    if (variables !== undefined && variables !== null && !isRecord(variables)) return null;
    if (runtime.validate(request.query, request.document, options.introspection).length > 0) return null;
    const { engine } = runtime;
    const prepared = engine.prepare(request.query, request.document, request.operationName);
    if (!('operation' in prepared)) return null;
    if (prepared.operationType === 'subscription' || (request.method === 'GET' && prepared.operationType !== 'query')) return null;
    const given = (variables ?? {}) as Record<string, unknown>;
    const coerced = engine.coerce(prepared, given);
    if (!coerced.ok) return null;

    if (prepared.deferred && request.incremental) {
      // Later parts may read subgraphs whose cache hints are not known when the headers go out.
      return {
        status: 200,
        headers: { 'content-type': 'multipart/mixed; boundary="graphql"; deferSpec=20220824', 'cache-control': 'no-store' },
        stream: async (write) => {
          await write(BOUNDARY);
          await engine.executeIncremental(prepared, given, coerced.values, request.context, (payload) => {
            const formatted = 'incremental' in payload
              ? { ...payload, incremental: payload.incremental.map((item) => (item.errors ? { ...item, errors: item.errors.map((e) => format(options.formatError, e)) } : item)) }
              : payload.errors ? { ...payload, errors: payload.errors.map((e) => format(options.formatError, e)) } : payload;
            return write(`${PART_HEAD}${JSON.stringify(formatted)}${BOUNDARY}`);
          });
          await write('--\r\n');
        },
      };
    }
    // Without incremental delivery, deferred fragments are simply part of the one answer.
    const run = async (): Promise<GraphQLHttpAnswer> => {
      const result = await engine.execute(prepared, given, coerced.values, request.context);
      const errors = result.errors.length > 0 ? result.errors.map((error) => format(options.formatError, error)) : undefined;
      const body = errors ? JSON.stringify({ errors, data: result.data }) : JSON.stringify({ data: result.data });
      return {
        status: 200,
        headers: {
          'content-type': request.mediaType,
          'cache-control': result.cachePolicy.header({ errors: errors !== undefined, mutation: prepared.operationType === 'mutation' }),
        },
        body: `${body}\n`,
      };
    };
    if (prepared.operationType !== 'query') return run();
    let running = inFlight.get(runtime);
    if (!running) inFlight.set(runtime, (running = new Map()));
    const key = `${options.generation()}\n${forwardedIdentity(request.context)}\n${request.mediaType}\n${request.operationName ?? ''}\n${JSON.stringify(given)}\n${request.query}`;
    let pending = running.get(key);
    if (!pending) {
      const map = running;
      pending = run().finally(() => map.delete(key));
      running.set(key, pending);
    }
    return pending;
  };
}

function acceptable(request: FastPathRequest): boolean {
  const { headers } = request;
  if (request.method !== 'POST' && request.method !== 'GET') return false;
  if (request.extensions !== undefined && request.extensions !== null && !isRecord(request.extensions)) return false;
  // The router negotiated the media type and handed it on as `accept`; otherwise (a browser's
  // GET wanting HTML) Apollo Server decides.
  if (headers.get('accept') !== request.mediaType) return false;
  const contentType = headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (request.method === 'POST') return contentType === 'application/json';
  if (contentType && contentType !== '' && !SIMPLE_CONTENT_TYPES.includes(contentType)) return true;
  return PREFLIGHT_HEADERS.some((name) => (headers.get(name) ?? '') !== '');
}

/** As Apollo Server formats errors: a code always (INTERNAL_SERVER_ERROR when none), then the router's formatter. */
function format(formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError, error: GraphQLError): GraphQLFormattedError {
  const formatted = error.toJSON();
  return formatError({ ...formatted, extensions: { ...formatted.extensions, code: formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR' } }, error);
}
