import {
  PRIVACY_EVENTS,
  type DataExportPart,
  type DataExportRequested,
  type UserDeleted,
  type UserErased,
} from '@shop/contracts';
import { createEvent, type EventBus, type EventEnvelope, type Subscription } from '@shop/events';
import type { Logger } from './logger.js';

/** What one subgraph does for a person's privacy rights (docs/privacy.md says what each keeps). */
export interface PrivacyParticipant {
  /** Everything this subgraph keeps about the user, as JSON. */
  exportPart(userId: string): Promise<unknown>;
  /** Erases or anonymises it. Runs again on a redelivery, so it must be idempotent. */
  erase(userId: string): Promise<void>;
}

/**
 * Answers the users subgraph's privacy requests from this subgraph's own store: its part of a
 * data export, and its erasure after an account deletion, each published back as an event.
 * At least once on both sides: a part or an erasure answered twice is recorded once by users.
 * A subgraph that is down when a request is published answers it when it is back (its consumer
 * group keeps the events); one whose store fails throws, so the bus tries again.
 */
export function startPrivacyParticipant(options: { bus: EventBus; service: string; participant: PrivacyParticipant; logger: Logger }): Promise<Subscription> {
  const { bus, service, participant, logger } = options;
  return bus.subscribe({
    group: `${service}.privacy`,
    types: [PRIVACY_EVENTS.exportRequested, PRIVACY_EVENTS.userDeleted],
    async handler(event: EventEnvelope) {
      if (event.type === PRIVACY_EVENTS.exportRequested) {
        const request = event.data as DataExportRequested;
        const part: DataExportPart = { exportId: request.exportId, userId: request.userId, service, data: await participant.exportPart(request.userId) };
        await bus.publish([createEvent(service, PRIVACY_EVENTS.exportPart, request.exportId, part)]);
        return;
      }
      const { userId } = event.data as UserDeleted;
      await participant.erase(userId);
      const erased: UserErased = { userId, service, erasedAt: new Date().toISOString() };
      await bus.publish([createEvent(service, PRIVACY_EVENTS.userErased, userId, erased)]);
      logger.info('personal data erased', { userId });
    },
  });
}
