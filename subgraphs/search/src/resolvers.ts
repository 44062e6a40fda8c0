import type { SubgraphServerOptions } from '@shop/subgraph-kit';
import type { SearchContext } from './context.js';
import type { SearchArgs, SearchService } from './service.js';

type Resolvers = SubgraphServerOptions<SearchContext>['resolvers'];

export function createResolvers(service: SearchService): Resolvers {
  return {
    Query: {
      searchProducts: (_: unknown, args: SearchArgs) => service.searchProducts(args),
    },
  };
}
