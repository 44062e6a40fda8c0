import { Counter, Gauge, Registry } from 'prom-client';

/** Where one consumer group stands, read from the bus when metrics are scraped. */
export interface GroupBacklog {
  group: string;
  /** Events in the log the group has not been handed yet. */
  lag: number;
  /** Handed to a consumer and not yet acknowledged (being handled, or left by a dead replica). */
  pending: number;
  /** Failed at least once and waiting for their next try. */
  retrying: number;
  /** In the dead-letter list. */
  deadLetters: number;
}

export interface EventMetrics {
  /** A registry of its own: a process exposes it beside its other metrics (Registry.merge). */
  readonly registry: Registry;
  handled(group: string, type: string): void;
  retried(group: string, type: string): void;
  deadLettered(group: string, type: string): void;
  replayed(group: string): void;
}

/**
 * The bus's Prometheus metrics. Counters count what this process did; the backlog gauges are
 * read from the bus on each scrape (with Redis: every group of the stream, so every replica
 * reports the same values: aggregate them with `max by (group)`).
 */
export function createEventMetrics(observe: () => Promise<GroupBacklog[]>): EventMetrics {
  const registry = new Registry();
  let inflight: Promise<GroupBacklog[]> | null = null;
  // The four gauges collect together on one scrape: one read of the bus serves them all.
  const snapshot = () => (inflight ??= observe().finally(() => (inflight = null)));
  const backlogGauge = (name: string, help: string, pick: (b: GroupBacklog) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['group'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const backlog of await snapshot().catch(() => [])) this.set({ group: backlog.group }, pick(backlog));
      },
    });
  backlogGauge('events_consumer_lag', 'Events in the log not yet handed to the consumer group', (b) => b.lag);
  backlogGauge('events_pending', 'Events handed to a consumer and not yet acknowledged', (b) => b.pending);
  backlogGauge('events_retrying', 'Events that failed and wait for their next try (per-event backoff)', (b) => b.retrying);
  backlogGauge('events_dead_letters', 'Events in the dead-letter list, by the group that gave up on them', (b) => b.deadLetters);
  const counter = (name: string, help: string, labelNames: readonly string[]) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const handled = counter('events_handled_total', 'Events handled successfully, by group and type', ['group', 'type']);
  const retries = counter('events_retries_total', 'Handler failures that scheduled another try, by group and type', ['group', 'type']);
  const dead = counter('events_dead_lettered_total', 'Events dead-lettered after their last try, by group and type', ['group', 'type']);
  const replays = counter('events_replayed_total', 'Dead letters handed back to their group', ['group']);
  return {
    registry,
    handled: (group, type) => handled.inc({ group, type }),
    retried: (group, type) => retries.inc({ group, type }),
    deadLettered: (group, type) => dead.inc({ group, type }),
    replayed: (group) => replays.inc({ group }),
  };
}
