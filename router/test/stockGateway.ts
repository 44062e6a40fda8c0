import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

type Context = { authorization?: string };

/**
 * A plain @apollo/gateway in @apollo/server, set up as its docs say and forwarding the caller's
 * token: what the router's answers are compared with.
 */
export async function startStockGateway(supergraphSdl: string): Promise<{ url: string; stop(): Promise<void> }> {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  class Forwarding extends RemoteGraphQLDataSource<Context> {
    override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<Context>['willSendRequest']>>[0]) {
      if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    }
  }
  const server = new ApolloServer<Context>({
    gateway: new ApolloGateway({ supergraphSdl, buildService: ({ url }) => new Forwarding({ url }) }) as never,
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => (req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });
  return { url, stop: () => server.stop() };
}
