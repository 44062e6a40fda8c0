import { GraphQLError } from 'graphql';
import type { ErrorReason } from './reasons.js';

export * from './reasons.js';

/**
 * The one registry of error codes clients can see in `extensions.code`. Each code is defined
 * here once, with what it means; everything else throws through `AppError`.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: 'The request needs a valid signed-in user (or the credentials given are wrong).',
  FORBIDDEN: 'The caller is signed in but not allowed to do this.',
  BAD_USER_INPUT: 'An argument is invalid; `extensions.field` names it when there is one.',
  NOT_FOUND: 'The thing asked for does not exist or is not visible to the caller.',
  CONFLICT: 'The request clashes with the current state (duplicate, out of stock, illegal transition).',
  PERSISTED_QUERY_NOT_FOUND: 'The persisted query hash is unknown: send the full query once with its hash.',
  PERSISTED_QUERY_NOT_IN_LIST: 'The operation is not in the safelist this client is held to.',
  RATE_LIMITED: 'Too many requests; `extensions.retryAfter` says how many seconds to wait.',
  BAD_REQUEST: 'The HTTP request itself is unusable: not JSON, too large, or missing a query.',
  QUERY_TOO_COMPLEX:
    'The operation exceeds a router limit (depth, aliases or estimated cost); `extensions.limit` names it, `extensions.max` the allowed value.',
  SUBGRAPH_UNAVAILABLE:
    'A subgraph the operation needs, directly or through another subgraph, could not be reached or gave no usable answer (`extensions.serviceName` names it when known); fields it serves are null. Retry later.',
  EVENTS_EXPIRED:
    'A subscription resumed with `after` an event older than the retention window (`extensions.retentionSeconds`): refetch, then subscribe without `after`.',
  SUBSCRIPTION_OVERFLOW:
    'A subscriber read its events too slowly: more than `extensions.maxBuffered` were waiting for it, so the router ended the subscription instead of dropping any. Subscribe again (with `after:` the last `extensions.eventId` received where the field takes it, to get the rest).',
  INTERNAL_SERVER_ERROR: 'Something failed on our side; the details are in the server log, never in the response.',
  GRAPHQL_PARSE_FAILED: 'The operation is not valid GraphQL syntax (Apollo Server and the WebSocket endpoints alike).',
  GRAPHQL_VALIDATION_FAILED: 'The operation does not fit the schema: an unknown field, a missing argument, a value of the wrong type.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'This endpoint takes no persisted queries (a subgraph sent only a hash); send the full query.',
  OPERATION_RESOLUTION_FAILURE: 'The request names an operation its document does not hold, or holds several and names none.',
  BAD_GATEWAY: 'The storefront server could not reach the router (HTTP 502); retry later.',
  DOWNSTREAM_SERVICE_ERROR:
    'A subgraph answered with an error that carried no code of its own; `extensions.serviceName` names the subgraph.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

export interface AppErrorExtensions {
  field?: string;
  retryAfter?: number;
  /** Which business rule refused the request, for clients to act on (registry: ERROR_REASONS). */
  reason?: ErrorReason;
  [key: string]: unknown;
}

export class AppError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extensions: AppErrorExtensions = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.code = code;
    this.name = 'AppError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export const unauthenticated = (message = 'You must be signed in') => new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('FORBIDDEN', message);
export const badUserInput = (message: string, field?: string) =>
  new AppError('BAD_USER_INPUT', message, field === undefined ? {} : { field });
export const notFound = (what: string, id?: string) =>
  new AppError('NOT_FOUND', id === undefined ? `${what} not found` : `${what} ${JSON.stringify(id)} not found`);
export const conflict = (message: string, extensions: AppErrorExtensions = {}) =>
  new AppError('CONFLICT', message, extensions);
export const rateLimited = (retryAfter: number) =>
  new AppError('RATE_LIMITED', `Too many requests, retry in ${retryAfter} s`, { retryAfter });
