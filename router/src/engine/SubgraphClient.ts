import { Pool, type Dispatcher } from 'undici';
import { SpanKind, withSpan, withTraceContext } from '@shop/telemetry';
import type { GraphQLFormattedError } from 'graphql';
import { answersEveryone } from './cachePolicy.js';
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './CircuitBreaker.js';
import { EntityCache } from './EntityCache.js';

export interface SubgraphFetchEvent {
  service: string;
  durationMs: number;
  ok: boolean;
}

/** What one subgraph call gave back. */
export type FetchOutcome =
  | {
      kind: 'response';
      data: Record<string, unknown> | null | undefined;
      errors: readonly GraphQLFormattedError[] | undefined;
      /** The subgraph's `cache-control` response header (from its `@cacheControl` hints). */
      cacheControl: string | undefined;
    }
  /** The subgraph refused the request (an HTTP 4xx): its own coded errors, or one that says so. */
  | { kind: 'refused'; errors: readonly GraphQLFormattedError[] }
  /** Unreachable, timed out, 5xx, or its circuit is open: the fields it serves become null. */
  | { kind: 'unavailable'; message: string };

export interface SubgraphClientOptions {
  /** Per-fetch deadline: connecting, then the response headers, then the body. */
  timeoutMs: number;
  breaker: CircuitBreakerOptions;
  /** Keep-alive connections per subgraph. */
  connections: number;
  onFetch?: (event: SubgraphFetchEvent) => void;
  onCircuit?: (service: string, state: CircuitState) => void;
  /** Headers that prove the router sent the request (a service token for this subgraph). */
  credentials?: (service: string) => Promise<Record<string, string>>;
  /** Answers kept (see EntityCache): how many public entities at most, and as many private answers; 0 keeps none. */
  entityCacheEntries?: number;
  /** The router's clock, which kept answers age by. */
  now?: () => number;
}

/** How a query may share a call with identical ones in flight (see `SubgraphClient.fetch`). */
export interface Sharing {
  /** Whose request it is: the identity the router forwards. */
  identity: string;
  /** Whether the subgraph's last answer to this operation was `public`; kept up to date here. */
  hint: { public: boolean };
}

type Raw =
  | { kind: 'body'; status: number; text: string; cacheControl: string | undefined }
  | { kind: 'unavailable'; message: string };

/**
 * HTTP to one subgraph: a keep-alive undici pool, a deadline per fetch, a circuit breaker, and
 * identical in-flight requests merged. Merged waiters share the response text and each parses
 * its own copy, since the executor merges entity data into what it parsed.
 */
export class SubgraphClient {
  readonly breaker: CircuitBreaker;
  /** This subgraph's kept answers: public entities, and private answers per caller (null when the router keeps none). */
  readonly entities: EntityCache | null;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly inFlight = new Map<string, Promise<Raw>>();
  /** Calls in flight whose answers may go to any caller, by request body. */
  private readonly publicInFlight = new Map<string, Promise<Raw>>();

