import { AppError } from '@shop/errors';
import { SpanKind, withSpan, withTraceContext } from '@shop/telemetry';
import type { ServiceCredentials } from './serviceAuth.js';

/**
 * Every GraphQL request from this service to another one (a subgraph or the router): POST with
 * JSON, the caller's forwarded headers, a timeout, and a single rule for what counts as "no
 * usable answer". Domain-free: which query to send and what its answer means stay with the caller.
 * Outgoing headers are attached in one place (`outgoingHeaders`).
 */

/** Headers passed on from the request being served, so the other side applies its own rules and logs line up. */
export interface ForwardedHeaders {
  /** Sent verbatim as `authorization`. */
  authorization?: string | undefined;
  /** Sent as `x-request-id`. */
  requestId?: string | undefined;
  /** Sent as `x-forwarded-for`. */
  clientIp?: string | undefined;
}

/** A GraphQL error as the other service sent it (message always a string, extensions untouched). */
export interface ServiceError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

export interface ServiceResponse<T> {
  data: T | null;
  errors: ServiceError[];
  /** The HTTP status of the answer. */
  status: number;
}

export interface CallServiceOptions {
  /** Who is asked, for messages and logs, e.g. "Products subgraph" or "Router". */
  service: string;
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  forward?: ForwardedHeaders;
  /** Proves which service calls: a service token for `audience` (the called subgraph's name). */
  as?: { credentials: ServiceCredentials; audience: string };
  /** Default 5 000 ms. */
  timeoutMs?: number;
  /** Aborts the request early (e.g. on shutdown); the timeout still applies. */
  signal?: AbortSignal;
  /**
   * The error class to throw when there is no usable answer; a subclass of
   * ServiceUnavailableError so callers keep their own error type. Default ServiceUnavailableError.
   */
  unavailableError?: new (message: string, options?: ServiceUnavailableErrorOptions) => ServiceUnavailableError;
}

export interface ServiceUnavailableErrorOptions extends ErrorOptions {
  service?: string;
  /** The called subgraph's name (its token audience), which clients see as `serviceName`. */
  serviceName?: string;
  url?: string;
}

/**
 * The other service gave no usable answer: it did not answer in time, answered HTTP 5xx without
 * data, or sent no GraphQL JSON. Its message names the service and URL for the logs; clients see
 * SUBGRAPH_UNAVAILABLE naming the service (the kit's error formatter), never the URL, as they do
 * when the router cannot reach a subgraph: the same "retry later" from either hop.
 */
export class ServiceUnavailableError extends Error {
  override name = 'ServiceUnavailableError';
  readonly service: string | undefined;
  readonly serviceName: string | undefined;
  readonly url: string | undefined;

  constructor(message: string, options: ServiceUnavailableErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.service = options.service;
    this.serviceName = options.serviceName ?? options.service;
    this.url = options.url;
  }
}

/**
 * POSTs `query` to `url` and returns the GraphQL result with its errors (extensions included)
 * for the caller to interpret. Throws `unavailableError` (default ServiceUnavailableError) when
 * the request fails or times out, the body is not a JSON object, an HTTP 5xx carries no data, or
 * any other non-2xx answer carries neither data nor errors.
 */
export function callService<T>(options: CallServiceOptions): Promise<ServiceResponse<T>> {
  // A client span in the caller's trace; the called service continues it from `traceparent`.
  return withSpan(`call ${options.service}`, { kind: SpanKind.CLIENT, attributes: { 'server.address': options.url }, onlyInTrace: true }, () => send<T>(options));
}

async function send<T>(options: CallServiceOptions): Promise<ServiceResponse<T>> {
  const { service, url } = options;
  const Unavailable = options.unavailableError ?? ServiceUnavailableError;
  const fail = (reason: string, cause?: unknown): never => {
    throw new Unavailable(`${service} at ${url} ${reason}`, { service, serviceName: options.as?.audience ?? service, url, cause });
  };

  const headers = outgoingHeaders(options.forward);
  if (options.as) Object.assign(headers, await options.as.credentials.headers(options.as.audience));
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 5_000);

  let status: number;
  let text: string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: options.query, variables: options.variables ?? {} }),
      signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return fail(`did not answer: ${(error as Error).message}`, error);
  }

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return fail(`did not answer: HTTP ${status} with a body that is not JSON`, error);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(`did not answer: HTTP ${status} with a body that is not a GraphQL response`);
  }

  const { data, errors } = body as { data?: unknown; errors?: unknown };
  const result: ServiceResponse<T> = {
    data: data === undefined || data === null ? null : (data as T),
    errors: Array.isArray(errors) ? errors.map(toServiceError) : [],
    status,
  };
  const ok = status >= 200 && status < 300;
  if (!ok && result.data === null && (status >= 500 || result.errors.length === 0)) {
    return fail(`did not answer: HTTP ${status}${result.errors.length ? `: ${result.errors.map((e) => e.message).join('; ')}` : ''}`);
  }
  return result;
}

/** The one place where what a request carries to another service is decided. */
function outgoingHeaders(forward: ForwardedHeaders = {}): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (forward.authorization) headers.authorization = forward.authorization;
  if (forward.requestId) headers['x-request-id'] = forward.requestId;
  if (forward.clientIp) headers['x-forwarded-for'] = forward.clientIp;
  return withTraceContext(headers);
}

function toServiceError(raw: unknown): ServiceError {
  const { message, path, extensions } = (raw ?? {}) as { message?: unknown; path?: unknown; extensions?: unknown };
  const error: ServiceError = { message: typeof message === 'string' ? message : 'unknown error' };
  if (Array.isArray(path)) error.path = path as Array<string | number>;
  if (typeof extensions === 'object' && extensions !== null) error.extensions = extensions as Record<string, unknown>;
  return error;
}

