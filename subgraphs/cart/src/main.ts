import { runSubgraph } from '@shop/subgraph-kit';
import { cart } from './server.js';

await runSubgraph(cart);
