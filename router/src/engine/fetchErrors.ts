import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ResponsePath } from './shapeResponse.js';

/** A fetch that failed as a whole, reported at a field it would have filled. */
export function unavailable(message: string, serviceName: string, path: ResponsePath): GraphQLError {
  return new GraphQLError(message, { path, extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName } });
}

/** A subgraph's error as @apollo/gateway reports it: its path in the response, and `serviceName`. */
export function downstreamError(error: GraphQLFormattedError, serviceName: string, path: ResponsePath | undefined): GraphQLError {
  const extensions = { ...error.extensions, serviceName } as Record<string, unknown>;
  if (extensions.code === undefined) extensions.code = 'DOWNSTREAM_SERVICE_ERROR';
  const message = error.message || `Error while fetching subquery from service "${serviceName}"`;
  return new GraphQLError(message, { ...(path ? { path } : {}), extensions });
}

/** Errors with paths explain nulls on, above and below them; `nulled` positions, nulls on and below them. */
export function explainedBy(errors: readonly GraphQLError[], nulled: readonly ResponsePath[]): (path: ResponsePath) => boolean {
  if (errors.length === 0) return () => false;
  let exact: Set<string> | undefined;
  let prefixes: Set<string> | undefined;
  return (path) => {
    if (!exact || !prefixes) {
      exact = new Set(nulled.map((p) => p.join('.')));
      prefixes = new Set();
      for (const error of errors) {
        if (!error.path) continue;
        exact.add(error.path.join('.'));
        for (let n = 1; n <= error.path.length; n++) prefixes.add(error.path.slice(0, n).join('.'));
      }
    }
    if (prefixes.has(path.join('.'))) return true;
    for (let n = 1; n <= path.length; n++) if (exact.has(path.slice(0, n).join('.'))) return true;
    return false;
  };
}
