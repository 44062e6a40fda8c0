import { runSubgraph } from '@shop/subgraph-kit';
import { payments } from './server.js';

await runSubgraph(payments);
