import { runSubgraph } from '@shop/subgraph-kit';
import { inventory } from './server.js';

await runSubgraph(inventory);
