import { runSubgraph } from '@shop/subgraph-kit';
import { orders } from './server.js';

await runSubgraph(orders);
