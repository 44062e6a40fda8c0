import { pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import { loadConfigOrExit } from '@shop/config';
import { createPostgres, migrateToLatest, resolveDatabase } from '@shop/postgres';
import { createLogger, type Logger } from '@shop/subgraph-kit';
import { buildAnalyticsConfig } from './config.js';
import { migrations } from './db/migrations/index.js';
import type { AnalyticsDatabase } from './db/schema.js';
import { applyEvent } from './projection.js';
import { repository } from './repository.js';

const PAGE_SIZE = 1000;

/**
 * Rebuilds the aggregates from `event_log`: empties them and the order facts, then replays
 * every logged event in handling order through the handler live consumption uses. One
 * transaction: readers see the old aggregates until the new ones are complete, and events
 * arriving meanwhile wait for it (they apply on top afterwards). Resolves to the number of
 * events replayed.
 */
export async function rebuildAggregates(db: Kysely<AnalyticsDatabase>, logger: Logger): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await repository.lockAggregatesExclusive(trx);
    await repository.clearAggregates(trx);
    let replayed = 0;
    for (let afterSeq = 0; ; ) {
      const page = await repository.eventLogPage(trx, afterSeq, PAGE_SIZE);
      for (const { event } of page) await applyEvent(trx, event, logger);
      replayed += page.length;
      if (page.length < PAGE_SIZE) return replayed;
      afterSeq = page[page.length - 1]!.seq;
    }
  });
}

/** `npm run analytics:rebuild`: rebuilds the aggregates of the database named by the environment, then exits. */
async function main(): Promise<void> {
  const config = loadConfigOrExit('analytics-rebuild', process.env, buildAnalyticsConfig);
  const logger = createLogger({ service: 'analytics-rebuild', level: config.logLevel });
  const database = await resolveDatabase({ name: 'analytics', databaseUrl: config.databaseUrl, log: (msg) => logger.info(msg) });
  const postgres = createPostgres<AnalyticsDatabase>({ url: database.url, maxConnections: 2 });
  try {
    await migrateToLatest(postgres.db, migrations);
    const replayed = await rebuildAggregates(postgres.db, logger);
    logger.info('analytics aggregates rebuilt from the event log', { replayed });
  } finally {
    await postgres.destroy();
    await database.release();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`analytics-rebuild failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
