import { runSubgraph } from '@shop/subgraph-kit';
import { users } from './server.js';

await runSubgraph(users);
