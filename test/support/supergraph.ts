import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@shop/subgraph-kit';
import { createTestDatabase } from '@shop/testing';
import { composeSupergraph, createRouter, type SubgraphFetchEvent } from '../../router/src/index.js';
import { createUsersSubgraph } from '../../subgraphs/users/src/server.js';
import { createProductsSubgraph } from '../../subgraphs/products/src/server.js';
import { createInventorySubgraph } from '../../subgraphs/inventory/src/server.js';
import { createOrdersSubgraph } from '../../subgraphs/orders/src/server.js';

const root = join(new URL('.', import.meta.url).pathname, '..', '..');
export const JWT_SECRET = 'e2e-secret-that-is-definitely-long-enough-1234';
export const ADMIN = { email: 'admin@e2e.test', password: 'admin-e2e-password' };

/**
 * The real supergraph in one process: the four subgraphs on real PostgreSQL (fresh databases),
 * composed from their committed SDL with the ports they got, behind the real router.
 */
export async function startSupergraph() {
  const logger = createLogger({ service: 'e2e', level: (process.env.LOG_LEVEL as 'silent') ?? 'silent' });
  const [usersDb, inventoryDb, ordersDb] = await Promise.all([
    createTestDatabase('e2e_users'),
    createTestDatabase('e2e_inventory'),
    createTestDatabase('e2e_orders'),
  ]);
  const base = { port: 0, jwtSecret: JWT_SECRET, logLevel: 'silent' as const };
  const users = await createUsersSubgraph(
    { ...base, databaseUrl: usersDb, admin: ADMIN },
    { logger },
  );
  const products = await createProductsSubgraph({ ...base, mongoUrl: undefined, mongoDb: 'shop_products', seedDemo: true }, {
    logger,
  });
  const inventory = await createInventorySubgraph({ ...base, databaseUrl: inventoryDb }, { logger });
  const productsUrl = (await products.listen(0, '127.0.0.1')).url;
  const orders = await createOrdersSubgraph({ ...base, databaseUrl: ordersDb, productsUrl }, { logger });
  const urls = {
    users: (await users.listen(0, '127.0.0.1')).url,
    products: productsUrl,
    inventory: (await inventory.listen(0, '127.0.0.1')).url,
    orders: (await orders.listen(0, '127.0.0.1')).url,
  };
  const { supergraphSdl } = composeSupergraph(
    Object.entries(urls).map(([name, url]) => ({
      name,
      url,
      typeDefs: readFileSync(join(root, 'subgraphs', name, 'src', 'schema.graphql'), 'utf8'),
    })),
  );
  const fetches: SubgraphFetchEvent[] = [];
  const router = createRouter({ supergraphSdl, logger, onSubgraphFetch: (event) => fetches.push(event) });
  const { url } = await router.listen(0, '127.0.0.1');

  return {
    url,
    fetches,
    subgraphs: { users, products, inventory, orders },
    /** SQL statements sent by the PostgreSQL subgraphs, and product store round trips. */
    roundTrips() {
      return {
        sql: users.sqlStats.queries + inventory.sqlStats.queries + orders.sqlStats.queries,
        productStore: products.repositoryStats.calls,
        subgraphFetches: fetches.length,
      };
    },
    resetCounters() {
      users.sqlStats.reset();
      inventory.sqlStats.reset();
      orders.sqlStats.reset();
      products.repositoryStats.reset();
      fetches.length = 0;
    },
    async stop() {
      await router.stop();
      await Promise.all([users.stop(), products.stop(), inventory.stop(), orders.stop()]);
    },
  };
}

export type Supergraph = Awaited<ReturnType<typeof startSupergraph>>;
