import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, HeaderMap } from '@apollo/server';
import type { DocumentNode, GraphQLError } from 'graphql';
import { AppError, rateLimited, unauthenticated } from '@shop/errors';
import {
  graphQLErrorAnswer,
  headerMapOf,
  headerValue,
  HttpError,
  isKeysUnavailable,
  NOT_ACCEPTABLE,
  negotiateGraphQLMediaType,
  prefersHtml,
  readBody,
  type GraphQLHttpAnswer,
  type GraphQLMediaType,
  type GraphQLRefusal,
  type Logger,
  type RateDecision,
  type RateLimiter,
} from '@shop/subgraph-kit';
import type { CallerVerifier } from './auth.js';
import { mergedVary } from './cors.js';
import type { OperationLimits } from './config.js';
import type { RouterContext } from './context.js';
import { acceptsIncremental, type FastPathRequest, type StreamingAnswer } from './engine/fastPath.js';
import { IDEMPOTENCY_KEY_HEADER, operationFingerprint, type Idempotency } from './idempotency.js';
import type { OperationAnalyzer, OperationShape } from './limits.js';
import type { RejectReason, RouterMetrics } from './metrics.js';
import { withCost, type PartnerQuota } from './partnerQuota.js';
import type { GraphQLRequestBody, PersistedQueries } from './persistedQueries.js';
import { clientAddress, isRecord, requestFromSearch, searchFromRequest, type TrustProxy } from './request.js';
import type { RouterServiceIdentity } from './serviceIdentity.js';

export interface HttpGraphQLDeps {
  apollo: ApolloServer<RouterContext>;
  logger: Logger;
  metrics: RouterMetrics;
  limits: OperationLimits;
  analyzer: OperationAnalyzer;
  persisted: PersistedQueries;
  rateLimiter: RateLimiter;
  /** Null: tokens are not verified here (subgraphs still verify them). */
  verifier: CallerVerifier | null;
  /** The internal caller a request proves (`x-service-token`); see RouterServiceIdentity. */
  serviceOf: RouterServiceIdentity['serviceOf'];
  partnerApiKeys: ReadonlySet<string>;
  /** Cost points per partner key (PARTNER_COST_BUDGET, PARTNER_COST_RESTORE_RATE). */
  partnerQuota: PartnerQuota;
  trustProxy: TrustProxy;
  /** Validation errors of a parsed operation against the API schema being served (cached per query text). */
  validate: (query: string, document: DocumentNode) => readonly GraphQLError[];
  /** Answers well-formed, valid operations straight from the engine; null leaves it to Apollo Server. */
  fastPath?: (request: FastPathRequest) => Promise<GraphQLHttpAnswer | StreamingAnswer | null>;
  /** Stores and replays mutations sent with an `Idempotency-Key`; null ignores the header. */
  idempotency?: Idempotency | null;
}

type Answer = GraphQLHttpAnswer;

/**
 * `POST/GET /graphql`. Everything that can refuse a request cheaply happens before Apollo
 * Server plans it: body size, JSON, batch size, rate limit, API key, bearer token, persisted
 * query, depth/alias/cost limits (measured once per distinct query string). The rest is the
 * gateway's own pipeline, so accepted operations answer exactly as a plain gateway would.
 */
const ALLOWED: RateDecision = { allowed: true };

