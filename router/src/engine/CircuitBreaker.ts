export interface CircuitBreakerOptions {
  /** Consecutive failures (unreachable, timed out, 5xx) that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit fails fast before one probe request is let through. */
  openMs: number;
  /** The clock; tests inject one to move time without waiting. */
  now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * One subgraph's circuit breaker. Closed: requests flow and consecutive failures are counted.
 * Open: every request fails at once (no socket, no timeout to sit through) until `openMs` has
 * passed. Then half-open: exactly one request probes the subgraph; its success closes the
 * circuit, its failure opens it again for another `openMs`.
 *
 * Our own rather than cockatiel or opossum: cockatiel 4 and opossum 9+ need Node 22, neither
 * takes a clock to inject, and the router asks `allow()` on every fetch, synchronously, before
 * it joins an identical in-flight request, which is a few comparisons here.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private state_: CircuitState = 'closed';
  private probing = false;
  private readonly now: () => number;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly onChange?: (state: CircuitState) => void,
  ) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.state_ === 'open' && this.now() - this.openedAt >= this.options.openMs) return 'half-open';
    return this.state_;
  }

  /** Whether a request may go out now; when it may, its outcome must be reported with `succeeded`/`failed`. */
  allow(): boolean {
    if (this.state_ === 'closed') return true;
    if (this.state_ === 'open') {
      if (this.now() - this.openedAt < this.options.openMs) return false;
      this.transition('half-open');
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.probing = false;
    if (this.state_ !== 'closed') this.transition('closed');
  }

  failed(): void {
    this.probing = false;
    this.failures += 1;
    if (this.state_ === 'half-open' || (this.state_ === 'closed' && this.failures >= this.options.failureThreshold)) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  private transition(state: CircuitState): void {
    this.state_ = state;
    this.onChange?.(state);
  }
}
