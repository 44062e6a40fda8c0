import { readConfig } from '@shop/config';
import type { EventBus, EventEnvelope } from '@shop/events';
import { createLogger, type CallerRole } from '@shop/subgraph-kit';
import { testTokenIssuer, callAsRouter, serviceTrustEnv, until } from '@shop/testing';
import { buildProductsConfig } from '../src/config.js';
import { createProductsSubgraph, type ProductsSubgraph, type ProductsSubgraphOptions } from '../src/server.js';

export interface RunningProducts {
  url: string;
  subgraph: ProductsSubgraph;
  /** A signed access token for a caller, as the users subgraph would issue it. */
  token(role: CallerRole, userId?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The subgraph on a free loopback port, configured from an explicit environment (never the
 * shell's, so a MONGO_URL there does not change what these tests run against).
 */
export async function startProducts(
  env: Record<string, string> = {},
  options: Omit<ProductsSubgraphOptions, 'logger'> = {},
): Promise<RunningProducts> {
  const issuer = await testTokenIssuer();
  const { config } = readConfig({ LOG_LEVEL: 'silent', JWKS_URL: issuer.jwksUrl, ...(await serviceTrustEnv('products')), ...env }, buildProductsConfig);
  const logger = createLogger({ service: 'products', level: 'silent' });
  const subgraph = await createProductsSubgraph(config, { logger, ...options });
  // A PORT in `env` is listened on (upload and picture URLs name it); otherwise any free port.
  const { url } = await subgraph.listen(env.PORT === undefined ? 0 : Number(env.PORT), '127.0.0.1');
  callAsRouter(url, 'products');
  return {
    url,
    subgraph,
    token: (role, userId = `${role.toLowerCase()}-1`) => issuer.sign(userId, role),
    stop: () => subgraph.stop(),
  };
}

/** Everything published on a bus from now on, with a way to wait for what a test expects. */
export async function recordEvents(bus: EventBus, group = 'products-test') {
  const events: EventEnvelope[] = [];
  const subscription = await bus.subscribe({
    group,
    types: '*',
    startAt: 'beginning',
    handler: async (event) => {
      events.push(event);
    },
  });
  return {
    events,
    /** Events about one product (the event key), in publication order. */
    about: (productId: string) => events.filter((event) => event.key === productId),
    async waitFor(predicate: (events: EventEnvelope[]) => boolean, timeoutMs = 5000): Promise<EventEnvelope[]> {
      await until(() => predicate(events), 'the expected events', timeoutMs).catch(() => {
        throw new Error(`expected events did not arrive; got ${JSON.stringify(events.map((e) => [e.type, e.key]))}`);
      });
      return events;
    },
    stop: () => subscription.stop(),
  };
}
