/**
 * A push-fed async iterator: producers `push` and `end`, one consumer iterates.
 *
 * Why not an async generator: `return()` on a generator that is suspended in an `await` waits
 * until the next value arrives, so a client that leaves a quiet subscription would keep its
 * upstream resources until the next event. Here `return()` takes effect at once: a pending
 * `next()` resolves as done and `onClose` runs (exactly once).
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((error: unknown) => void) | null = null;
  private ended = false;
  private failure: { error: unknown } | null = null;
  private closedByConsumer = false;
  private dropped = 0;

  constructor(
    private readonly options: {
      /** Oldest events are dropped beyond this many unread ones (a consumer that cannot keep up). */
      maxBuffered?: number;
      /**
       * Instead of dropping the oldest, end the iteration with this error once more than
       * `maxBuffered` are unread (for streams that must not lose events: the consumer resumes).
       */
      onOverflow?: () => unknown;
      /** Runs once when the consumer stops early (`return`/`throw`): release upstream resources. */
      onClose?: () => void | Promise<void>;
    } = {},
  ) {}

  /** True once nothing more will be delivered. */
  get closed(): boolean {
    return this.closedByConsumer || (this.ended && this.buffer.length === 0);
  }

  /** Events dropped because the consumer fell behind by more than `maxBuffered`. */
  get droppedCount(): number {
    return this.dropped;
  }

  push(value: T): void {
    if (this.ended || this.closedByConsumer) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value, done: false });
      return;
    }
    this.buffer.push(value);
    const max = this.options.maxBuffered ?? 1000;
    if (this.buffer.length > max && this.options.onOverflow) {
      this.end(this.options.onOverflow());
    } else if (this.buffer.length > max) {
      this.buffer.shift();
      this.dropped += 1;
    }
  }

  /** No more values: the consumer reads what is buffered, then finishes (or gets `error` thrown). */
  end(error?: unknown): void {
    if (this.ended || this.closedByConsumer) return;
    this.ended = true;
    if (error !== undefined) this.failure = { error };
    if (this.waiting && this.buffer.length === 0) {
      const resolve = this.waiting;
      const reject = this.failWaiting!;
      this.clearWaiting();
      if (this.failure) reject(this.failure.error);
      else resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift()!, done: false });
    if (this.closedByConsumer) return Promise.resolve({ value: undefined, done: true });
    if (this.ended) {
      if (this.failure) {
        const { error } = this.failure;
        this.failure = null;
        return Promise.reject(error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    if (this.waiting) return Promise.reject(new Error('EventQueue supports one pending next() at a time'));
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  async return(): Promise<IteratorResult<T>> {
    await this.close();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    await this.close();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async close(): Promise<void> {
    if (this.closedByConsumer) return;
    this.closedByConsumer = true;
    this.buffer.length = 0;
    if (this.waiting) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value: undefined, done: true });
    }
    await this.options.onClose?.();
  }

  private clearWaiting(): void {
    this.waiting = null;
    this.failWaiting = null;
  }
}
