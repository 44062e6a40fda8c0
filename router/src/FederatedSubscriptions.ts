import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { FormattedExecutionResult } from 'graphql-ws';
import { AppError } from '@shop/errors';
import { EventQueue, type Logger } from '@shop/subgraph-kit';
import { SpanKind, withSpan } from '@shop/telemetry';
import type { RouterContext } from './context.js';
import type { SubscriptionPlan, SupergraphRuntime } from './SupergraphRuntime.js';
import type { UpstreamPool } from './UpstreamPool.js';

export interface SubscriptionRequest {
  query: string;
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
}

/** How many unread events a client subscription may have before it is ended (SUBSCRIPTION_OVERFLOW). */
export const DEFAULT_SUBSCRIPTION_BUFFER = 1000;

/** One upstream subscription and everyone listening to it. */
interface Source {
  listeners: Set<EventQueue<ExecutionResult>>;
  /** A client subscription ends (client left, or the source finished). */
  leave(listener: EventQueue<ExecutionResult>): void;
  stop(): void;
}

/**
 * Federated subscriptions. The root field is subscribed to on its subgraph over graphql-ws;
 * each event is then completed through the query plan like a query whose first fetch is
 * answered by the event, so fields of other subgraphs arrive in batched entity fetches.
 *
 * Identical subscriptions of the same caller (same operation, variables and authorization)
 * share one upstream subscription and one plan execution per event, fanned out to all of them.
 */
export class FederatedSubscriptions {
  private readonly sources = new Map<string, Source>();

  constructor(
    private readonly deps: {
      pool: UpstreamPool;
      logger: Logger;
      /** Called with +1/-1 as client subscriptions start and end. */
      onActive?: (delta: 1 | -1) => void;
      /**
       * Unread events per client subscription (default DEFAULT_SUBSCRIPTION_BUFFER): a client
       * further behind gets what it has not read, then SUBSCRIPTION_OVERFLOW; nothing is dropped.
       */
      maxBuffered?: number;
    },
  ) {}

  /** Active upstream subscriptions (after deduplication). */
  get upstreamCount(): number {
    return this.sources.size;
  }

  subscribe(runtime: SupergraphRuntime, request: SubscriptionRequest, context: RouterContext): AsyncIterableIterator<ExecutionResult> | ExecutionResult {
    let plan: SubscriptionPlan;
    try {
      plan = runtime.subscriptionPlan(request.query, request.document, request.operationName);
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError('The subscription could not be planned', { originalError: error as Error })] };
    }
    const key = [plan.primary.service, context.authorization ?? '', request.operationName ?? '', JSON.stringify(request.variables ?? {}), request.query].join('\n');
    let source = this.sources.get(key);
    if (!source) {
      source = this.start(key, runtime, plan, request, context);
      this.sources.set(key, source);
    }
    const held = source;
    this.deps.onActive?.(1);
    const maxBuffered = this.deps.maxBuffered ?? DEFAULT_SUBSCRIPTION_BUFFER;
    const depart = () => {
      held.leave(listener);
      if (held.listeners.size === 0) held.stop();
    };
    const listener: EventQueue<ExecutionResult> = new EventQueue<ExecutionResult>({
      maxBuffered,
      // Ended, not thinned out: a client that silently lost events could not know to catch up.
      onOverflow: () => {
        queueMicrotask(depart);
        return new AppError('SUBSCRIPTION_OVERFLOW', `More than ${maxBuffered} events were waiting for this subscriber; subscribe again to continue`, { maxBuffered });
      },
      onClose: depart,
    });
    held.listeners.add(listener);
    return listener;
  }

  private start(key: string, runtime: SupergraphRuntime, plan: SubscriptionPlan, request: SubscriptionRequest, context: RouterContext): Source {
    const { primary, prepared } = plan;
    const service = primary.service;
    const listeners = new Set<EventQueue<ExecutionResult>>();
    const logger = this.deps.logger.child({ requestId: context.requestId, subgraph: service });
    const { engine } = runtime;
    const variables = request.variables ?? {};
    const coerced = engine.coerce(prepared, variables);
    const lease = this.deps.pool.acquire(service, runtime.urlOf(service), context.authorization);
    let stopped = false;
    // Events are completed one after the other, so clients see them in the order they happened.
    let chain = Promise.resolve();

    const stop = () => {
      if (stopped) return;
      stopped = true;
      if (this.sources.get(key) === source) this.sources.delete(key);
      dispose();
      lease.release();
    };
    const broadcast = (result: ExecutionResult) => {
      for (const listener of listeners) listener.push(result);
    };
    const leave = (listener: EventQueue<ExecutionResult>) => {
      if (listeners.delete(listener)) this.deps.onActive?.(-1);
    };
    const finish = (result?: ExecutionResult) => {
      if (stopped) return;
      if (result) broadcast(result);
      for (const listener of [...listeners]) {
        listener.end();
        leave(listener);
      }
      stop();
    };

    const resolveEvent = async (event: FormattedExecutionResult<Record<string, unknown>, unknown>): Promise<ExecutionResult> => {
      if (!coerced.ok) return { errors: [...coerced.errors] };
      const result = await engine.executeEvent(prepared, event, variables, coerced.values, context);
      // The subgraph's event id goes on to the client, which resumes `after` it (see eventLog in the kit).
      const eventId = (event.extensions as { eventId?: unknown } | undefined)?.eventId;
      const extensions = typeof eventId === 'string' ? { extensions: { eventId } } : {};
      return result.errors.length > 0 ? { data: result.data, errors: result.errors, ...extensions } : { data: result.data, ...extensions };
    };

    const dispose = lease.client.subscribe(
      {
        query: primary.operation,
        ...(primary.operationName ? { operationName: primary.operationName } : {}),
        variables: pick(request.variables, primary.variableUsages),
        extensions: { requestId: context.requestId },
      },
      {
        next: (event) => {
          chain = chain
            .then(async () => {
              if (stopped) return;
              // One trace per event: the entity fetches that complete it nest under this span.
              const result = await withSpan(`subscription event ${service}`, { kind: SpanKind.CONSUMER, attributes: { 'shop.subgraph': service } }, () =>
                resolveEvent(event),
              );
              broadcast(result);
            })
            .catch((error: unknown) => {
              logger.error('completing a subscription event failed', { error });
              broadcast({ errors: [new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] });
            });
        },
        error: (error) => {
          chain = chain.then(() => finish({ errors: upstreamErrors(error, service, logger) }));
        },
        complete: () => {
          chain = chain.then(() => finish());
        },
      },
    );
    const source: Source = { listeners, leave, stop };
    return source;
  }
}

/** What subscribers are told when the upstream subscription fails for good. */
function upstreamErrors(error: unknown, service: string, logger: Logger): GraphQLError[] {
  if (Array.isArray(error) && error.every((e) => typeof (e as GraphQLFormattedError)?.message === 'string')) {
    return (error as GraphQLFormattedError[]).map(
      (e) => new GraphQLError(e.message, { extensions: { ...e.extensions, serviceName: service } }),
    );
  }
  const code = (error as { code?: unknown })?.code;
  logger.warn('upstream subscription failed', { code, error: error instanceof Error ? error.message : undefined });
  return [
    new GraphQLError(`The subscription source "${service}" is unavailable and could not be reached again`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: service },
    }),
  ];
}

function pick(variables: Record<string, unknown> | undefined, names: readonly string[] | undefined): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names ?? []) {
    if (variables && Object.hasOwn(variables, name) && variables[name] !== undefined) picked[name] = variables[name];
  }
  return picked;
}
