/**
 * One GraphQL request from this service to another one (a subgraph or the router): POST with
 * JSON, the caller's forwarded headers, a timeout, and a single rule for what counts as "no
 * usable answer". Domain-free: which query to send and what its errors mean stay with the caller.
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
  url?: string;
}

/**
 * The other service gave no usable answer: it did not answer in time, answered HTTP 5xx without
 * data, or sent no GraphQL JSON. Its message names the service and URL for the logs; it is no
 * AppError, so the kit's error formatter shows clients only INTERNAL_SERVER_ERROR.
 */
export class ServiceUnavailableError extends Error {
  override name = 'ServiceUnavailableError';
  readonly service: string | undefined;
  readonly url: string | undefined;

  constructor(message: string, options: ServiceUnavailableErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.service = options.service;
    this.url = options.url;
  }
}

/**
 * POSTs `query` to `url` and returns the GraphQL result with its errors (extensions included)
 * for the caller to interpret. Throws `unavailableError` (default ServiceUnavailableError) when
 * the request fails or times out, the body is not a JSON object, an HTTP 5xx carries no data, or
 * any other non-2xx answer carries neither data nor errors.
 */
export async function callService<T>(options: CallServiceOptions): Promise<ServiceResponse<T>> {
  const { service, url } = options;
  const Unavailable = options.unavailableError ?? ServiceUnavailableError;
  const fail = (reason: string, cause?: unknown): never => {
    throw new Unavailable(`${service} at ${url} ${reason}`, { service, url, cause });
  };

  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  const { authorization, requestId, clientIp } = options.forward ?? {};
  if (authorization) headers.authorization = authorization;
  if (requestId) headers['x-request-id'] = requestId;
  if (clientIp) headers['x-forwarded-for'] = clientIp;
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

function toServiceError(raw: unknown): ServiceError {
  const { message, path, extensions } = (raw ?? {}) as { message?: unknown; path?: unknown; extensions?: unknown };
  const error: ServiceError = { message: typeof message === 'string' ? message : 'unknown error' };
  if (Array.isArray(path)) error.path = path as Array<string | number>;
  if (typeof extensions === 'object' && extensions !== null) error.extensions = extensions as Record<string, unknown>;
  return error;
}
