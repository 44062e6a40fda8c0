import type { RequestBase } from '@shop/subgraph-kit';

/** Search is public and needs nothing per request beyond what the kit provides. */
export type SearchContext = RequestBase;
