import { AppError, badUserInput } from '@shop/errors';
import { compareStreamIds as compareIds } from '@shop/kv';
import type { PubSub } from './channelIterator.js';
import { EventQueue } from './EventQueue.js';
import type { Logger } from './logger.js';

/** One entry of an append-only log: its id (`<ms>-<seq>`, Redis Stream style) and message. */
export interface StreamEntry {
  id: string;
  message: string;
}

/** Where an event log lives: `@shop/kv`'s KeyValueStore has this shape (a Redis Stream in production). */
export interface EventLogStore extends PubSub {
  append(stream: string, message: string, options: { retainMs: number; once?: { key: string; ttlSeconds: number } }): Promise<string>;
  readAfter(stream: string, afterId: string, count: number): Promise<{ entries: StreamEntry[]; complete: boolean }>;
  lastId(stream: string): Promise<string>;
}

/** What a subscription resolver receives: the event and its id, sent as `extensions.eventId`. */
export interface LoggedEvent<T> {
  eventId: string;
  event: T;
}

export function isLoggedEvent(value: unknown): value is LoggedEvent<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { eventId?: unknown }).eventId === 'string' && 'event' in value;
}

export interface EventLog<T> {
  /**
   * Appends the event an outbox event (`sourceId`: its envelope id) reports, once however often
   * the bus delivers it; resolves to its event id. Throws when the store fails, so the bus tries
   * again: fed from the outbox (`feedEventLog`), a committed change always reaches the log.
   */
  append(event: T, sourceId: string): Promise<string>;
  /**
   * Every event after `after` (an event id this log gave out) still retained, in order, then
   * live ones, each once; without `after`, live ones only. An `after` older than the retention
   * window is EVENTS_EXPIRED (the client refetches, then subscribes without it).
   */
  subscribe(options: { after?: string | null; filter?: (event: T) => boolean }): Promise<AsyncIterableIterator<LoggedEvent<T>>>;
}

export const DEFAULT_EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;
const PAGE = 200;
// A subscriber this far behind is ended (it resumes with `after`) rather than silently losing events.
const MAX_BUFFERED = 10_000;

/**
 * Event ids sort as strings in event order: the stream id with both parts zero-padded
 * (`<ms, 15 digits>-<seq, 10 digits>`).
 */
export function toEventId(streamId: string): string {
  const [ms, seq] = streamId.split('-');
  return `${ms!.padStart(15, '0')}-${(seq ?? '0').padStart(10, '0')}`;
}

function streamIdOf(eventId: string): string | null {
  const match = /^(\d{1,15})-(\d{1,10})$/.exec(eventId);
  return match ? `${BigInt(match[1]!)}-${BigInt(match[2]!)}` : null;
}

export function eventsExpired(retentionMs: number): AppError {
  const retentionSeconds = Math.floor(retentionMs / 1000);
  return new AppError('EVENTS_EXPIRED', `Events are kept for ${retentionSeconds} s; those after this id are gone. Refetch, then subscribe without "after".`, {
    field: 'after',
    retentionSeconds,
  });
}

interface Listener<T> {
  queue: EventQueue<LoggedEvent<T>>;
  filter: (event: T) => boolean;
  /** Entries up to this id were delivered (or were never wanted). */
  floor: string;
}

/**
 * An ordered, retained log of one kind of event, shared by every replica through the store,
 * with live delivery from the same log: appends wake readers over pub/sub, and each process
 * reads new entries once, in order, for all of its subscribers. A subscriber that resumes is
 * caught up and joined to the live feed in one step of that same reader, so no event is missed
 * or repeated at the seam.
 */
