// @graphql-hive/gateway's runtime on node:http over the same supergraph, forwarding Authorization
// and signing as the router (SERVICE_PRIVATE_KEY), since subgraphs serve nobody else.
// HIVE_PLANNER=rust plans with @graphql-hive/router-runtime (Hive Router's Rust query planner,
// a prebuilt native addon) instead of the JavaScript one.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { createServiceCredentials, ROUTER_SERVICE, serviceKeyRing } from '@shop/subgraph-kit';

const rust = process.env.HIVE_PLANNER === 'rust';
const key = await serviceKeyRing(ROUTER_SERVICE, { text: process.env.SERVICE_PRIVATE_KEY! }, () => undefined);
const credentials = createServiceCredentials({ name: ROUTER_SERVICE, key: key.signing });
const gateway = createGatewayRuntime({
  supergraph: readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8'),
  logging: process.env.HIVE_LOGGING === '1' ? 'debug' : false,
  ...(rust ? { unifiedGraphHandler: (await import('@graphql-hive/router-runtime')).unifiedGraphHandler } : {}),
  propagateHeaders: {
    fromClientToSubgraphs: async ({ request, subgraphName }) => {
      const authorization = request.headers.get('authorization');
      return { ...(authorization ? { authorization } : {}), ...(await credentials.headers(subgraphName)) };
    },
  },
});
const server = createServer(gateway);
server.listen(Number(process.env.PORT), () => process.stdout.write(`ready http://localhost:${process.env.PORT}/graphql\n`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