export function createHttpGraphQLHandler(deps: HttpGraphQLDeps) {
  const { metrics, limits } = deps;

  const refuse = (res: ServerResponse, requestId: string, mediaType: GraphQLMediaType | null, refusal: GraphQLRefusal, reason: RejectReason) => {
    metrics.rejected(reason);
    return send(res, requestId, graphQLErrorAnswer(mediaType, refusal));
  };

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const requestId = headerValue(req, 'x-request-id') ?? randomUUID();
    const method = req.method ?? 'GET';
    if (method !== 'POST' && method !== 'GET') {
      // Apollo Server answers other methods (405) the way clients expect.
      return send(res, requestId, await execute(deps, headerMapOf(req), method, url.search, undefined, baseContext(requestId, req, deps)));
    }

    const accept = headerValue(req, 'accept');
    const mediaType = negotiateGraphQLMediaType(accept);
    if (!mediaType) return refuse(res, requestId, null, NOT_ACCEPTABLE, 'bad_request');

    let operations: unknown[];
    let batched = false;
    if (method === 'POST') {
      let raw: Buffer;
      try {
        raw = await readBody(req, limits.bodyLimitBytes);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        // Read to its end by readBody: the client gets this answer, then the connection closes.
        return refuse(res, requestId, mediaType, refusalOf(error.status, new AppError('BAD_REQUEST', error.message), false, { connection: 'close' }), 'body_too_large');
      }
      let body: unknown;
      try {
        body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
      } catch {
        return refuse(res, requestId, mediaType, refusalOf(400, new AppError('BAD_REQUEST', 'Request body is not valid JSON'), false), 'bad_request');
      }
      batched = Array.isArray(body);
      operations = batched ? (body as unknown[]) : [body];
      if (batched && (operations.length === 0 || operations.length > limits.maxBatch)) {
        const message = `A batch must hold 1 to ${limits.maxBatch} operations, got ${operations.length}`;
        return refuse(res, requestId, mediaType, refusalOf(400, new AppError('BAD_REQUEST', message), false), 'bad_request');
      }
    } else {
      const fromSearch = requestFromSearch(url.searchParams);
      if (fromSearch === 'malformed') {
        return refuse(res, requestId, mediaType, refusalOf(400, new AppError('BAD_REQUEST', '`variables` and `extensions` must be JSON'), false), 'bad_request');
      }
      operations = [fromSearch];
    }

    const clientIp = clientAddress(req, deps.trustProxy);
    const apiKey = headerValue(req, 'x-api-key');
    const partner = apiKey !== undefined && deps.partnerApiKeys.has(apiKey);
    const internal = await deps.serviceOf(req);
    if (internal.error) return refuse(res, requestId, mediaType, refusalOf(401, internal.error, true), 'unauthenticated');
    // A service's calls carry many clients' work (one checkout each): never one client's bucket.
    // Unknown keys count against the IP: a client must not mint itself fresh buckets.
    const decision = internal.service
      ? ALLOWED
      : await deps.rateLimiter.consume(partner ? `key:${apiKey}` : `ip:${clientIp}`, operations.length);
    if (!decision.allowed) {
      const retryAfter = { 'retry-after': String(decision.retryAfterSeconds) };
      return refuse(res, requestId, mediaType, refusalOf(429, rateLimited(decision.retryAfterSeconds), true, retryAfter), 'rate_limited');
    }
    if (apiKey !== undefined && !partner) return refuse(res, requestId, mediaType, refusalOf(401, unauthenticated('Unknown API key'), true), 'unauthenticated');
    const authorization = headerValue(req, 'authorization');
    const verified = deps.verifier ? await deps.verifier.verify(authorization) : null;
    if (verified?.error) {
      // The users subgraph's keys were never fetched (it is down since the router started): retry, keep the token.
      if (isKeysUnavailable(verified.error)) return refuse(res, requestId, mediaType, refusalOf(503, verified.error, true, { 'retry-after': '1' }), 'unavailable');
      return refuse(res, requestId, mediaType, refusalOf(401, verified.error, true, { 'www-authenticate': 'Bearer error="invalid_token"' }), 'unauthenticated');
    }
    const context: RouterContext = {
      requestId,
      clientIp,
      caller: verified?.caller ?? null,
      ...(authorization ? { authorization } : {}),
      ...(verified?.expiresAt !== undefined ? { tokenExpiresAt: verified.expiresAt } : {}),
    };
    const idempotencyKey = deps.idempotency ? headerValue(req, IDEMPOTENCY_KEY_HEADER) : undefined;
    if (idempotencyKey !== undefined && deps.idempotency) {
      const invalid =
        deps.idempotency.invalid(idempotencyKey) ??
        (batched ? new AppError('BAD_REQUEST', 'An Idempotency-Key belongs to one operation: send the mutations of a batch one by one') : null);
      if (invalid) return refuse(res, requestId, mediaType, refusalOf(400, invalid, false), 'bad_request');
      // Keys are the caller's own: another user (or partner, or address) with the same key is another request.
      const caller = context.caller ? `user:${context.caller.userId}` : partner ? `key:${digest(apiKey!)}` : authorization ? `token:${digest(authorization)}` : `ip:${clientIp}`;
      context.idempotency = { key: idempotencyKey, caller };
    }

    const headers = headerMapOf(req);
    // Apollo Server answers in the same media type as the router (on a tie it would pick
    // application/json); a browser's GET still gets its landing page.
    if (!(method === 'GET' && prefersHtml(accept))) headers.set('accept', mediaType);
    // @defer answers in parts only outside batches and partner quotas (which settle on the whole answer).
    const incremental = !batched && !partner && acceptsIncremental(accept);
    const run = (operation: unknown) => runOperation(deps, headers, method, url, operation, partner ? apiKey : null, context, mediaType, incremental);
    if (!batched) return send(res, requestId, await run(operations[0]));
    const answers = (await Promise.all(operations.map(run))) as Answer[]; // never streams: not incremental
    const body = `[${answers.map((a) => a.body.trimEnd()).join(',')}]`;
    res.writeHead(200, { 'content-type': mediaType, 'content-length': String(Buffer.byteLength(body)), 'x-request-id': requestId });
    res.end(body);
  };
}

