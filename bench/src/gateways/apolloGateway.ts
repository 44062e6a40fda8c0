// A plain @apollo/gateway inside @apollo/server's standalone server: the baseline our router is
// compared with. It forwards the Authorization header, as any real deployment must, and signs
// as the router (SERVICE_PRIVATE_KEY), since subgraphs serve nobody else.
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createServiceCredentials, ROUTER_SERVICE, serviceKeyRing } from '@shop/subgraph-kit';

process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const key = await serviceKeyRing(ROUTER_SERVICE, { text: process.env.SERVICE_PRIVATE_KEY! }, () => undefined);
const credentials = createServiceCredentials({ name: ROUTER_SERVICE, key: key.signing });
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8'),
  buildService: ({ name, url }) =>
    new RemoteGraphQLDataSource<{ authorization?: string }>({
      url,
      async willSendRequest({ request, context }) {
        if (context.authorization) request.http?.headers.set('authorization', context.authorization);
        for (const [header, value] of Object.entries(await credentials.headers(name))) request.http?.headers.set(header, value);
      },
    }),
});
const server = new ApolloServer({ gateway: gateway as never });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT) },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
process.stdout.write(`ready ${url}\n`);
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
