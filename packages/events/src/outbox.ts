import { sql, type Generated, type Kysely, type Migration } from 'kysely';
import type { EventBus, EventEnvelope } from './types.js';

/**
 * The transactional outbox: producers insert events in the same PostgreSQL transaction as the
 * state change they describe, so an event exists if and only if the change committed.
 */
export const outboxMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE event_outbox (
        seq bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        event jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`.execute(db);
    await sql`CREATE INDEX event_outbox_unpublished ON event_outbox (seq) WHERE published_at IS NULL`.execute(db);
  },
  async down(db) {
    await sql`DROP TABLE event_outbox`.execute(db);
  },
};

/** Consumers record each handled event id here, in the transaction of the handler's writes. */
export const inboxMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE event_inbox (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT event_inbox_pk PRIMARY KEY (consumer, event_id)
      )`.execute(db);
  },
  async down(db) {
    await sql`DROP TABLE event_inbox`.execute(db);
  },
};

interface OutboxTables {
  event_outbox: {
    seq: Generated<number>;
    id: string;
    type: string;
    event: unknown;
    created_at: Generated<Date>;
    published_at: Date | null;
  };
  event_inbox: {
    consumer: string;
    event_id: string;
    event_type: string;
    handled_at: Generated<Date>;
  };
}

/** Writes events to the outbox; call it with the transaction that makes the state change. */
export async function enqueueEvents(trx: Kysely<any>, events: readonly EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  await (trx as Kysely<OutboxTables>)
    .insertInto('event_outbox')
    .values(events.map((e) => ({ id: e.id, type: e.type, event: JSON.stringify(e), published_at: null })))
    .execute();
}

/**
 * Runs `handle` at most once per (consumer, event id): the inbox row and the handler's writes
 * commit together, so a redelivered event is skipped and a failed handler leaves no trace.
 * Resolves to false when the event had been handled already.
 */
export async function handleOnce(
  db: Kysely<any>,
  consumer: string,
  event: EventEnvelope,
  handle: (trx: Kysely<any>) => Promise<void>,
): Promise<boolean> {
  return (db as Kysely<OutboxTables>).transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('event_inbox')
      .values({ consumer, event_id: event.id, event_type: event.type })
      .onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await handle(trx as Kysely<any>);
    return true;
  });
}

export interface OutboxRelay {
  /** Publishes whatever is waiting now; resolves to how many events went out. */
  flush(): Promise<number>;
  /** Asks for a flush soon (after a commit), without waiting for the next poll. */
  wake(): void;
  /** No more polls; waits for the batch under way, then publishes what is committed by now (a last flush). */
  stop(): Promise<void>;
}

/**
 * Moves committed outbox events to the bus: locks a batch (SKIP LOCKED, so replicas share the
 * work), publishes it, marks it published, commits. If the process dies after publishing but
 * before the commit, the batch is published again later: consumers dedupe by event id.
 */
export function startOutboxRelay(options: {
  db: Kysely<any>;
  bus: EventBus;
  pollMs?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
}): OutboxRelay {
  const db = options.db as Kysely<OutboxTables>;
  const batchSize = options.batchSize ?? 100;
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  const publishBatch = () =>
    db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('event_outbox')
        .select(['seq', 'event'])
        .where('published_at', 'is', null)
        .orderBy('seq')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return 0;
      await options.bus.publish(rows.map((r) => (typeof r.event === 'string' ? JSON.parse(r.event) : r.event) as EventEnvelope));
      await trx
        .updateTable('event_outbox')
        .set({ published_at: new Date() })
        .where('seq', 'in', rows.map((r) => r.seq))
        .execute();
      return rows.length;
    });

  const flush = async (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          for (let n = batchSize; n === batchSize && !stopped; ) {
            n = await publishBatch();
            total += n;
          }
        } while (again && !stopped);
      } finally {
        running = null;
      }
      return total;
    })();
    return running;
  };

  const tick = () => {
    if (stopped) return;
    flush()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.pollMs ?? 250);
      });
  };
  timer = setTimeout(tick, 0);

  return {
    flush,
    wake() {
      if (!stopped) void flush().catch((error: unknown) => options.onError?.(error));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => 0);
      // Events committed by the requests that finished during the shutdown leave now, not on the
      // next start; if the bus is unreachable they stay in the outbox for the next relay.
      try {
        for (let n = batchSize; n === batchSize; ) n = await publishBatch();
      } catch (error) {
        options.onError?.(error);
      }
    },
  };
}
