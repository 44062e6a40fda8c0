import type { Kysely, Migration } from 'kysely';
import { outboxMigration, startOutboxRelay } from '@shop/events';
import { createPostgres, migrateToLatest, type QueryStats } from '@shop/postgres';
import type { DocumentNode } from 'graphql';
import type { RequestBase } from './server.js';
import {
  createSubgraph,
  type RunnableSubgraph,
  type SubgraphConfig,
  type SubgraphDeps,
  type SubgraphParts,
  type SubgraphWiring,
} from './subgraph.js';

export interface PostgresSubgraphConfig extends SubgraphConfig {
  /** Resolved before this is called (`runSubgraph`, the stack, a test database). */
  databaseUrl: string | undefined;
}

export interface PostgresParts<DB> extends SubgraphParts {
  /** The pool requests use; `sqlStats` counts its statements. */
  db: Kysely<DB>;
  /**
   * A small pool of its own for background work (consumers, sweepers, senders, the outbox
   * relay): it never queues behind requests, and its statements stay out of `sqlStats`.
   */
  background: Kysely<DB>;
  /** Asks the outbox relay to publish now, after a commit that enqueued events (no-op without an outbox). */
  wakeRelay(): void;
}

export interface PostgresSubgraph extends RunnableSubgraph {
  /** SQL statements sent by requests (not by background work), for N+1 tests and benchmarks. */
  sqlStats: QueryStats;
}

export interface PostgresSubgraphOptions<DB, TContext extends RequestBase, TExtra extends object> {
  name: string;
  typeDefs: DocumentNode;
  config: PostgresSubgraphConfig;
  deps?: SubgraphDeps;
  /** See SubgraphOptions.callers: the services besides the router that may call, with their scopes. */
  callers?: Readonly<Record<string, readonly string[]>>;
  /** Every migration by name; names sort in the order they run. With the outbox table, the relay runs. */
  migrations: Record<string, Migration>;
  /** Connections of the background pool (default 3). */
  backgroundConnections?: number;
  wire(parts: PostgresParts<DB>): SubgraphWiring<TContext, TExtra> | Promise<SubgraphWiring<TContext, TExtra>>;
}

/**
 * A subgraph on PostgreSQL: `createSubgraph` plus the request pool, migrations to the latest
 * schema, the background pool, the outbox relay (when the migrations create the outbox) and
 * readiness that pings the database. Stops in order: server, workers, relay, pools.
 */
export async function createPostgresSubgraph<DB, TContext extends RequestBase, TExtra extends object = object>(
  options: PostgresSubgraphOptions<DB, TContext, TExtra>,
): Promise<PostgresSubgraph & TExtra> {
  const { databaseUrl } = options.config;
  if (!databaseUrl) throw new Error(`${options.name} needs a databaseUrl (runSubgraph resolves one with resolveDatabase)`);
  return createSubgraph<TContext, TExtra & { sqlStats: QueryStats }>({
    name: options.name,
    typeDefs: options.typeDefs,
    config: options.config,
    ...(options.deps ? { deps: options.deps } : {}),
    ...(options.callers ? { callers: options.callers } : {}),
    async wire(parts) {
      const postgres = createPostgres<DB>({ url: databaseUrl });
      parts.resource(() => postgres.destroy());
      const applied = await migrateToLatest(postgres.db, options.migrations);
      if (applied.length > 0) parts.logger.info('migrated', { applied });

      const background = createPostgres<DB>({ url: databaseUrl, maxConnections: options.backgroundConnections ?? 3 });
      parts.resource(() => background.destroy());
      const relay = Object.values(options.migrations).includes(outboxMigration)
        ? startOutboxRelay({ db: background.db, bus: parts.bus, onError: (error) => parts.logger.error('outbox relay failed', { error }) })
        : null;
      // Registered after the pools, so it stops before them, after the server and consumers: its last
      // flush publishes what they committed; what the bus refuses then goes out on the next start.
      if (relay) parts.resource(() => relay.stop());

      const wiring = await options.wire({ ...parts, db: postgres.db, background: background.db, wakeRelay: () => relay?.wake() });
      const readiness = wiring.readiness;
      return {
        ...wiring,
        extras: { ...(wiring.extras as TExtra), sqlStats: postgres.stats },
        readiness: async () => {
          await postgres.ping();
          await readiness?.();
        },
      };
    },
  });
}
