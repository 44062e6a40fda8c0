import type { GraphQLFormattedError } from 'graphql';
import { createErrorFormatter, type Logger } from '@shop/subgraph-kit';

// Extensions that may carry internals (a subgraph's raw HTTP response, stack traces).
const PRIVATE_EXTENSIONS = ['response', 'stacktrace', 'exception'];

/**
 * The kit's masking (coded errors pass, anything else becomes INTERNAL_SERVER_ERROR), plus what
 * a gateway adds: an error from a subgraph keeps `serviceName`, also when it is masked.
 */
export function createRouterErrorFormatter(logger: Logger) {
  const mask = createErrorFormatter(logger);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const serviceName = formatted.extensions?.serviceName;
    const fromSubgraph = typeof serviceName === 'string';
    // Subgraphs log and mask their own internal errors; logging them again here is noise.
    const result = fromSubgraph && formatted.extensions?.code === 'INTERNAL_SERVER_ERROR'
      ? { ...formatted, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }
      : mask(formatted, error);
    const extensions: Record<string, unknown> = { ...result.extensions };
    for (const key of PRIVATE_EXTENSIONS) delete extensions[key];
    if (fromSubgraph) extensions.serviceName = serviceName;
    return { ...result, extensions };
  };
}
