import type { PrivacyParticipant } from '@shop/subgraph-kit';
import type { Kysely } from 'kysely';
import type { NotificationsDatabase } from './db/schema.js';

/**
 * Notifications' part of privacy rights. Every message rendered for the user (their address,
 * name and order details in it) is deleted. Which order belongs to which user id stays
 * (`known_orders`): later events about those orders are still addressed, now to users'
 * anonymous tombstone, whose `.invalid` address no mail server delivers to.
 */
export function createNotificationsPrivacy(db: Kysely<NotificationsDatabase>): PrivacyParticipant {
  return {
    async exportPart(userId) {
      const messages = await db
        .selectFrom('notifications')
        .select(['type', 'channel', 'recipient', 'subject', 'body', 'locale', 'status', 'created_at', 'sent_at'])
        .where('user_id', '=', userId)
        .orderBy('seq')
        .execute();
      return {
        notifications: messages.map((m) => ({
          type: m.type,
          channel: m.channel,
          recipient: m.recipient,
          subject: m.subject,
          body: m.body,
          locale: m.locale,
          status: m.status,
          createdAt: m.created_at.toISOString(),
          sentAt: m.sent_at?.toISOString() ?? null,
        })),
      };
    },

    async erase(userId) {
      await db.deleteFrom('notifications').where('user_id', '=', userId).execute();
    },
  };
}
