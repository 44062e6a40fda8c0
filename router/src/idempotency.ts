import { createHash, randomUUID } from 'node:crypto';
import { AppError, conflict } from '@shop/errors';
import type { KeyValueStore } from '@shop/kv';
import { graphQLErrorAnswer, type GraphQLHttpAnswer, type GraphQLMediaType, type Logger } from '@shop/subgraph-kit';

/** The request header a client sets on a mutation it may retry, and the one a replayed answer carries. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/** Who asked (a user id, a partner key, or the client address) and with which key. */
export interface IdempotencyScope {
  key: string;
  caller: string;
}

export interface IdempotencyOptions {
  /** Shared by every router replica (Redis): records and locks live here. */
  kv: KeyValueStore;
  logger: Logger;
  /** How long a first answer is kept and replayed (default 24 h). */
  ttlSeconds?: number;
  /** How long a running first request holds its key before another may take over (renewed while it runs). */
  lockSeconds?: number;
  /** How often a waiting duplicate looks again when no completion message reaches it. */
  pollMs?: number;
}

export interface Idempotency {
  /** Why a header value is not usable as a key, or null. */
  invalid(key: string): AppError | null;
  /**
   * Runs `perform` once per caller and key: the first answer is stored and replayed to retries
   * with the same operation and variables; other variables are refused; a duplicate that
   * arrives while the first runs (on any replica) waits for its answer.
   */
  run(scope: IdempotencyScope, fingerprint: string, mediaType: GraphQLMediaType, perform: () => Promise<GraphQLHttpAnswer>): Promise<GraphQLHttpAnswer>;
  /**
   * What `run` would answer now without running anything: the stored first answer (marked
   * replayed) or the refusal of other variables; null when the key has no answer yet.
   */
  stored(scope: IdempotencyScope, fingerprint: string, mediaType: GraphQLMediaType): Promise<GraphQLHttpAnswer | null>;
}

interface StoredAnswer {
  fingerprint: string;
  status: number;
  contentType: string | undefined;
  body: string;
}

const MAX_KEY_LENGTH = 255;
const PRINTABLE = /^[\x21-\x7e]+$/;
// Errors that say nothing happened, or nothing for certain: the client's retry must run again.
const RETRYABLE_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SUBGRAPH_UNAVAILABLE', 'RATE_LIMITED']);

/** What identifies one operation: its text, name and variables (object keys in a stable order). */
export function operationFingerprint(query: string, operationName: string | undefined, variables: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([query, operationName ?? null, canonical(variables ?? {})]))
    .digest('base64url');
}

export function createIdempotency(options: IdempotencyOptions): Idempotency {
  const { kv, logger } = options;
  const ttlSeconds = options.ttlSeconds ?? 24 * 60 * 60;
  const lockSeconds = options.lockSeconds ?? 30;
  const pollMs = options.pollMs ?? 500;

  const reused = (mediaType: GraphQLMediaType) =>
    answerOf(mediaType, conflict('This Idempotency-Key was used with another operation or other variables; use a new key for a new request', { reason: 'IDEMPOTENCY_KEY_REUSED' }), 409);

  /** Takes the key for this fingerprint; false when someone holds it. */
  const acquire = (lockKey: string, fingerprint: string) => kv.setIfAbsent(lockKey, fingerprint, { ttlSeconds: lockSeconds });

  /** Resolves on the completion message of `channel` or after `pollMs`, whichever comes first. */
  const waitForCompletion = async (channel: string, stillHeld: () => Promise<boolean>): Promise<void> => {
    let wake = () => {};
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const unsubscribe = await kv.subscribe(channel, () => wake());
    try {
      // Subscribed before looking: a completion between the look and the wait still wakes us.
      if (!(await stillHeld())) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, pollMs)))]);
      clearTimeout(timer);
    } finally {
      await unsubscribe();
    }
  };

  const keysOf = (scope: IdempotencyScope) => {
    const id = createHash('sha256').update(`${scope.caller}\n${scope.key}`).digest('base64url');
    return { recordKey: `idempotency:${id}`, lockKey: `idempotency-lock:${id}`, channel: `idempotency-done:${id}` };
  };

  const stored = async (scope: IdempotencyScope, fingerprint: string, mediaType: GraphQLMediaType): Promise<GraphQLHttpAnswer | null> => {
    const record = await kv.get(keysOf(scope).recordKey);
    if (record === null) return null;
    const answer = JSON.parse(record) as StoredAnswer;
    if (answer.fingerprint !== fingerprint) return reused(mediaType);
    return {
      status: answer.status,
      headers: { ...(answer.contentType ? { 'content-type': answer.contentType } : {}), [IDEMPOTENT_REPLAYED_HEADER]: 'true' },
      body: answer.body,
    };
  };

  return {
    invalid(key) {
      if (key.length === 0 || key.length > MAX_KEY_LENGTH || !PRINTABLE.test(key)) {
        return new AppError('BAD_REQUEST', `An Idempotency-Key is 1 to ${MAX_KEY_LENGTH} printable ASCII characters without spaces`);
      }
      return null;
    },

    stored,

    async run(scope, fingerprint, mediaType, perform) {
      const { recordKey, lockKey, channel } = keysOf(scope);
      for (;;) {
        const answered = await stored(scope, fingerprint, mediaType);
        if (answered) return answered;
        if (await acquire(lockKey, fingerprint)) break;
        const holder = await kv.get(lockKey);
        if (holder !== null && holder !== fingerprint) return reused(mediaType);
        await waitForCompletion(channel, async () => (await kv.get(recordKey)) === null && (await kv.get(lockKey)) !== null);
      }

      // The key is ours: keep it while the operation runs, however long the subgraphs take.
      const renew = setInterval(() => void kv.expire(lockKey, lockSeconds).catch(() => undefined), (lockSeconds * 1000) / 3);
      renew.unref();
      try {
        const answer = await perform();
        if (storable(answer)) {
          const record: StoredAnswer = { fingerprint, status: answer.status, contentType: answer.headers['content-type'], body: answer.body };
          await kv.set(recordKey, JSON.stringify(record), { ttlSeconds });
        }
        return answer;
      } finally {
        clearInterval(renew);
        await kv.del(lockKey).catch((error: unknown) => logger.warn('idempotency lock not released; it expires by itself', { error }));
        await kv.publish(channel, randomUUID()).catch(() => undefined);
      }
    },
  };
}

/** An answer worth replaying: the operation ran (whatever it decided), not a failure on our side. */
function storable(answer: GraphQLHttpAnswer): boolean {
  if (answer.status >= 500) return false;
  let parsed: { errors?: Array<{ extensions?: { code?: unknown } }> };
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    return false;
  }
  return !(parsed.errors ?? []).some((error) => RETRYABLE_CODES.has(String(error.extensions?.code)));
}

function answerOf(mediaType: GraphQLMediaType, error: AppError, status: number): GraphQLHttpAnswer {
  return graphQLErrorAnswer(mediaType, { status, code: error.code, message: error.message, extensions: error.extensions, wellFormed: true });
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}
