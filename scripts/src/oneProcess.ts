import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigOrExit } from '@shop/config';
import { startEmbeddedPostgres } from '@shop/postgres';
import { buildRouterConfig, readPersistedQueryManifest } from '@shop/router';
import { readTelemetryConfig, startTelemetry } from '@shop/telemetry';
import { startStack, type StackKeys } from './stack.js';

/**
 * `npm start` without `--processes`: embedded PostgreSQL, then every subgraph and the router in
 * this process (the stack), sharing the in-process event bus, or Redis with REDIS_URL.
 */
export async function startOneProcess(options: {
  root: string;
  dataDir: string;
  ports: Record<string, number>;
  pgPort: number;
  keys: StackKeys;
  admin: { email: string; password: string };
}) {
  // The router honours its own env vars (limits, partner keys, rate limits) as when run alone.
  const routerEnv = { ...process.env };
  const routerConfig = loadConfigOrExit('router', routerEnv, (env) => buildRouterConfig(env, routerEnv));
  const partnerManifest = existsSync(routerConfig.partnerManifestPath)
    ? await readPersistedQueryManifest(routerConfig.partnerManifestPath)
    : new Map<string, string>();

  // One process, one service name: its spans still nest router -> subgraph -> SQL.
  const telemetry = await startTelemetry({ serviceName: 'shop', config: loadConfigOrExit('telemetry', process.env, readTelemetryConfig) });
  const postgres = await startEmbeddedPostgres({ dataDir: join(options.dataDir, 'postgres'), port: options.pgPort, persistent: true });
  try {
    const stack = await startStack({
      root: options.root,
      ports: options.ports,
      host: 'localhost',
      databaseUrl: (name) => postgres.url(`shop_${name}`),
      keys: options.keys,
      admin: options.admin,
      redisUrl: process.env.REDIS_URL,
      dataDir: options.dataDir,
      logLevel: (process.env.LOG_LEVEL as 'warn' | undefined) ?? 'warn',
      env: { FREE_SHIPPING_THRESHOLD: process.env.FREE_SHIPPING_THRESHOLD ?? '50.00' },
      routerOptions: {
        limits: routerConfig.limits,
        introspection: routerConfig.introspection,
        partnerApiKeys: routerConfig.partnerApiKeys,
        partnerManifest,
        rateLimitPerMinute: routerConfig.rateLimitPerMinute,
        partnerCost: routerConfig.partnerCost,
        // The storefront on :3000 proxies to the router over loopback and says who the client is.
        trustProxy: routerConfig.trustProxy === false ? 'loopback' : routerConfig.trustProxy,
        metricsPort: routerConfig.metricsPort,
        processMetrics: true,
      },
    });
    return {
      routerUrl: stack.routerUrl,
      urls: stack.urls,
      metricsUrl: `http://localhost:${routerConfig.metricsPort}/metrics`,
      notes: [`Mode:            one process (\`npm start -- --processes\`: one per service)`],
      async stop() {
        await stack.stop();
        await postgres.stop();
        await telemetry?.shutdown();
      },
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}
