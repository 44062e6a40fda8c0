import type { Logger } from './logger.js';

export interface Service {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

/**
 * Production entry helper: listen, log where, and on SIGTERM/SIGINT drain in-flight
 * requests, release resources and exit 0. A failed start exits 1 with the reason logged.
 */
export async function serveUntilSignal(options: {
  service: Service;
  port: number;
  logger: Logger;
  cleanup?: () => Promise<void>;
}): Promise<void> {
  const { logger } = options;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown took too long, exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await options.service.stop();
      await options.cleanup?.();
      process.exit(0);
    } catch (error) {
      logger.error('shutdown failed', { error });
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  try {
    const { url } = await options.service.listen(options.port);
    logger.info('listening', { url });
  } catch (error) {
    logger.error('failed to start', { error });
    await options.cleanup?.().catch(() => undefined);
    process.exit(1);
  }
}
