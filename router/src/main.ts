import { existsSync } from 'node:fs';
import { loadConfigOrExit } from '@shop/config';
import { createRedisBus } from '@shop/events';
import { createKeyValueStore } from '@shop/kv';
import { readTelemetryConfig, startTelemetry } from '@shop/telemetry';
import { createLogger, readShutdownConfig, serveUntilSignal, serviceKeyRing, supervisorReports } from '@shop/subgraph-kit';
import { buildRouterConfig } from './config.js';
import { readPersistedQueryManifest } from './persistedQueries.js';
import { createRouter } from './server.js';
import { readSupergraph, subgraphsOf } from './supergraph.js';

const config = loadConfigOrExit('router', process.env, (env) => buildRouterConfig(env, process.env));
const shutdown = loadConfigOrExit('router', process.env, readShutdownConfig);
const telemetry = await startTelemetry({ serviceName: 'router', config: loadConfigOrExit('router', process.env, readTelemetryConfig) });
const logger = createLogger({ service: 'router', level: config.logLevel });

if (!config.redisUrl) {
  logger.warn('REDIS_URL is not set: APQ cache and rate limits are in-process, so each router replica has its own');
}
const kv = createKeyValueStore({ redisUrl: config.redisUrl, keyPrefix: 'router:' });
// The router consumes one event, `user.deleted` (its deny-list of deleted accounts); the bus is
// also here for its dead-letter admin routes and the lag, retry and dead-letter gauges on /metrics.
const events = config.redisUrl ? createRedisBus(config.redisUrl) : undefined;
const release = async () => {
  await Promise.all([kv.close(), events?.close()]);
  await telemetry?.shutdown();
};

try {
  const supergraphSdl = await readSupergraph(config.supergraphPath);
  // Partner keys are useless without the manifest they are held to: its absence is fatal then.
  const partnerManifest =
    config.partnerApiKeys.length > 0 || existsSync(config.partnerManifestPath)
      ? await readPersistedQueryManifest(config.partnerManifestPath)
      : new Map<string, string>();
  const router = createRouter({
    supergraphSdl,
    logger,
    subgraphUrls: config.subgraphUrls,
    introspection: config.introspection,
    limits: config.limits,
    accessTokens: config.jwksUrl,
    serviceKey: await serviceKeyRing('router', config.servicePrivateKey, (message) => logger.warn(message)),
    kv,
    redisUrl: config.redisUrl,
    partnerApiKeys: config.partnerApiKeys,
    partnerManifest,
    rateLimitPerMinute: config.rateLimitPerMinute,
    partnerCost: config.partnerCost,
    trustProxy: config.trustProxy,
    corsOrigins: config.corsOrigins,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    subgraphTimeouts: config.subgraphTimeouts,
    circuitBreaker: config.circuitBreaker,
    ...(config.watchSupergraph ? { watchSupergraphPath: config.supergraphPath } : {}),
    metricsPort: config.metricsPort,
    processMetrics: true,
    ...(events ? { events } : {}),
    processes: supervisorReports(),
  });
  logger.info('supergraph loaded', {
    path: config.supergraphPath,
    subgraphs: subgraphsOf(supergraphSdl).map((s) => `${s.name}=${config.subgraphUrls[s.name] ?? s.url}`),
    partnerOperations: partnerManifest.size,
    store: kv.kind,
  });
  await serveUntilSignal({ service: router, port: config.port, logger, cleanup: release, shutdown });
} catch (error) {
  logger.error('router failed to start', { error: (error as Error).message });
  await release();
  process.exit(1);
}
