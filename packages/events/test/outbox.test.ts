import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Kysely } from 'kysely';
import { createPostgres, migrateToLatest, type Postgres } from '@shop/postgres';
import { createTestDatabase, until } from '@shop/testing';
import {
  createEvent,
  createMemoryBus,
  enqueueEvents,
  handleOnce,
  inboxMigration,
  outboxMigration,
  startOutboxRelay,
  type EventBus,
  type EventEnvelope,
} from '@shop/events';

let pg: Postgres<any>;
let db: Kysely<any>;

beforeAll(async () => {
  pg = createPostgres({ url: await createTestDatabase('events') });
  db = pg.db;
  await db.schema.createTable('orders').addColumn('id', 'text', (c) => c.primaryKey()).execute();
  await migrateToLatest(db, { '0001_outbox': outboxMigration, '0002_inbox': inboxMigration });
});

afterAll(async () => {
  await pg.destroy();
});

async function placeOrder(id: string, fail = false): Promise<EventEnvelope> {
  const event = createEvent('orders', 'order.placed', id, { orderId: id });
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('orders').values({ id }).execute();
    await enqueueEvents(trx, [event]);
    if (fail) throw new Error('rolled back');
  });
  return event;
}

describe('transactional outbox', () => {
  it('publishes an event only when its transaction committed', async () => {
    const bus = createMemoryBus();
    const seen: string[] = [];
    await bus.subscribe({ group: 'test', types: '*', handler: async (e) => void seen.push(e.key) });
    const relay = startOutboxRelay({ db, bus, pollMs: 20 });
    await expect(placeOrder('rolled-back', true)).rejects.toThrow('rolled back');
    await placeOrder('committed');
    await until(() => seen.includes('committed'));
    await relay.stop();
    expect(seen).toEqual(['committed']);
    await bus.close();
  });

  it('loses nothing when the relay dies between commit and publish, or between publish and marking', async () => {
    const bus = createMemoryBus();
    const handled: string[] = [];
    const deliveries: string[] = [];
    await bus.subscribe({
      group: 'inventory',
      types: ['order.placed'],
      handler: async (event) => {
        deliveries.push(event.id);
        await handleOnce(db, 'inventory', event, async () => void handled.push(event.key));
      },
    });

    // 1. No relay running at commit time (the process died right after the commit).
    const first = await placeOrder('while-relay-dead');

    // 2. A relay that "crashes" after the bus accepted the batch but before it could mark it
    //    published: its transaction rolls back, so the batch stays in the outbox.
    const crashing: EventBus = {
      ...bus,
      async publish(events) {
        await bus.publish(events);
        throw new Error('killed mid-way');
      },
    };
    const doomed = startOutboxRelay({ db, bus: crashing, pollMs: 1_000_000 });
    await expect(doomed.flush()).rejects.toThrow('killed mid-way');
    // Its last flush on stop fails the same way (a second delivery), and the batch still stays.
    await doomed.stop();
    await until(() => handled.length === 1);
    expect(handled).toEqual(['while-relay-dead']);

    // 3. A fresh relay publishes the batch again; the consumer sees it three times and acts once.
    const second = await placeOrder('after-restart');
    const relay = startOutboxRelay({ db, bus, pollMs: 20 });
    await until(() => handled.length === 2);
    await relay.stop();
    expect(handled).toEqual(['while-relay-dead', 'after-restart']);
    expect(deliveries.filter((id) => id === first.id)).toHaveLength(3);
    expect(deliveries.filter((id) => id === second.id)).toHaveLength(1);
    const left = await db.selectFrom('event_outbox').select('id').where('published_at', 'is', null).execute();
    expect(left).toEqual([]);
    await bus.close();
  });

  it('publishes on stop what was committed since the last poll', async () => {
    const bus = createMemoryBus();
    const seen: string[] = [];
    await bus.subscribe({ group: 'test', types: '*', handler: async (e) => void seen.push(e.key) });
    // Polls far apart and never woken: only the stop can publish it.
    const relay = startOutboxRelay({ db, bus, pollMs: 1_000_000 });
    await relay.flush();
    await placeOrder('committed-while-stopping');
    await relay.stop();
    await until(() => seen.includes('committed-while-stopping'));
    expect(seen).toEqual(['committed-while-stopping']);
    const left = await db.selectFrom('event_outbox').select('id').where('published_at', 'is', null).execute();
    expect(left).toEqual([]);
    await bus.close();
  });

  it('rolls back the inbox mark when the handler fails, so the retry runs it', async () => {
    const event = createEvent('payments', 'payment.succeeded', 'pay-1', {});
    await expect(
      handleOnce(db, 'orders', event, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    let ran = 0;
    expect(await handleOnce(db, 'orders', event, async () => void (ran += 1))).toBe(true);
    expect(await handleOnce(db, 'orders', event, async () => void (ran += 1))).toBe(false);
    expect(ran).toBe(1);
  });
});
