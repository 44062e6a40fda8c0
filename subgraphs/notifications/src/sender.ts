import type { Logger } from '@shop/subgraph-kit';
import type { Mailer } from './mailer.js';
import type { NotificationsRepository } from './repository.js';

export interface Sender {
  /** Sends whatever is due now; resolves to how many messages were tried. */
  flush(): Promise<number>;
  /** Asks for a flush soon (after a message was queued), without waiting for the next poll. */
  wake(): void;
  /** Stops polling; a flush in progress finishes first. */
  stop(): Promise<void>;
}

const MAX_RETRY_DELAY_MS = 3_600_000;

/** The wait before attempt `attempts + 1`, after `attempts` failed ones: base, doubling, capped at an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * The outbox sender: locks a batch of due QUEUED messages (SKIP LOCKED, so replicas share the
 * work), hands each to the mailer and records the outcome in the same transaction. A failed
 * attempt is retried with backoff until `maxAttempts`, then the message is FAILED. If the
 * process dies after a send but before the commit, that message is sent again: at least once.
 */
export function startSender(options: {
  repository: NotificationsRepository;
  mailer: Mailer;
  logger: Logger;
  maxAttempts: number;
  retryBaseMs: number;
  pollMs?: number;
  batchSize?: number;
}): Sender {
  const { repository, mailer, logger, maxAttempts, retryBaseMs } = options;
  const pollMs = options.pollMs ?? 1_000;
  const batchSize = options.batchSize ?? 20;
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  const sendBatch = () =>
    repository.transaction(async (repo) => {
      const due = await repo.claimDue(batchSize);
      for (const message of due) {
        try {
          await mailer.send({ to: message.recipient!, subject: message.subject, text: message.body });
          await repo.markSent(message.id);
        } catch (error) {
          const attempts = message.attempts + 1;
          const retryAt = attempts >= maxAttempts ? null : new Date(Date.now() + retryDelayMs(attempts, retryBaseMs));
          logger.warn(retryAt ? 'sending failed, will retry' : 'sending failed for good', { notificationId: message.id, attempts, error });
          await repo.markAttemptFailed(message.id, (error as Error).message ?? String(error), retryAt);
        }
      }
      return due.length;
    });

  const flush = async (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        let sent: number;
        do {
          sent = await sendBatch();
          total += sent;
        } while (sent === batchSize && !stopped);
      } while (again && !stopped);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const tick = () => {
    timer = null;
    if (stopped) return;
    flush()
      .catch((error: unknown) => logger.error('sender failed', { error }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  };
  timer = setTimeout(tick, 0);

  return {
    flush,
    wake() {
      if (stopped) return;
      void flush().catch((error: unknown) => logger.error('sender failed', { error }));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
