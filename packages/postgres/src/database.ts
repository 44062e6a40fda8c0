import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { redactUrl } from '@shop/config';
import { createWorkCounter, recordSpan, SpanKind, tracingEnabled } from '@shop/telemetry';
import { namedStatementPool } from './prepared.js';

// Return BIGINT (int8) and NUMERIC as JS numbers only where safe: we keep money in integer
// minor units inside INTEGER/BIGINT columns, so parse int8 as a number (values stay < 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export interface QueryStats {
  /** SQL statements sent since the last reset. */
  readonly queries: number;
  /** SQL statements sent on behalf of a watched request (`watchRequest` in @shop/telemetry). */
  forRequest(requestId: string): number;
  reset(): void;
}

export interface Postgres<DB> {
  db: Kysely<DB>;
  pool: pg.Pool;
  stats: QueryStats;
  /** Throws unless the server answers `SELECT 1`. */
  ping(): Promise<void>;
  destroy(): Promise<void>;
}

export function createPostgres<DB>(options: {
  url: string;
  maxConnections?: number;
  onQuery?: (event: LogEvent) => void;
}): Postgres<DB> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  // A client that loses its connection (PostgreSQL restarting) must not crash the process: idle
  // ones report to the pool, checked-out ones to this listener, which pg needs when the loss
  // comes between two statements (no query to fail). Either way the pool drops the broken client
  // on release, and the next request connects anew.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const database = new URL(options.url).pathname.slice(1);
  const statements = createWorkCounter();
  const stats: QueryStats = {
    get queries() {
      return statements.total;
    },
    forRequest: (requestId) => statements.forRequest(requestId),
    reset: () => statements.reset(),
  };
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: namedStatementPool(pool) }),
    log: (event) => {
      statements.count();
      // Reported after the statement ran, still in the caller's context: a span in its trace.
      if (tracingEnabled()) {
        recordSpan(`SQL ${firstWord(event.query.sql)}`, {
          kind: SpanKind.CLIENT,
          durationMs: event.queryDurationMillis,
          attributes: { 'db.system.name': 'postgresql', 'db.namespace': database, 'db.query.text': event.query.sql },
          ...(event.level === 'error' ? { error: event.error } : {}),
        });
      }
      options.onQuery?.(event);
    },
  });
  return {
    db,
    pool,
    stats,
    async ping() {
      await pool.query('SELECT 1');
    },
    async destroy() {
      await db.destroy();
      // Kysely ends the pool only if it ever used it; a pool used directly must end too.
      if (!pool.ended) await pool.end().catch(() => undefined);
    },
  };
}

function firstWord(sql: string): string {
  return /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'QUERY';
}

/**
 * Waits for PostgreSQL to accept connections, so a service started alongside its database
 * does not die on the first refused connection; fails with a hint naming what to start.
 */
export async function waitForPostgres(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const where = redactUrl(url, 'DATABASE_URL');
  throw new Error(
    `PostgreSQL at ${where} did not answer within ${timeoutMs / 1000} s (${(lastError as Error)?.message}). ` +
      'Start it (or unset DATABASE_URL to use the embedded PostgreSQL of `npm start`).',
  );
}

/** Creates the database named in `url` when missing, connecting to the server's `postgres` database. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Refusing to create database with unusual name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
        // Another process created it between our check and our create.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}