export function createEventLog<T>(options: { store: EventLogStore; stream: string; logger: Logger; retentionMs?: number; now?: () => number }): EventLog<T> {
  const { store, stream, logger } = options;
  const retentionMs = options.retentionMs ?? DEFAULT_EVENT_RETENTION_MS;
  const now = options.now ?? Date.now;
  const channel = `${stream}:appended`;
  const listeners = new Set<Listener<T>>();
  let cursor: string | null = null;
  let unsubscribe: (() => Promise<void>) | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  // Reading, joining and leaving happen one at a time, in order.
  const serial = <R>(work: () => Promise<R>): Promise<R> => {
    const run = chain.then(work);
    chain = run.catch(() => undefined);
    return run;
  };

  const parse = (entry: StreamEntry): T | null => {
    try {
      return JSON.parse(entry.message) as T;
    } catch (error) {
      logger.warn('malformed event log entry skipped', { stream, id: entry.id, error });
      return null;
    }
  };

  const deliver = (listener: Listener<T>, entry: StreamEntry, event: T) => {
    if (compareIds(entry.id, listener.floor) <= 0 || !listener.filter(event)) return;
    listener.queue.push({ eventId: toEventId(entry.id), event });
  };

  const pull = () =>
    serial(async () => {
      for (;;) {
        if (cursor === null) return;
        const { entries } = await store.readAfter(stream, cursor, PAGE);
        for (const entry of entries) {
          cursor = entry.id;
          const event = parse(entry);
          if (event !== null) for (const listener of listeners) deliver(listener, entry, event);
        }
        if (entries.length < PAGE) return;
      }
    }).catch((error: unknown) => logger.error('reading the event log failed', { stream, error }));

  const stopIfIdle = async () => {
    if (listeners.size > 0 || !unsubscribe) return;
    const stop = unsubscribe;
    unsubscribe = null;
    cursor = null;
    await stop();
  };

  /** Delivers the retained entries in (after, cursor] to one listener; throws when some are gone. */
  const catchUp = async (listener: Listener<T>, after: string, until: string) => {
    let from = after;
    for (let first = true; ; first = false) {
      const page = await store.readAfter(stream, from, PAGE);
      if (first && !page.complete) throw eventsExpired(retentionMs);
      for (const entry of page.entries) {
        if (compareIds(entry.id, until) > 0) return;
        const event = parse(entry);
        if (event !== null && listener.filter(event)) listener.queue.push({ eventId: toEventId(entry.id), event });
      }
      if (page.entries.length < PAGE) return;
      from = page.entries[page.entries.length - 1]!.id;
    }
  };

  return {
    async append(event, sourceId) {
      // The dedupe key lives as long as the entry: a redelivery after that is past any `after` anyway.
      const once = { key: `${stream}:logged:${sourceId}`, ttlSeconds: Math.ceil(retentionMs / 1000) };
      const id = await store.append(stream, JSON.stringify(event), { retainMs: retentionMs, once });
      await store.publish(channel, id).catch((error: unknown) => logger.warn('event log wake-up not published; readers catch up on the next one', { stream, error }));
      return toEventId(id);
    },

    async subscribe({ after, filter }) {
      const afterId = after === undefined || after === null ? null : streamIdOf(after);
      if (after !== undefined && after !== null && afterId === null) throw badUserInput('after must be an eventId this subscription sent', 'after');
      if (afterId !== null && Number(afterId.split('-')[0]) < now() - retentionMs) throw eventsExpired(retentionMs);
      const listener: Listener<T> = {
        queue: new EventQueue<LoggedEvent<T>>({
          maxBuffered: MAX_BUFFERED,
          onOverflow: () => new AppError('EVENTS_EXPIRED', 'This subscriber fell too far behind; resume with the last eventId it received', { field: 'after' }),
          onClose: () =>
            serial(async () => {
              listeners.delete(listener);
              await stopIfIdle();
            }),
        }),
        filter: filter ?? (() => true),
        floor: '0-0',
      };
      await serial(async () => {
        try {
          if (!unsubscribe) {
            // Listening before reading where the log ends: an append in between wakes us after.
            // A wake-up published while the connection to Redis was down is lost: read on resuming.
            unsubscribe = await store.subscribe(channel, () => void pull(), { onResume: () => void pull() });
            cursor = await store.lastId(stream);
          }
          listener.floor = cursor!;
          if (afterId !== null) {
            await catchUp(listener, afterId, cursor!);
            if (compareIds(afterId, cursor!) > 0) listener.floor = afterId;
          }
          listeners.add(listener);
        } finally {
          await stopIfIdle();
        }
      });
      return listener.queue;
    },
  };
}
