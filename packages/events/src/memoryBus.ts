import { matches } from './envelope.js';
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
  /** Being handled now (0 or 1: a group handles one event at a time). */
  inFlight: number;
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
 */
export function createMemoryBus(
  options: Omit<BusOptions, 'onError'> & { onError?: (error: unknown, event: EventEnvelope) => void } = {},
): EventBus {
  const busRetry = retryPolicy(options);
  const now = options.now ?? Date.now;
  const log: EventEnvelope[] = [];
  const groups = new Map<string, Group>();
  const dead: DeadLetter[] = [];
  let deadSeq = 0;
  let closed = false;
  const metrics = createEventMetrics(async () =>
    [...groups.values()].map((g) => ({
      group: g.name,
      lag: log.length - g.next,
      pending: g.ready.length + g.inFlight,
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
      metrics.deadLettered(group.name, delivery.event.type);
      options.onDeadLetter?.(structuredClone(letter));
      return;
    }
    group.retrying.push({ ...delivery, attempts, dueAt: now() + retry.delayMs(attempts) });
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
        if (!matches(consumer.types, delivery.event.type)) continue;
        group.inFlight += 1;
        try {
          await consumer.handler(delivery.event);
          metrics.handled(group.name, delivery.event.type);
        } catch (error) {
          fail(group, consumer, delivery, error);
        } finally {
          group.inFlight -= 1;
        }
      }
    } finally {
      group.running = false;
      release();
      wakeForRetries(group);
    }
  };

  const groupOf = (name: string, startAt: SubscribeOptions['startAt']): Group => {
    let group = groups.get(name);
    if (!group) {
      group = {
        name,
        next: startAt === 'new' ? log.length : 0,
        ready: [],
        inFlight: 0,
        retrying: [],
        consumers: [],
        turn: 0,
        running: false,
        idle: Promise.resolve(),
        timer: null,
      };
      groups.set(name, group);
    }
    return group;
  };

  return {
    kind: 'memory',
    metrics: metrics.registry,
    async publish(events) {
      if (closed) throw new Error('event bus is closed');
      log.push(...events.map((e) => structuredClone(e)));
      for (const group of groups.values()) void drain(group);
    },
    async subscribe(subscribeOptions): Promise<Subscription> {
      const group = groupOf(subscribeOptions.group, subscribeOptions.startAt);
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
      metrics.replayed(letter.group);
      void drain(group);
      return structuredClone(letter);
    },
    async close() {
      closed = true;
      for (const group of groups.values()) if (group.timer) clearTimeout(group.timer);
      await Promise.all([...groups.values()].map((g) => g.idle));
    },
  };
}
