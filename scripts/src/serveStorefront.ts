import { resolve } from 'node:path';
import { loadConfigOrExit } from '@shop/config';
import { createLogger, LOG_LEVELS } from '@shop/subgraph-kit';
import { DASHBOARD_SESSION } from './sessionEndpoints.js';
import { startStorefront } from './storefront.js';

/**
 * The storefront on its own (a container's entry point): the built page from
 * `STOREFRONT_DIST` with `/graphql` proxied to `ROUTER_URL`, on `PORT`. `npm start` runs the
 * same server in its one process. The dashboard's container sets `SESSION_APP=dashboard`: its
 * own session cookie, and sessions for ADMIN accounts only.
 */
const config = loadConfigOrExit('storefront', process.env, (env) => ({
  port: env.port('PORT', 3000),
  routerUrl: env.url('ROUTER_URL', { requiredInProduction: true, protocols: ['http', 'https'] }) ?? 'http://localhost:4000/graphql',
  distDir: resolve(env.string('STOREFRONT_DIST', 'clients/web/dist')),
  logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  sessionApp: env.oneOf('SESSION_APP', ['storefront', 'dashboard'] as const, 'storefront'),
}));
const logger = createLogger({ service: 'storefront', level: config.logLevel });

try {
  const storefront = await startStorefront({ port: config.port, host: '0.0.0.0', distDir: config.distDir, routerUrl: config.routerUrl, ...(config.sessionApp === 'dashboard' ? { session: DASHBOARD_SESSION } : {}) });
  logger.info('listening', { url: storefront.url, router: config.routerUrl, distDir: config.distDir });
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    void storefront.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  logger.error('failed to start', { error });
  process.exit(1);
}
