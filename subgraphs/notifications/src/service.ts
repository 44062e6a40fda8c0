import { badUserInput, forbidden } from '@shop/errors';
import type { EventEnvelope } from '@shop/events';
import { requireCaller, type Logger } from '@shop/subgraph-kit';
import type { NotificationsContext } from './context.js';
import { readEvent, readUserEvent } from './events.js';
import type { KnownOrder, NewNotification, Notification } from './model.js';
import type { Recipient, RecipientDirectory } from './recipientDirectory.js';
import type { NotificationsRepository } from './repository.js';
import { allowedByPreferences, render, TEMPLATES, type Message } from './templates.js';

/** The consumer group (and inbox name) of notifications' event handlers. */
export const CONSUMER_GROUP = 'notifications';

export const DEFAULT_FIRST = 20;
export const MAX_FIRST = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type EventOutcome = 'stored' | 'duplicate' | 'no-message' | 'parked' | 'ignored';

export type NotificationsService = ReturnType<typeof createNotificationsService>;

/** Turning events into stored messages, and who may read them. */
export function createNotificationsService(deps: {
  repository: NotificationsRepository;
  directory: RecipientDirectory;
  /** False in embedded mode: messages are stored as SKIPPED, since nothing would send them. */
  canSend: boolean;
  /** Called after a commit that queued a message (wakes the sender). */
  queued: () => void;
  logger: Logger;
}) {
  const { repository, directory, canSend, queued, logger } = deps;

  /** Renders the message and decides its first status. */
  function compose(event: EventEnvelope, userId: string, message: Message, recipient: Recipient | null): NewNotification {
    const rendered = render(message, { name: recipient?.name ?? null, locale: recipient?.locale ?? null });
    const base = { userId, eventId: event.id, type: message.type, subject: rendered.subject, body: rendered.body, locale: rendered.locale };
    if (!recipient) return { ...base, recipient: null, status: 'SKIPPED', lastError: 'not sent: the users subgraph knows no such user' };
    if (!allowedByPreferences(TEMPLATES[message.type], recipient)) {
      return { ...base, recipient: recipient.email, status: 'SKIPPED', lastError: 'not sent: the user did not opt in to marketing' };
    }
    if (!canSend) return { ...base, recipient: recipient.email, status: 'SKIPPED', lastError: 'not sent: no SMTP_URL configured' };
    return { ...base, recipient: recipient.email, status: 'QUEUED', lastError: null };
  }

  const recipientOf = async (userId: string) => (await directory.lookup([userId]))[0] ?? null;

  /**
   * Handles the events parked for an order now that it is known: each is taken out and its
   * message stored in one transaction, so two handlers releasing at once store it once.
   */
  async function releaseParked(orderId: string, known: { order: KnownOrder; recipient: Recipient | null } | null): Promise<void> {
    const parked = await repository.findParked(orderId);
    if (parked.length === 0) return;
    const order = known?.order ?? (await repository.findOrder(orderId));
    if (!order) return;
    const recipient = known ? known.recipient : await recipientOf(order.userId);
    let queuedAny = false;
    for (const event of parked) {
      const message = readEvent(event)?.message(order) ?? null;
      const notification = message ? compose(event, order.userId, message, recipient) : null;
      await repository.transaction(async (repo) => {
        if ((await repo.unpark(event.id)) && notification && (await repo.insert(notification))) queuedAny ||= notification.status === 'QUEUED';
      });
    }
    if (queuedAny) queued();
  }

  return {
    /**
     * Stores at most one message per event: the message and the inbox record commit together.
     * The recipient is looked up before the transaction (no HTTP call while holding it); a
     * redelivery that finds the inbox record skips the lookup. A payment or shipment event
     * whose order is not known yet (it overtook the order event) is parked, not retried, so it
     * cannot hold up the events behind it; the order event releases it. Throws (so the bus
     * redelivers) when users cannot be asked.
     */
    async handleEvent(event: EventEnvelope): Promise<EventOutcome> {
      const direct = UUID.test(event.id) ? readUserEvent(event) : null;
      if (direct) {
        if (await repository.wasHandled(CONSUMER_GROUP, event.id)) return 'duplicate';
        const notification = compose(event, direct.userId, direct.message, await recipientOf(direct.userId));
        const handled = await repository.handleOnce(CONSUMER_GROUP, event, (repo) => repo.insert(notification).then(() => undefined));
        if (handled && notification.status === 'QUEUED') queued();
        return handled ? 'stored' : 'duplicate';
      }
      const reading = UUID.test(event.id) ? readEvent(event) : null;
      if (!reading) {
        logger.warn('ignored a malformed event', { eventId: event.id, type: event.type });
        return 'ignored';
      }
      if (await repository.wasHandled(CONSUMER_GROUP, event.id)) {
        // A release that failed after the order event committed (users unreachable) is redone here.
        if (reading.order) await releaseParked(reading.orderId, null);
        return 'duplicate';
      }
      const order = reading.order ?? (await repository.findOrder(reading.orderId));
      if (!order) {
        const parked = await repository.handleOnce(CONSUMER_GROUP, event, (repo) => repo.park(reading.orderId, event));
        // The order event may have committed between our look and our parking, and missed this one.
        if (parked) await releaseParked(reading.orderId, null);
        return parked ? 'parked' : 'duplicate';
      }
      const message = reading.message(order);
      const recipient = message ? await recipientOf(order.userId) : null;
      const notification = message ? compose(event, order.userId, message, recipient) : null;
      const handled = await repository.handleOnce(CONSUMER_GROUP, event, async (repo) => {
        if (reading.order) await repo.rememberOrder(reading.order);
        if (notification) await repo.insert(notification);
      });
      if (handled && notification?.status === 'QUEUED') queued();
      if (reading.order) await releaseParked(order.orderId, message ? { order, recipient } : null);
      if (!handled) return 'duplicate';
      return notification ? 'stored' : 'no-message';
    },

    /** A user's messages, newest first: for the user themself or an ADMIN only. */
    async notificationsOf(ctx: NotificationsContext, userId: string, first: number | null | undefined): Promise<Notification[]> {
      const caller = requireCaller(ctx);
      if (caller.role !== 'ADMIN' && caller.userId !== userId) throw forbidden("Only the user themself or an ADMIN may read a user's notifications");
      const limit = first ?? DEFAULT_FIRST;
      if (!Number.isInteger(limit) || limit < 0 || limit > MAX_FIRST) throw badUserInput(`first must be between 0 and ${MAX_FIRST}`, 'first');
      return ctx.loaders.latestByUserId(limit).load(userId);
    },
  };
}
