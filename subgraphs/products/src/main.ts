import { runSubgraph } from '@shop/subgraph-kit';
import { products } from './server.js';

await runSubgraph(products);
