import { openJournal, type Journal } from '@shop/kv';
import type { DeadLetter } from './retry.js';
import type { EventEnvelope } from './types.js';

/**
 * One line of the in-process bus's journal. Each is applied after the change it describes was
 * made in memory, so replaying one on top of a snapshot that already holds it changes nothing.
 */
export type BusRecord =
  /** Published. */
  | { e: EventEnvelope }
  /** Consumer group created: it sees the log from index `from`. */
  | { g: string; from: number }
  /** The group has event `id` to handle (again): after a failure (`dueAt`), a replay, a snapshot. */
  | { pend: string; id: string; attempts: number; dueAt: number | null }
  /** The group is done with event `id` (handled, skipped or dead-lettered). */
  | { ok: string; id: string }
  | { dead: DeadLetter }
  /** A dead letter was replayed. */
  | { undead: string };

/** A group as loaded: what it still has to handle, in log order. */
export interface LoadedGroup {
  name: string;
  pending: Array<{ event: EventEnvelope; attempts: number; dueAt: number | null }>;
}

export interface BusJournal {
  journal: Journal<BusRecord>;
  log: EventEnvelope[];
  groups: LoadedGroup[];
  dead: DeadLetter[];
}

/**
 * Opens (and loads) the journal of a persistent in-process bus. `snapshot` gives the live
 * state as records once the bus runs (compaction), so the bus passes it in after loading.
 */
export function openBusJournal(path: string, snapshot: () => Iterable<BusRecord>): BusJournal {
  const log: EventEnvelope[] = [];
  const logged = new Set<string>();
  const groups = new Map<string, { from: number; done: Set<string>; pending: Map<string, { attempts: number; dueAt: number | null }> }>();
  const dead = new Map<string, DeadLetter>();
  let loading = true;
  const journal = openJournal<BusRecord>({
    path,
    apply(record) {
      if ('e' in record) {
        if (!logged.has(record.e.id)) log.push(record.e);
        logged.add(record.e.id);
      } else if ('g' in record) {
        groups.set(record.g, { from: record.from, done: new Set(), pending: new Map() });
      } else if ('pend' in record) {
        const group = groups.get(record.pend);
        group?.done.delete(record.id);
        group?.pending.set(record.id, { attempts: record.attempts, dueAt: record.dueAt });
      } else if ('ok' in record) {
        const group = groups.get(record.ok);
        group?.done.add(record.id);
        group?.pending.delete(record.id);
      } else if ('dead' in record) {
        dead.set(record.dead.id, record.dead);
      } else {
        dead.delete(record.undead);
      }
    },
    // While loading, the snapshot is what was just loaded; afterwards the bus's live state.
    *snapshot() {
      if (!loading) return yield* snapshot();
      for (const event of log) yield { e: event };
      for (const letter of dead.values()) yield { dead: letter };
      for (const group of loaded()) {
        yield { g: group.name, from: log.length };
        for (const { event, attempts, dueAt } of group.pending) yield { pend: group.name, id: event.id, attempts, dueAt };
      }
    },
  });
  function loaded(): LoadedGroup[] {
    return [...groups].map(([name, group]) => ({
      name,
      pending: log
        .map((event, index) => ({ event, index }))
        .filter(({ event, index }) => group.pending.has(event.id) || (index >= group.from && !group.done.has(event.id)))
        .map(({ event }) => ({ event, attempts: group.pending.get(event.id)?.attempts ?? 0, dueAt: group.pending.get(event.id)?.dueAt ?? null })),
    }));
  }
  loading = false;
  return { journal, log, groups: loaded(), dead: [...dead.values()] };
}
