import { randomUUID } from 'node:crypto';
import { currentTraceparent, SpanKind, withSpan } from '@shop/telemetry';
import type { EventEnvelope, EventHandler } from './types.js';

/** A new event, carrying the active trace (the request that caused it) when tracing is on. */
export function createEvent<T>(source: string, type: string, key: string, data: T): EventEnvelope<T> {
  const traceparent = currentTraceparent();
  return { id: randomUUID(), type, source, occurredAt: new Date().toISOString(), key, data, ...(traceparent ? { traceparent } : {}) };
}

/** Runs a consumer's handler in a span of the trace the event carries (a no-op without tracing). */
export function handleInTrace(group: string, event: EventEnvelope, handler: EventHandler): Promise<void> {
  return withSpan(
    `event ${event.type}`,
    {
      kind: SpanKind.CONSUMER,
      ...(event.traceparent ? { parent: { traceparent: event.traceparent } } : {}),
      attributes: { 'messaging.consumer.group.name': group, 'messaging.message.id': event.id, 'shop.event.type': event.type, 'shop.event.source': event.source },
    },
    () => handler(event),
  );
}

export function matches(types: readonly string[] | '*', type: string): boolean {
  return types === '*' || types.includes(type);
}