  constructor(
    readonly name: string,
    readonly url: string,
    private readonly options: SubgraphClientOptions,
  ) {
    const parsed = new URL(url);
    this.path = `${parsed.pathname}${parsed.search}`;
    this.pool = new Pool(parsed.origin, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      connect: { timeout: options.timeoutMs },
    });
    this.breaker = new CircuitBreaker(options.breaker, (state) => options.onCircuit?.(name, state));
    const entries = options.entityCacheEntries ?? 0;
    this.entities = entries > 0 ? new EntityCache(options.now ?? Date.now, entries) : null;
  }

  /**
   * Sends one GraphQL request. With `sharing` (queries only), an identical request of the same
   * caller already in flight answers this one too. So does one of another caller, while this
   * operation's answers are `public` (the subgraph's word that they are the same for every
   * caller, as a shared HTTP cache reads it): if that answer turns out not to be public, this
   * request is sent on its own. Nothing is kept once the answer is in.
   */
  async fetch(body: string, headers: Record<string, string>, sharing: Sharing | null): Promise<FetchOutcome> {
    return this.outcome(sharing === null ? await this.send(body, headers) : await this.shared(body, headers, sharing));
  }

  /**
   * Forgets every answer kept for this subgraph, and lets no later query share a call already
   * in flight: its answer may be from before a mutation that has just gone through.
   */
  forgetKept(): void {
    this.entities?.clear();
    this.inFlight.clear();
    this.publicInFlight.clear();
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async shared(body: string, headers: Record<string, string>, sharing: Sharing): Promise<Raw> {
    const another = sharing.hint.public && !this.inFlight.has(`${sharing.identity}\n${body}`) ? this.publicInFlight.get(body) : undefined;
    if (another) {
      const raw = await another;
      if (isPublic(raw)) return raw;
    }
    return this.own(body, headers, sharing);
  }

  /** The caller's own call (or the identical one of theirs already in flight). */
  private own(body: string, headers: Record<string, string>, sharing: Sharing): Promise<Raw> {
    const key = `${sharing.identity}\n${body}`;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const call: Promise<Raw> = this.send(body, headers)
      .then((raw) => {
        sharing.hint.public = isPublic(raw);
        return raw;
      })
      .finally(() => {
        if (this.inFlight.get(key) === call) this.inFlight.delete(key);
        if (this.publicInFlight.get(body) === call) this.publicInFlight.delete(body);
      });
    this.inFlight.set(key, call);
    if (sharing.hint.public && !this.publicInFlight.has(body)) this.publicInFlight.set(body, call);
    return call;
  }

  /** One subgraph fetch, a client span in the request's trace (its `traceparent` goes along). */
  private send(body: string, headers: Record<string, string>): Promise<Raw> {
    return withSpan(`subgraph ${this.name}`, { kind: SpanKind.CLIENT, attributes: { 'shop.subgraph': this.name }, onlyInTrace: true }, async (span) => {
      const raw = await this.sendNow(body, withTraceContext(headers));
      span?.setAttribute('shop.subgraph.outcome', raw.kind === 'body' ? String(raw.status) : 'unavailable');
      return raw;
    });
  }

  private async sendNow(body: string, headers: Record<string, string>): Promise<Raw> {
    if (!this.breaker.allow()) {
      return { kind: 'unavailable', message: `Subgraph "${this.name}" is unavailable (failing; retried shortly)` };
    }
    const started = performance.now();
    const { timeoutMs } = this.options;
    let raw: Raw;
    try {
      const credentials = this.options.credentials ? await this.options.credentials(this.name) : null;
      const response = await post(this.pool, {
        path: this.path,
        method: 'POST',
        headers: credentials ? { ...headers, ...credentials } : headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      raw = response.status >= 500
        ? { kind: 'unavailable', message: `Subgraph "${this.name}" answered HTTP ${response.status}` }
        : { kind: 'body', status: response.status, text: response.text, cacheControl: response.cacheControl };
    } catch (error) {
      const code = (error as { code?: string }).code;
      const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
      raw = {
        kind: 'unavailable',
        message: timedOut ? `Subgraph "${this.name}" did not answer within ${timeoutMs} ms` : `Subgraph "${this.name}" is unavailable`,
      };
    }
    if (raw.kind === 'unavailable') this.breaker.failed();
    else this.breaker.succeeded();
    this.options.onFetch?.({ service: this.name, durationMs: performance.now() - started, ok: raw.kind === 'body' && raw.status < 300 });
    return raw;
  }

  private outcome(raw: Raw): FetchOutcome {
    if (raw.kind === 'unavailable') return raw;
    let parsed: { data?: Record<string, unknown> | null; errors?: GraphQLFormattedError[] } | undefined;
    try {
      parsed = JSON.parse(raw.text) as typeof parsed;
    } catch {
      parsed = undefined;
    }
    if (raw.status >= 200 && raw.status < 300 && parsed && typeof parsed === 'object') {
      return { kind: 'response', data: parsed.data, errors: parsed.errors, cacheControl: raw.cacheControl };
    }
    return { kind: 'refused', errors: this.refusal(raw.status, parsed) };
  }

  /**
   * An HTTP refusal: the subgraph's own coded errors as it sent them (a variable it refuses is
   * BAD_USER_INPUT with `extensions.field`), less their locations, which point into the
   * subgraph's operation; one error that says so when it sent none.
   */
  private refusal(status: number, parsed: { errors?: GraphQLFormattedError[] } | undefined): GraphQLFormattedError[] {
    const sent = Array.isArray(parsed?.errors) ? parsed.errors : [];
    const coded = sent.filter((e) => typeof e?.message === 'string' && typeof e.extensions?.code === 'string');
    if (coded.length > 0) return coded.map((e) => ({ message: e.message, extensions: e.extensions }));
    const code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : 'INTERNAL_SERVER_ERROR';
    return [{ message: `Subgraph "${this.name}" answered HTTP ${status}`, extensions: { code } }];
  }
}

/** An answer any caller may be given: `public` by its `cache-control`, and no errors in it. */
function isPublic(raw: Raw): boolean {
  // Apollo Server sends no cache-control with errors; the text check guards other servers.
  return raw.kind === 'body' && raw.status >= 200 && raw.status < 300 && answersEveryone(raw.cacheControl) && !raw.text.includes('"errors"');
}

/**
 * One request through the pool's dispatcher, its body gathered as it arrives: undici's
 * `request()` wraps every answer in a Readable stream, which for many small subgraph answers
 * per client request cost more than the answers themselves.
 */
function post(pool: Pool, options: Dispatcher.DispatchOptions): Promise<{ status: number; text: string; cacheControl: string | undefined }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let cacheControl: string | undefined;
    const chunks: Buffer[] = [];
    pool.dispatch(options, {
      // Its presence marks the handler as one of undici's current interface.
      onRequestStart() {},
      onResponseStart(_controller, statusCode, headers) {
        status = statusCode;
        const header = headers['cache-control'];
        cacheControl = Array.isArray(header) ? header.join(', ') : header;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        resolve({ status, text, cacheControl });
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    });
  });
}
