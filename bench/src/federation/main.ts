// The four federation benchmark subgraphs in one process (its own, so the gateway under test
// does not share an event loop with them); prints their URLs as JSON once they listen.
import { federationSdl, startFederationSubgraph, type FederationSubgraph } from './subgraphs.js';

const names = Object.keys(federationSdl) as FederationSubgraph[];
const started = await Promise.all(names.map((name) => startFederationSubgraph(name, 0)));
process.stdout.write(`${JSON.stringify(Object.fromEntries(names.map((name, i) => [name, started[i]!.url])))}\n`);
process.once('SIGTERM', () => process.exit(0));