async function runOperation(
  deps: HttpGraphQLDeps,
  headers: HeaderMap,
  method: string,
  url: URL,
  operation: unknown,
  /** The partner's API key; null for everyone else. */
  partnerKey: string | null,
  context: RouterContext,
  mediaType: GraphQLMediaType,
  incremental: boolean,
): Promise<Answer | StreamingAnswer> {
  const { metrics } = deps;
  const refused = (status: number, error: AppError, wellFormed: boolean, headers?: Record<string, string>) =>
    graphQLErrorAnswer(mediaType, refusalOf(status, error, wellFormed, headers));
  if (!isRecord(operation)) {
    metrics.rejected('bad_request');
    return refused(400, new AppError('BAD_REQUEST', 'A GraphQL request must be a JSON object'), false);
  }
  const request = operation as GraphQLRequestBody;
  const persisted = await deps.persisted.resolve(request, partnerKey !== null);
  if (!persisted.ok) {
    metrics.rejected(persisted.error.code === 'PERSISTED_QUERY_NOT_FOUND' ? 'persisted_query_not_found' : persisted.error.code === 'PERSISTED_QUERY_NOT_IN_LIST' ? 'not_in_list' : 'bad_request');
    return refused(persisted.status, persisted.error, true, persisted.headers);
  }
  const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
  let name = operationName ?? null;
  let document: DocumentNode | null = null;
  let shape: OperationShape | null = null;
  if (persisted.query !== undefined) {
    const check = deps.analyzer.check(persisted.query, operationName, isRecord(request.variables) ? request.variables : undefined);
    if (check.violation) {
      metrics.rejected('too_complex');
      return refused(400, check.violation, true);
    }
    if (check.shape?.operationType === 'subscription') {
      metrics.rejected('bad_request');
      return refused(400, new AppError('BAD_REQUEST', 'Subscriptions are served over WebSocket (graphql-transport-ws) on this same path'), true);
    }
    name ??= check.shape?.operationName ?? null;
    document = check.document;
    shape = check.shape;
    // An APQ document is kept only once it parsed, passed the limits and validates.
    if (persisted.register && document && deps.validate(persisted.query, document).length === 0) await persisted.register();
  }

  let body: GraphQLRequestBody | undefined = request;
  let search = url.search;
  if (persisted.changed) {
    const { extensions: _sent, ...rest } = request;
    const extensions = withoutPersistedQuery(request.extensions);
    body = { ...rest, query: persisted.query, ...(extensions ? { extensions } : {}) };
    if (method === 'GET') search = searchFromRequest(body);
  }
  // Only mutations are made idempotent (and only they pass the key on); a query runs as usual.
  const { idempotency: scope, ...plain } = context;
  const fingerprint =
    scope && deps.idempotency && shape?.operationType === 'mutation' && persisted.query !== undefined
      ? operationFingerprint(persisted.query, operationName, request.variables)
      : null;
  let requestedCost: number | null = null;
  if (partnerKey !== null && shape && document) {
    const { cost } = shape;
    requestedCost = typeof cost === 'number' ? cost : cost(isRecord(request.variables) ? request.variables : undefined);
    // A partner's retry answered from the idempotency record runs nothing: no budget taken, none needed.
    const replay = fingerprint !== null ? await deps.idempotency!.stored(scope!, fingerprint, mediaType) : null;
    if (replay) return deps.partnerQuota.settle(partnerKey, requestedCost, replay, document, name, 0);
    const admission = await deps.partnerQuota.admit(partnerKey, requestedCost);
    if (!admission.admitted) {
      let refusal: Answer;
      if ('maximum' in admission) {
        metrics.rejected('too_complex');
        const message = `This operation costs ${requestedCost} points, more than the ${admission.maximum} a partner key holds (PARTNER_COST_BUDGET)`;
        refusal = refused(400, new AppError('QUERY_TOO_COMPLEX', message, { limit: 'partnerCostBudget', max: admission.maximum, actual: requestedCost }), true);
      } else {
        metrics.rejected('rate_limited');
        refusal = refused(429, rateLimited(admission.retryAfterSeconds), true, { 'retry-after': String(admission.retryAfterSeconds) });
      }
      return withCost(refusal, JSON.parse(refusal.body) as Record<string, unknown>, admission.cost);
    }
  }
  const started = performance.now();
  const perform = async (context: RouterContext, parts: boolean): Promise<Answer | StreamingAnswer> => {
    const fast =
      deps.fastPath && document && persisted.query !== undefined
        ? await deps.fastPath({ method, headers, mediaType, query: persisted.query, document, operationName, variables: request.variables, extensions: request.extensions, context, incremental: parts })
        : null;
    return fast ?? (await execute(deps, headers, method, search, method === 'POST' ? body : undefined, { ...context }));
  };
  // Stored and replayed answers are whole ones: an idempotent mutation never answers in parts.
  let answer =
    fingerprint !== null
      ? await deps.idempotency!.run(scope!, fingerprint, mediaType, async () => (await perform(context, false)) as Answer)
      : await perform(plain, incremental);
  if ('stream' in answer) {
    metrics.operation(name, (performance.now() - started) / 1000, true);
    return answer;
  }
  if (requestedCost !== null && document) answer = await deps.partnerQuota.settle(partnerKey!, requestedCost, answer, document, name);
  // Apollo Server writes `errors` first, so this tells a clean answer without parsing it.
  const ok = answer.status < 400 && !answer.body.startsWith('{"errors"');
  metrics.operation(name, (performance.now() - started) / 1000, ok);
  return answer;
}

