import type { Resolvers } from './generated/resolvers.js';
import type { SearchService } from './service.js';

/** Typed by codegen from schema.graphql: a schema change that breaks a resolver breaks the build. */
export function createResolvers(service: SearchService): Resolvers {
  return {
    Query: {
      searchProducts: (_root, args) => service.searchProducts(args),
    },
  };
}
