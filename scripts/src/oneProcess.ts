import { existsSync } from 'node:fs';
import { loadConfigOrExit } from '@shop/config';
import { embeddedPostgresUrl } from '@shop/postgres';
import { buildRouterConfig, readPersistedQueryManifest } from '@shop/router';
import { readTelemetryConfig, startTelemetry } from '@shop/telemetry';
import { postgresProcess } from './processes/postgresProcess.js';
import { Supervisor } from './processes/Supervisor.js';
import { startStack, type StackKeys } from './stack.js';

/**
 * `npm start` without `--processes`: every subgraph and the router in this process (the stack),
 * sharing the in-process event bus, or Redis with REDIS_URL. The embedded PostgreSQL runs beside
 * it as a supervised process of its own, restarted if it dies and stopped after the stack, so a
 * Ctrl+C lets every subgraph finish its requests and relay its outbox before PostgreSQL goes.
 */
export async function startOneProcess(options: {
  root: string;
  dataDir: string;
  ports: Record<string, number>;
  pgPort: number;
  keys: StackKeys;
  admin: { email: string; password: string };
  say(line: string): void;
}) {
  // The router honours its own env vars (limits, partner keys, rate limits) as when run alone.
  const routerEnv = { ...process.env };
  const routerConfig = loadConfigOrExit('router', routerEnv, (env) => buildRouterConfig(env, routerEnv));
  const partnerManifest = existsSync(routerConfig.partnerManifestPath)
    ? await readPersistedQueryManifest(routerConfig.partnerManifestPath)
    : new Map<string, string>();

  // One process, one service name: its spans still nest router -> subgraph -> SQL.
  const telemetry = await startTelemetry({ serviceName: 'shop', config: loadConfigOrExit('telemetry', process.env, readTelemetryConfig) });
  const supervisor = new Supervisor({ log: (line) => options.say(`supervisor: ${line}`), output: (name, line) => options.say(`${name}: ${line}`) });
  await supervisor.start(postgresProcess({ root: options.root, dataDir: options.dataDir, port: options.pgPort, env: process.env, stopRank: 0 }));
  try {
    const stack = await startStack({
      root: options.root,
      ports: options.ports,
      host: 'localhost',
      databaseUrl: (name) => embeddedPostgresUrl(options.pgPort, `shop_${name}`),
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
        corsOrigins: routerConfig.corsOrigins,
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
        await supervisor.stop();
        await telemetry?.shutdown();
      },
    };
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
}
