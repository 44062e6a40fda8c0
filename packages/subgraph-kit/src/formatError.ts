import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError, isErrorCode } from '@shop/errors';
import type { Logger } from './logger.js';
import { ServiceUnavailableError } from './serviceClient.js';

const INVALID_VARIABLE = /^Variable "\$(\w+)" got invalid value/;

/**
 * Coded errors reach the client as they are; a service that did not answer is SUBGRAPH_UNAVAILABLE;
 * anything else (a bug, a driver error) is logged with its stack and replaced by a generic
 * INTERNAL_SERVER_ERROR, so no internals leak.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (original instanceof AppError) {
      // `http` sets the response status (Apollo Server's convention); it is not for the client.
      const { http: _http, ...extensions } = original.extensions;
      return { ...base, message: original.message, extensions: { ...extensions, code: original.code } };
    }
    if (original instanceof ServiceUnavailableError) {
      // Expected in operation (a dependency down, stuck or slow), so a warning, and a code clients retry on.
      logger.warn('service unavailable', { error: original, path: formatted.path });
      const { serviceName } = original;
      const message = `${serviceName ?? 'A service this operation needs'} gave no usable answer; retry later`;
      return { ...base, message, extensions: { code: 'SUBGRAPH_UNAVAILABLE', ...(serviceName ? { serviceName } : {}) } };
    }
    const code = formatted.extensions?.code;
    // Registered codes (Apollo Server's own for client mistakes among them) pass; anything else is masked.
    if (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR') {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      // A variable a scalar refused (a DateTime that is none) is named, as resolvers name their arguments.
      const variable = code === 'BAD_USER_INPUT' && extensions.field === undefined ? INVALID_VARIABLE.exec(formatted.message)?.[1] : undefined;
      return { ...base, extensions: variable ? { ...extensions, field: variable } : extensions };
    }
    logger.error('unexpected error', { error: original, path: formatted.path });
    return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