export interface RequestOptions {
  forward?: ForwardedHeaders;
  signal?: AbortSignal;
}

/** One other service at one URL: what `callService` does, with who and where said once. */
export interface ServiceClient {
  /** The GraphQL result with its errors, for the caller to interpret (see `callService`). */
  request<T>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<ServiceResponse<T>>;
  /**
   * Entities of one type by key through `_entities`, in ONE request: one result per key, in key
   * order, null for an entity the owner does not know (no entity, or an error at its index with
   * a code in `unknownCodes`, default NOT_FOUND and BAD_USER_INPUT). Any other error, or an
   * answer with the wrong number of entities, throws the client's unavailable error.
   */
  entities<T>(
    typename: string,
    selection: string,
    keys: ReadonlyArray<Record<string, unknown>>,
    options?: RequestOptions & { unknownCodes?: readonly string[] },
  ): Promise<(T | null)[]>;
  /**
   * `entities` by `id`, each turned into what the caller needs by `parse`: a Map from every
   * distinct id to its value, null for an unknown one. `parse` throwing means the owner sent
   * something unusable: the client's unavailable error, never a guess.
   */
  entitiesById<T>(typename: string, selection: string, ids: readonly string[], parse: (entity: Record<string, unknown>) => T): Promise<Map<string, T | null>>;
  /**
   * One root field read as the caller (e.g. `order(id:)` through the router): null when the owner
   * says NOT_FOUND, UNAUTHENTICATED and FORBIDDEN passed on to the caller as they are, any other
   * error the client's unavailable error.
   */
  field<T>(field: string, query: string, variables: Record<string, unknown>, options?: RequestOptions): Promise<T | null>;
}

const UNKNOWN_ENTITY_CODES = ['NOT_FOUND', 'BAD_USER_INPUT'];
// The owner's refusal of the caller: theirs to see, not an outage.
const CALLER_REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

export function createServiceClient(options: Omit<CallServiceOptions, 'query' | 'variables' | 'forward' | 'signal'>): ServiceClient {
  const Unavailable = options.unavailableError ?? ServiceUnavailableError;
  const unavailable = (message: string) => new Unavailable(`${options.service} ${message}`, { service: options.service, url: options.url });
  const request = <T>(query: string, variables: Record<string, unknown> = {}, extra: RequestOptions = {}) =>
    callService<T>({ ...options, query, variables, ...extra });

  const client: ServiceClient = {
    request,

    async entities<T>(typename: string, selection: string, keys: ReadonlyArray<Record<string, unknown>>, extra: RequestOptions & { unknownCodes?: readonly string[] } = {}) {
      if (keys.length === 0) return [];
      const { unknownCodes = UNKNOWN_ENTITY_CODES, ...requestOptions } = extra;
      // The key fields come back too, so an answer in another order cannot go unnoticed.
      const keyFields = Object.keys(keys[0]!);
      const query = `query($r:[_Any!]!){ _entities(representations:$r){ ... on ${typename} { ${keyFields.join(' ')} ${selection} } } }`;
      const body = await request<{ _entities?: unknown }>(query, { r: keys.map((key) => ({ __typename: typename, ...key })) }, requestOptions);
      const entities = body.data?._entities;
      if (!Array.isArray(entities) || entities.length !== keys.length) {
        throw unavailable(`gave ${Array.isArray(entities) ? entities.length : 'no'} entities for ${keys.length} keys: ${JSON.stringify(body.errors)}`);
      }
      const unknown = new Set<number>();
      for (const error of body.errors) {
        const index = error.path?.[0] === '_entities' ? error.path[1] : undefined;
        if (typeof index !== 'number' || !unknownCodes.includes(String(error.extensions?.code))) {
          throw unavailable(`failed to resolve ${typename}: ${error.message}`);
        }
        unknown.add(index);
      }
      return entities.map((entity: Record<string, unknown> | null | undefined, i) => {
        if (unknown.has(i) || entity === null || entity === undefined) return null;
        if (keyFields.some((field) => entity[field] !== keys[i]![field])) {
          throw unavailable(`answered ${typename} ${JSON.stringify(keys[i])} with ${JSON.stringify(entity)}`);
        }
        return entity as T;
      });
    },

    async entitiesById<T>(typename: string, selection: string, ids: readonly string[], parse: (entity: Record<string, unknown>) => T) {
      const distinct = [...new Set(ids)];
      const found = await client.entities<Record<string, unknown>>(typename, selection, distinct.map((id) => ({ id })));
      return new Map(
        distinct.map((id, i) => {
          const entity = found[i];
          if (!entity) return [id, null];
          try {
            return [id, parse(entity)];
          } catch (error) {
            throw unavailable(`returned an unusable ${typename} ${JSON.stringify(id)}: ${(error as Error).message}`);
          }
        }),
      );
    },

    async field<T>(field: string, query: string, variables: Record<string, unknown>, extra: RequestOptions = {}) {
      const body = await request<Record<string, unknown>>(query, variables, extra);
      for (const error of body.errors) {
        const code = String(error.extensions?.code);
        if (code === 'NOT_FOUND') return null;
        if (CALLER_REFUSALS.has(code)) throw new AppError(code as 'UNAUTHENTICATED' | 'FORBIDDEN', error.message);
        throw unavailable(`failed to read ${field}: ${error.message}`);
      }
      return (body.data?.[field] ?? null) as T | null;
    },
  };
  return client;
}
