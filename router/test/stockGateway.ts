import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createServiceCredentials, ROUTER_SERVICE, type KeyRing } from '@shop/subgraph-kit';
import { testRouterKey } from '@shop/testing';
import { createRouter } from '../src/index.js';
import { logger } from './fixtures.js';

type Context = { authorization?: string };

/**
 * A plain @apollo/gateway in @apollo/server, set up as its docs say and forwarding the caller's
 * token: what the router's answers are compared with. It signs with the router's key (`routerKey`),
 * since subgraphs serve the router alone.
 */
export async function startStockGateway(supergraphSdl: string, routerKey: KeyRing): Promise<{ url: string; stop(): Promise<void> }> {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const credentials = createServiceCredentials({ name: ROUTER_SERVICE, key: routerKey.signing });
  class Forwarding extends RemoteGraphQLDataSource<Context> {
    constructor(private readonly subgraph: string, url: string) {
      super({ url });
    }
    override async willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<Context>['willSendRequest']>>[0]) {
      if (context.authorization) request.http?.headers.set('authorization', context.authorization);
      for (const [header, value] of Object.entries(await credentials.headers(this.subgraph))) request.http?.headers.set(header, value);
    }
  }
  const server = new ApolloServer<Context>({
    gateway: new ApolloGateway({ supergraphSdl, buildService: ({ name, url }) => new Forwarding(name, url!) }) as never,
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => (req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });
  return { url, stop: () => server.stop() };
}

/** The router and a stock gateway over one supergraph, both signing as the router: the pair a semantics test compares. */
export async function startRouterAndStock(supergraphSdl: string): Promise<{ ours: string; stock: string; stop(): Promise<void> }> {
  const routerKey = await testRouterKey();
  const router = createRouter({ supergraphSdl, logger, serviceKey: routerKey });
  const ours = (await router.listen(0, '127.0.0.1')).url;
  const gateway = await startStockGateway(supergraphSdl, routerKey);
  return {
    ours,
    stock: gateway.url,
    stop: async () => {
      await router.stop();
      await gateway.stop();
    },
  };
}
