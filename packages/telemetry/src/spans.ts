import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tracingEnabled } from './tracing.js';

export { SpanKind, type Attributes, type Span };

const tracer = () => trace.getTracer('shop');

/** Headers (or an event's fields) that may carry a W3C `traceparent`. */
export type Carrier = Record<string, string | string[] | undefined>;

export interface SpanOptions {
  kind: SpanKind;
  attributes?: Attributes;
  /** Continue the trace these headers (or event fields) carry instead of the active one. */
  parent?: Carrier;
  /** Only inside a trace: no span (and no new trace) when nothing is active. For background work. */
  onlyInTrace?: boolean;
}

/**
 * Runs `fn` in a new active span (children created inside it nest under it), ending the span
 * when `fn` settles and marking it failed with the error it threw. Without tracing, just `fn`.
 */
export async function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return fn(undefined);
  const parent = options.parent ? propagation.extract(ROOT_CONTEXT, options.parent) : context.active();
  if (options.onlyInTrace && !trace.getSpan(parent)) return fn(undefined);
  return tracer().startActiveSpan(name, { kind: options.kind, ...(options.attributes ? { attributes: options.attributes } : {}) }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Handles one incoming HTTP request in a server span (`POST /graphql`) that continues the
 * caller's `traceparent`, with its status code; without tracing, just `handle`.
 */
export function traceRequest(req: IncomingMessage, res: ServerResponse, attributes: Attributes, handle: () => Promise<void>): Promise<void> {
  const method = req.method ?? 'GET';
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  return withSpan(`${method} ${path}`, { kind: SpanKind.SERVER, parent: req.headers, attributes: { 'http.request.method': method, 'url.path': path, ...attributes } }, async (span) => {
    await handle();
    span?.setAttribute('http.response.status_code', res.statusCode);
  });
}

/**
 * A span for something that already happened inside the active trace (a SQL statement reported
 * after it ran, with its duration). Nothing outside a trace: statements of background work
 * with no request behind them would each start a trace of their own.
 */
export function recordSpan(name: string, options: { kind: SpanKind; attributes?: Attributes; durationMs: number; error?: unknown }): void {
  if (!tracingEnabled()) return;
  const parent = context.active();
  if (!trace.getSpan(parent)) return;
  const end = Date.now();
  const span = tracer().startSpan(name, { kind: options.kind, startTime: end - options.durationMs, ...(options.attributes ? { attributes: options.attributes } : {}) }, parent);
  if (options.error !== undefined) failed(span, options.error);
  span.end(end);
}

/** Starts a span in the active trace that the caller ends (a command whose end arrives later). */
export function startChildSpan(name: string, options: { kind: SpanKind; attributes?: Attributes }): Span | undefined {
  if (!tracingEnabled()) return undefined;
  const parent = context.active();
  if (!trace.getSpan(parent)) return undefined;
  return tracer().startSpan(name, { kind: options.kind, ...(options.attributes ? { attributes: options.attributes } : {}) }, parent);
}

export function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** Outgoing headers with the active trace's `traceparent` (and `tracestate`) added: a copy, or `headers` itself without tracing. */
export function withTraceContext(headers: Record<string, string>): Record<string, string> {
  if (!tracingEnabled()) return headers;
  const carried = { ...headers };
  propagation.inject(context.active(), carried);
  return carried;
}

/** The active trace as a W3C `traceparent`, for what leaves the process without headers (an event). */
export function currentTraceparent(): string | undefined {
  if (!tracingEnabled()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The active span's ids, for log lines: `{ trace_id, span_id }`, or nothing outside a trace. */
export function traceFields(): { trace_id: string; span_id: string } | undefined {
  if (!tracingEnabled()) return undefined;
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/**
 * The same object with every method call a client span in the active trace (`<prefix> <method>`),
 * for a store reached through a driver we do not patch (MongoDB): one span per repository call.
 */
export function traceMethods<T extends object>(target: T, prefix: string, attributes: Attributes): T {
  const traced: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    traced[name] =
      typeof value === 'function'
        ? (...args: unknown[]) =>
            withSpan(`${prefix} ${name}`, { kind: SpanKind.CLIENT, attributes: { ...attributes, 'db.operation.name': name }, onlyInTrace: true }, async () =>
              (value as (...a: unknown[]) => unknown).apply(target, args),
            )
        : value;
  }
  return traced as T;
}
