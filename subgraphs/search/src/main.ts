import { runSubgraph } from '@shop/subgraph-kit';
import { search } from './server.js';

// Searches are served (from events only) while the rebuild waits for products to answer.
await runSubgraph(search, { onListening: (subgraph) => subgraph.rebuildInBackground() });
