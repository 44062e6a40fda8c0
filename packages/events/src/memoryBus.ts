import { openBusJournal, type BusRecord } from './busJournal.js';
import { handleInTrace, matches } from './envelope.js';
import { createEventMetrics } from './metrics.js';
import { errorMessage, retryPolicy, type BusOptions, type DeadLetter } from './retry.js';
import type { EventBus, EventEnvelope, SubscribeOptions, Subscription } from './types.js';

interface Delivery {
  event: EventEnvelope;
  /** Failed tries so far. */
  attempts: number;
}

interface Group {
  name: string;
  /** Index into the log of the next event this group has not taken yet. */
  next: number;
  /** Taken, due now, not yet handled. */
  ready: Delivery[];
  /** Being handled now (a group handles one event at a time). */
  current: Delivery | null;
  /** Failed, waiting for `dueAt` on the bus clock. */
  retrying: Array<Delivery & { dueAt: number }>;
  consumers: SubscribeOptions[];
  turn: number;
  running: boolean;
  idle: Promise<void>;
  timer: NodeJS.Timeout | null;
}

// While events of a group wait for their next try, the group looks at the clock this often at
// most (and at least as soon as the earliest is due), so a clock that tests move is noticed.
const MAX_WAKE_MS = 1000;
const MIN_WAKE_MS = 10;

/**
 * The in-process bus of embedded mode, with the Redis bus's semantics: an append-only log,
 * consumer groups that each see every event, consumers within a group taking turns, at-least-
 * once delivery with per-event backoff, and a dead-letter list after the last try. Events wait
 * in their group while it has no consumer.
 *
 * With `persistPath` (`npm start` without Redis) the bus keeps its log, each group's unfinished
 * events (with their tries and due times) and the dead letters in a journal (`@shop/kv`'s
 * openJournal): `publish` resolves once the events are on disk, so an event an outbox relay
 * handed over survives a restart and is delivered after it; a group's progress is written
 * behind (a crash may deliver an event again: consumers dedupe by id).
 */
