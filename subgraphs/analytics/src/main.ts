import { runSubgraph } from '@shop/subgraph-kit';
import { analytics } from './server.js';

await runSubgraph(analytics);
