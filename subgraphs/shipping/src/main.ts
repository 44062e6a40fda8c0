import { runSubgraph } from '@shop/subgraph-kit';
import { shipping } from './server.js';

await runSubgraph(shipping);