export function createMemoryBus(
  options: Omit<BusOptions, 'onError'> & { onError?: (error: unknown, event: EventEnvelope) => void; persistPath?: string } = {},
): EventBus {
  const busRetry = retryPolicy(options);
  const now = options.now ?? Date.now;
  const log: EventEnvelope[] = [];
  const groups = new Map<string, Group>();
  const dead: DeadLetter[] = [];
  let deadSeq = 0;
  let closed = false;
  const stored = options.persistPath ? openBusJournal(options.persistPath, () => snapshot()) : null;
  const record = (...records: BusRecord[]) => {
    for (const r of records) stored?.journal.append(r);
  };
  // Writes what was recorded; `publish` and `subscribe` wait for it, the rest write behind.
  const persist = async () => stored?.journal.sync();
  // A failed write-behind also fails the next publish, which waits on the same journal.
  const persistBehind = () => void persist().catch(() => undefined);
  const metrics = createEventMetrics(async () =>
    [...groups.values()].map((g) => ({
      group: g.name,
      lag: log.length - g.next,
      pending: g.ready.length + (g.current ? 1 : 0),
      retrying: g.retrying.length,
      deadLetters: dead.filter((d) => d.group === g.name).length,
    })),
  );

  const promoteDue = (group: Group) => {
    const at = now();
    const due = group.retrying.filter((d) => d.dueAt <= at);
    if (due.length === 0) return;
    group.retrying = group.retrying.filter((d) => d.dueAt > at);
    group.ready.push(...due.map(({ event, attempts }) => ({ event, attempts })));
  };

  const wakeForRetries = (group: Group) => {
    if (closed || group.timer || group.retrying.length === 0) return;
    const earliest = Math.min(...group.retrying.map((d) => d.dueAt));
    const wait = Math.min(MAX_WAKE_MS, Math.max(MIN_WAKE_MS, earliest - now()));
    group.timer = setTimeout(() => {
      group.timer = null;
      void drain(group);
    }, wait);
    group.timer.unref();
  };

  const fail = (group: Group, consumer: SubscribeOptions, delivery: Delivery, error: unknown) => {
    const retry = consumer.retry ? { ...busRetry, ...consumer.retry } : busRetry;
    const attempts = delivery.attempts + 1;
    options.onError?.(error, delivery.event);
    if (attempts >= retry.maxAttempts) {
      const letter: DeadLetter = {
        id: String(++deadSeq),
        group: group.name,
        event: delivery.event,
        attempts,
        error: errorMessage(error),
        failedAt: new Date(now()).toISOString(),
      };
      dead.push(letter);
      record({ ok: group.name, id: delivery.event.id }, { dead: letter });
      metrics.deadLettered(group.name, delivery.event.type);
      options.onDeadLetter?.(structuredClone(letter));
      return;
    }
    const dueAt = now() + retry.delayMs(attempts);
    group.retrying.push({ ...delivery, attempts, dueAt });
    record({ pend: group.name, id: delivery.event.id, attempts, dueAt });
    metrics.retried(group.name, delivery.event.type);
  };

  const drain = async (group: Group) => {
    if (group.running) return;
    group.running = true;
    let release!: () => void;
    group.idle = new Promise((resolve) => (release = resolve));
    try {
      while (!closed && group.consumers.length > 0) {
        promoteDue(group);
        while (group.next < log.length) group.ready.push({ event: log[group.next++]!, attempts: 0 });
        const delivery = group.ready.shift();
        if (!delivery) break;
        const consumer = group.consumers[group.turn++ % group.consumers.length]!;
        if (!matches(consumer.types, delivery.event.type)) {
          record({ ok: group.name, id: delivery.event.id });
          continue;
        }
        group.current = delivery;
        try {
          await handleInTrace(group.name, delivery.event, consumer.handler);
          record({ ok: group.name, id: delivery.event.id });
          metrics.handled(group.name, delivery.event.type);
        } catch (error) {
          fail(group, consumer, delivery, error);
        } finally {
          group.current = null;
          persistBehind();
        }
      }
    } finally {
      group.running = false;
      release();
      wakeForRetries(group);
    }
  };

  const newGroup = (name: string, next: number): Group => {
    const group: Group = {
      name,
      next,
      ready: [],
      current: null,
      retrying: [],
      consumers: [],
      turn: 0,
      running: false,
      idle: Promise.resolve(),
      timer: null,
    };
    groups.set(name, group);
    return group;
  };
  const groupOf = (name: string, startAt: SubscribeOptions['startAt']): Group => {
    const existing = groups.get(name);
    if (existing) return existing;
    const group = newGroup(name, startAt === 'new' ? log.length : 0);
    record({ g: name, from: group.next });
    return group;
  };

  // The live state as journal records, for compaction: every event, every dead letter, and per
  // group what it has not finished (everything else in the log counts as done).
  function* snapshot(): Iterable<BusRecord> {
    for (const event of log) yield { e: event };
    for (const letter of dead) yield { dead: letter };
    for (const group of groups.values()) {
      yield { g: group.name, from: log.length };
      const unfinished = [
        ...(group.current ? [{ ...group.current, dueAt: null }] : []),
        ...group.ready.map((d) => ({ ...d, dueAt: null })),
        ...group.retrying,
        ...log.slice(group.next).map((event) => ({ event, attempts: 0, dueAt: null })),
      ];
      for (const { event, attempts, dueAt } of unfinished) yield { pend: group.name, id: event.id, attempts, dueAt };
    }
  }

  if (stored) {
    log.push(...stored.log);
    dead.push(...stored.dead);
    deadSeq = Math.max(0, ...stored.dead.map((d) => Number(d.id)));
    for (const { name, pending } of stored.groups) {
      const group = newGroup(name, log.length);
      for (const { event, attempts, dueAt } of pending) {
        if (dueAt === null) group.ready.push({ event, attempts });
        else group.retrying.push({ event, attempts, dueAt });
      }
    }
  }

  return {
    kind: 'memory',
    metrics: metrics.registry,
    async publish(events) {
      if (closed) throw new Error('event bus is closed');
      const copies = events.map((e) => structuredClone(e));
      log.push(...copies);
      record(...copies.map((e) => ({ e })));
      await persist();
      for (const group of groups.values()) void drain(group);
    },
    async subscribe(subscribeOptions): Promise<Subscription> {
      const group = groupOf(subscribeOptions.group, subscribeOptions.startAt);
      await persist();
      group.consumers.push(subscribeOptions);
      queueMicrotask(() => void drain(group));
      return {
        async stop() {
          group.consumers = group.consumers.filter((c) => c !== subscribeOptions);
          if (group.consumers.length === 0) await group.idle;
        },
      };
    },
    async deadLetters({ group, limit = 100 } = {}) {
      return structuredClone(dead.filter((d) => group === undefined || d.group === group).slice(0, limit));
    },
    async replayDeadLetter(id) {
      const index = dead.findIndex((d) => d.id === id);
      if (index < 0) return null;
      const [letter] = dead.splice(index, 1) as [DeadLetter];
      const group = groupOf(letter.group, 'beginning');
      group.ready.push({ event: letter.event, attempts: 0 });
      record({ undead: letter.id }, { pend: letter.group, id: letter.event.id, attempts: 0, dueAt: null });
      await persist();
      metrics.replayed(letter.group);
      void drain(group);
      return structuredClone(letter);
    },
    async close() {
      closed = true;
      for (const group of groups.values()) if (group.timer) clearTimeout(group.timer);
      await Promise.all([...groups.values()].map((g) => g.idle));
      await stored?.journal.close();
    },
  };
}
