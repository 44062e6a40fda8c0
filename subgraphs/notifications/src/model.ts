/**
 * Where a message stands. QUEUED: waiting for the sender (again, after a failed attempt);
 * SENT: the SMTP server accepted it; FAILED: every attempt failed; SKIPPED: deliberately not
 * sent (no SMTP configured, no recipient address, or a marketing message to an opted-out
 * user) — `lastError` says which.
 */
export type NotificationStatus = 'QUEUED' | 'SENT' | 'FAILED' | 'SKIPPED';

/** A stored message, as the service and the API see it. */
export interface Notification {
  id: string;
  userId: string;
  eventId: string;
  type: string;
  channel: string;
  recipient: string | null;
  subject: string;
  body: string;
  locale: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** A message about to be stored, rendered and with its first status decided. */
export interface NewNotification {
  userId: string;
  eventId: string;
  type: string;
  recipient: string | null;
  subject: string;
  body: string;
  locale: string;
  status: Extract<NotificationStatus, 'QUEUED' | 'SKIPPED'>;
  lastError: string | null;
}

/** Who placed an order, as far as notifications needs to know. */
export interface KnownOrder {
  orderId: string;
  userId: string;
  orderNumber: string;
}
