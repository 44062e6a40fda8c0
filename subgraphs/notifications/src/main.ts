import { runSubgraph } from '@shop/subgraph-kit';
import { notifications } from './server.js';

await runSubgraph(notifications);
