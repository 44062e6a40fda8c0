import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError, isErrorCode } from '@shop/errors';
import type { Logger } from './logger.js';

const INVALID_VARIABLE = /^Variable "\$(\w+)" got invalid value/;

/**
 * Coded errors reach the client as they are; anything else (a bug, a driver error) is logged
 * with its stack and replaced by a generic INTERNAL_SERVER_ERROR, so no internals leak.
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
