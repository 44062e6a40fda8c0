// A plain @apollo/gateway inside @apollo/server's standalone server: the baseline our router is
// compared with. It forwards the Authorization header, as any real deployment must.
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8'),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource<{ authorization?: string }>({
      url,
      willSendRequest({ request, context }) {
        if (context.authorization) request.http?.headers.set('authorization', context.authorization);
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