async function execute(
  deps: HttpGraphQLDeps,
  headers: HeaderMap,
  method: string,
  search: string,
  body: unknown,
  context: RouterContext,
): Promise<Answer> {
  const result = await deps.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search, body },
    context: async () => context,
  });
  const responseHeaders: Record<string, string> = {};
  for (const [key, value] of result.headers) responseHeaders[key] = value;
  let text: string;
  if (result.body.kind === 'complete') text = result.body.string;
  else {
    text = '';
    for await (const chunk of result.body.asyncIterator) text += chunk;
  }
  return { status: result.status ?? 200, headers: responseHeaders, body: text };
}

/**
 * An answer a browser may keep for its caller (`private` with a max-age) depends on who asked:
 * `Vary: Authorization` keeps a browser or proxy from handing it to a request signed in as someone
 * else, or to a signed-in request after an anonymous one (a GET's URL is the same for both).
 */
function varyByCaller(headers: Record<string, string>): Record<string, string> {
  const cacheControl = headers['cache-control'];
  if (!cacheControl || !/\bprivate\b/.test(cacheControl) || /\bno-store\b/.test(cacheControl)) return headers;
  return { ...headers, vary: headers.vary ? `${headers.vary}, Authorization` : 'Authorization' };
}

async function send(res: ServerResponse, requestId: string, answer: Answer | StreamingAnswer): Promise<void> {
  const headers = varyByCaller(answer.headers);
  // Keeps CORS's `Vary: Origin` (set before this answer was made) beside the answer's own.
  const vary = mergedVary(res, headers.vary);
  // To a client that takes compressed answers, a whole answer declares its length: that tells
  // compression whether it is worth it. Not to others: with a length, Node joins its head and a
  // large answer into one text before writing, which cost the router ~0.2 ms on an 87 KB answer.
  const length = 'stream' in answer || res.req.headers['accept-encoding'] === undefined ? {} : { 'content-length': String(Buffer.byteLength(answer.body)) };
  res.writeHead(answer.status, { ...headers, ...length, ...(vary ? { vary } : {}), 'x-request-id': requestId });
  if (!('stream' in answer)) {
    res.end(answer.body);
    return;
  }
  // Each part goes out as it is ready; a slow client holds the engine back rather than the heap.
  const drained = () => new Promise<void>((resolve) => {
    res.once('drain', resolve);
    res.once('close', resolve);
  });
  await answer.stream((chunk) => (res.destroyed || res.write(chunk) ? Promise.resolve() : drained()));
  res.end();
}

function baseContext(requestId: string, req: IncomingMessage, deps: HttpGraphQLDeps): RouterContext {
  return { requestId, clientIp: clientAddress(req, deps.trustProxy), caller: null };
}

/** A coded error the router answers itself; `wellFormed`: see GraphQLRefusal. */
function refusalOf(status: number, error: AppError, wellFormed: boolean, headers?: Record<string, string>): GraphQLRefusal {
  return { status, code: error.code, message: error.message, extensions: error.extensions, wellFormed, ...(headers ? { headers } : {}) };
}

function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function withoutPersistedQuery(extensions: unknown): Record<string, unknown> | undefined {
  if (!isRecord(extensions)) return undefined;
  const { persistedQuery: _persisted, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

