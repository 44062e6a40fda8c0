import type { GraphQLError } from 'graphql';
import type { RouterContext } from '../context.js';
import type { CachePolicy } from './cachePolicy.js';
import type { DeferredStep, Step } from './compilePlan.js';
import type { DataObject } from './entityData.js';
import type { ResponsePath } from './shapeResponse.js';

// What the query-plan executor (QueryPlanExecutor) is given and gives back.

export interface ExecutionInput {
  step: Step | undefined;
  /** As the client sent them: forwarded to subgraphs like @apollo/gateway does. */
  variables: Readonly<Record<string, unknown>>;
  /** Coerced, defaults applied: what `Condition` nodes read. */
  coerced: Readonly<Record<string, unknown>>;
  context: RouterContext;
  /** Data already known before the plan runs (a subscription event's root fetch). */
  data?: DataObject;
  /** Incremental delivery: told when the primary part and each deferred fragment are in. Without it, deferred fragments run as part of one answer. */
  sink?: IncrementalSink;
  /**
   * Answers may come from, and go into, each subgraph's cache (see EntityCache): entities it
   * called public, and what it called private for a verified caller (root fields such as `me`,
   * and entities). Queries only: not a subscription event, which tells of a change, nor a
   * mutation's fetches.
   */
  keptAnswers?: boolean;
}

/** The errors one part of an incremental answer brought, and what explains nulls in it. */
export interface Part {
  errors: GraphQLError[];
  explained(path: ResponsePath): boolean;
}

/**
 * Told when the primary part, then each deferred fragment, is in. `subselection`: what the part
 * holds, as the planner printed it (undefined for the primary part: the whole operation, when no
 * @defer applied).
 */
export interface IncrementalSink {
  primary(part: Part, subselection: string | undefined): Promise<void> | void;
  deferred(step: DeferredStep, part: Part, subselection: string | undefined): Promise<void> | void;
}

export interface Execution {
  data: DataObject;
  /** Subgraph errors (paths mapped into the response) and unavailable subgraphs. */
  errors: GraphQLError[];
  cachePolicy: CachePolicy;
  /** Whether a null at `path` is explained by one of `errors` (on it, above it or below it). */
  explained(path: ResponsePath): boolean;
}
