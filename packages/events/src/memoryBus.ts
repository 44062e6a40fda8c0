import { matches, retryDelayMs } from './envelope.js';
import type { EventBus, EventEnvelope, SubscribeOptions, Subscription } from './types.js';

interface Group {
  /** Index into the log of the next event this group has not taken yet. */
  next: number;
  /** Taken but not yet handled successfully. */
  pending: EventEnvelope[];
  consumers: SubscribeOptions[];
  turn: number;
  running: boolean;
  idle: Promise<void>;
}

/**
 * The in-process bus of embedded mode, with Redis Streams' semantics: an append-only log,
 * consumer groups that each see every event, consumers within a group taking turns, and
 * redelivery with backoff until a handler succeeds (at least once). Events wait in their
 * group while it has no consumer.
 */
export function createMemoryBus(options: { onError?: (error: unknown, event: EventEnvelope) => void } = {}): EventBus {
  const log: EventEnvelope[] = [];
  const groups = new Map<string, Group>();
  let closed = false;

  const drain = async (group: Group) => {
    if (group.running) return;
    group.running = true;
    let release!: () => void;
    group.idle = new Promise((resolve) => (release = resolve));
    try {
      while (!closed) {
        while (group.next < log.length) group.pending.push(log[group.next++]!);
        const event = group.pending[0];
        if (!event || group.consumers.length === 0) break;
        for (let attempt = 1; !closed && group.consumers.length > 0; attempt++) {
          const consumer = group.consumers[group.turn++ % group.consumers.length]!;
          if (!matches(consumer.types, event.type)) {
            group.pending.shift();
            break;
          }
          try {
            await consumer.handler(event);
            group.pending.shift();
            break;
          } catch (error) {
            options.onError?.(error, event);
            await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
          }
        }
      }
    } finally {
      group.running = false;
      release();
    }
  };

  return {
    kind: 'memory',
    async publish(events) {
      if (closed) throw new Error('event bus is closed');
      log.push(...events.map((e) => structuredClone(e)));
      for (const group of groups.values()) void drain(group);
    },
    async subscribe(subscribeOptions): Promise<Subscription> {
      let group = groups.get(subscribeOptions.group);
      if (!group) {
        group = {
          next: subscribeOptions.startAt === 'new' ? log.length : 0,
          pending: [],
          consumers: [],
          turn: 0,
          running: false,
          idle: Promise.resolve(),
        };
        groups.set(subscribeOptions.group, group);
      }
      const owner = group;
      owner.consumers.push(subscribeOptions);
      queueMicrotask(() => void drain(owner));
      return {
        async stop() {
          owner.consumers = owner.consumers.filter((c) => c !== subscribeOptions);
          if (owner.consumers.length === 0) await owner.idle;
        },
      };
    },
    async close() {
      closed = true;
      await Promise.all([...groups.values()].map((g) => g.idle));
    },
  };
}
