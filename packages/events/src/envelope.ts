import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from './types.js';

export function createEvent<T>(source: string, type: string, key: string, data: T): EventEnvelope<T> {
  return { id: randomUUID(), type, source, occurredAt: new Date().toISOString(), key, data };
}

export function matches(types: readonly string[] | '*', type: string): boolean {
  return types === '*' || types.includes(type);
}
