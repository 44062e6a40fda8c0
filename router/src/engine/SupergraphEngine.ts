import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import {
  executeSync,
  getVariableValues,
  GraphQLError,
  isObjectType,
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { RouterContext } from '../context.js';
import type { CachePolicy } from './cachePolicy.js';
import { compileFetch, compilePlan, type FetchStep, type Step } from './compilePlan.js';
import { pathsAt, TypeConditions, type DataObject } from './entityData.js';
import { RequiresVariants } from './requiresVariants.js';
import { hasDefer, mergeDelivered, typeAtPath, valueAt } from './incremental.js';
import type { Execution, IncrementalSink, Part } from './execution.js';
import { QueryPlanExecutor } from './QueryPlanExecutor.js';
import { conditionVariables, SelectionShape, ShapeContext } from './selections.js';
import { shapeResponse, type ResponsePath } from './shapeResponse.js';
import type { SubgraphClient } from './SubgraphClient.js';

/** One operation of one document, planned and ready to run; cached with its shapers. */
export interface PreparedOperation {
  operation: OperationDefinitionNode;
  operationType: 'query' | 'mutation' | 'subscription';
  rootType: GraphQLObjectType;
  /** The query or mutation plan; for a subscription, what completes each event. */
  step: Step | undefined;
  /** Subscriptions: the root field's fetch, kept open on its subgraph. */
  primary: FetchStep | undefined;
  /** `@skip`/`@include` variables: each combination of their values gets its own shaper. */
  conditions: readonly string[];
  shapers: Map<string, SelectionShape>;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The plan defers fragments: answered incrementally when the client accepts it. */
  deferred: boolean;
}

/** One payload of an incremental answer, in the `deferSpec=20220824` shape. */
export type IncrementalPayload =
  | { data: Record<string, unknown> | null; errors?: GraphQLError[]; hasNext: boolean }
  | { incremental: Array<{ data: Record<string, unknown> | null; path: ResponsePath; label?: string; errors?: GraphQLError[] }>; hasNext: boolean };

export interface EngineResult {
  data: Record<string, unknown> | null;
  errors: GraphQLError[];
  cachePolicy: CachePolicy;
}

/**
 * What a mutation asks of the answers the router keeps: a mutation may change what any subgraph
 * answers, so nothing kept from before it is used after it, on this replica or any other.
 */
export interface KeptAnswers {
  /** Forgets, on this replica, every answer kept for any subgraph and every call in flight a later query could share. */
  forget(): void;
  /** Has every other replica sharing the router's store forget as well; resolves once they are told. */
  announce(): Promise<void>;
}

export type Coerced = { ok: true; values: Record<string, unknown> } | { ok: false; errors: readonly GraphQLError[] };

/**
 * The router's engine for one loaded supergraph: @apollo/query-planner plans each operation once
 * (cached by query text and operation name), our executor runs the plan against the subgraphs,
 * and a shaper prepared once per document and `@skip`/`@include` variant writes the response.
 */
export class SupergraphEngine {
  readonly supergraphSchema: GraphQLSchema;
  private readonly federationApiSchema: Schema;
  private readonly planner: QueryPlanner;
  private readonly requiresVariants: RequiresVariants;
  private readonly executor: QueryPlanExecutor;
  private readonly prepared: LRUCache<string, PreparedOperation | GraphQLError>;

  constructor(
    supergraphSdl: string,
    /** The API schema Apollo Server validates against (the gateway's). */
    readonly apiSchema: GraphQLSchema,
    clients: ReadonlyMap<string, SubgraphClient>,
    private readonly kept: KeptAnswers,
    cacheSize = 2000,
  ) {
    const supergraph = Supergraph.build(supergraphSdl, { validateSupergraph: false });
    this.federationApiSchema = supergraph.apiSchema();
    this.planner = new QueryPlanner(supergraph, { incrementalDelivery: { enableDefer: true } });
    this.requiresVariants = new RequiresVariants(supergraph);
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.executor = new QueryPlanExecutor(clients, new TypeConditions(this.supergraphSchema));
    this.prepared = new LRUCache({ max: cacheSize });
  }

  /** Plans one operation of a validated document (cached per query text and operation name). */
  prepare(query: string, document: DocumentNode, operationName: string | undefined): PreparedOperation | GraphQLError {
    const key = `${operationName ?? ''}\n${query}`;
    let prepared = this.prepared.get(key);
    if (!prepared) {
      prepared = this.plan(document, operationName);
      this.prepared.set(key, prepared);
    }
    return prepared;
  }

  /** The request's variables coerced against the operation (defaults applied), or why they cannot be. */
  coerce(prepared: PreparedOperation, variables: Record<string, unknown> | undefined): Coerced {
    const definitions = prepared.operation.variableDefinitions ?? [];
    if (definitions.length === 0) return { ok: true, values: {} };
    const result = getVariableValues(this.apiSchema, definitions, variables ?? {}, { maxErrors: 50 });
    return result.errors ? { ok: false, errors: result.errors } : { ok: true, values: result.coerced };
  }

  /** Runs a query or mutation. `variables` are forwarded as sent; `coerced` decide conditions. */
  async execute(prepared: PreparedOperation, variables: Record<string, unknown>, coerced: Record<string, unknown>, context: RouterContext): Promise<EngineResult> {
    const input = { step: prepared.step, variables, coerced, context, keptAnswers: prepared.operationType !== 'mutation' };
    const execution = input.keptAnswers ? await this.executor.execute(input) : await this.mutate(() => this.executor.execute(input));
    return this.shape(prepared, variables, coerced, execution);
  }

  /**
   * Runs an operation with deferred fragments, handing `send` the primary part as soon as its
   * fetches are in, then each deferred fragment's objects as their fetches finish, then a last
   * `hasNext: false`. Payloads go out one at a time, in the order they were ready.
   */
  async executeIncremental(
    prepared: PreparedOperation,
    variables: Record<string, unknown>,
    coerced: Record<string, unknown>,
    context: RouterContext,
    send: (payload: IncrementalPayload) => Promise<void>,
  ): Promise<void> {
    const root: DataObject = {};
    let delivered: DataObject | null = null;
    let sending = Promise.resolve();
    const enqueue = (payload: IncrementalPayload) => (sending = sending.then(() => send(payload)));
    const options = (part: Part, at?: ResponsePath) => ({
      schema: this.apiSchema,
      explained: part.explained,
      introspect: (node: FieldNode) => this.introspect(prepared, node, variables),
      ...(at ? { at } : {}),
    });
    const sink: IncrementalSink = {
      primary: (part, subselection) => {
        const shaper = subselection ? this.partShaper(prepared, coerced, prepared.rootType, subselection) : this.shaperFor(prepared, coerced);
        const shaped = shapeResponse(shaper, prepared.rootType, root, options(part));
        delivered = shaped.data;
        const errors = [...part.errors, ...shaped.errors];
        return enqueue({ data: shaped.data, ...(errors.length > 0 ? { errors } : {}), hasNext: true });
      },
      deferred: (step, part, subselection) => {
        const staticType = delivered ? typeAtPath(this.apiSchema, prepared.rootType, [prepared.operation.selectionSet], prepared.fragments, step.queryPath) : null;
        if (!delivered || !staticType || !subselection) return;
        const items = pathsAt(delivered, step.queryPath).map((path) => {
          const object = valueAt(root, path) as DataObject;
          const named = typeof object?.__typename === 'string' ? this.apiSchema.getType(object.__typename) : undefined;
          const runtimeType = named && isObjectType(named) ? named : staticType;
          const shaped = shapeResponse(this.partShaper(prepared, coerced, staticType, subselection), runtimeType, object ?? {}, options(part, path));
          if (shaped.data) mergeDelivered(delivered!, path, shaped.data);
          return { data: shaped.data, path, ...(step.label !== undefined ? { label: step.label } : {}), ...(shaped.errors.length > 0 ? { errors: shaped.errors } : {}) };
        });
        // The fetches' own errors go with the first object they came for (their paths say where).
        if (items[0] && part.errors.length > 0) items[0].errors = [...part.errors, ...(items[0].errors ?? [])];
        return items.length > 0 ? enqueue({ incremental: items, hasNext: true }) : undefined;
      },
    };
    const input = { step: prepared.step, variables, coerced, context, data: root, sink, keptAnswers: prepared.operationType !== 'mutation' };
    await (input.keptAnswers ? this.executor.execute(input) : this.mutate(() => this.executor.execute(input)));
    await enqueue({ hasNext: false } as IncrementalPayload);
  }

  /** Completes one subscription event: its data stands for the primary fetch, the rest of the plan runs. */
  async executeEvent(
    prepared: PreparedOperation,
    event: { data?: DataObject | null; errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] },
    variables: Record<string, unknown>,
    coerced: Record<string, unknown>,
    context: RouterContext,
  ): Promise<EngineResult> {
    const service = prepared.primary?.service ?? '';
    const eventErrors = (event.errors ?? []).map(
      (e) => new GraphQLError(e.message, { ...(e.path ? { path: e.path } : {}), extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', ...e.extensions, serviceName: service } }),
    );
    const data = event.data && typeof event.data === 'object' ? event.data : {};
    const execution = await this.executor.execute({ step: event.data ? prepared.step : undefined, variables, coerced, context, data });
    execution.errors.unshift(...eventErrors);
    return this.shape(prepared, variables, coerced, execution);
  }

  /**
   * Runs a mutation's plan (which reads no kept answer and keeps none), then forgets what this
   * replica kept (answers to calls sent before are not kept when they come: see
   * `EntityCache.generation`) and tells the other replicas, before the client has the answer.
   */
  private async mutate(run: () => Promise<Execution>): Promise<Execution> {
    try {
      return await run();
    } finally {
      this.kept.forget();
      await this.kept.announce();
    }
  }

  private shape(prepared: PreparedOperation, variables: Record<string, unknown>, coerced: Record<string, unknown>, execution: Execution): EngineResult {
    const shaped = shapeResponse(this.shaperFor(prepared, coerced), prepared.rootType, execution.data, {
      schema: this.apiSchema,
      explained: execution.explained,
      introspect: (node) => this.introspect(prepared, node, variables),
    });
    const errors = shaped.errors.length > 0 ? [...execution.errors, ...shaped.errors] : execution.errors;
    return { data: shaped.data, errors, cachePolicy: execution.cachePolicy };
  }

  /** The shaper of one part of an incremental answer (a selection the planner printed), cached with the operation. */
  private partShaper(prepared: PreparedOperation, coerced: Record<string, unknown>, type: GraphQLCompositeType, subselection: string): SelectionShape {
    const key = `${variantOf(prepared, coerced)}\n${type.name}\n${subselection}`;
    let shaper = prepared.shapers.get(key);
    if (!shaper) {
      const operation = parse(subselection).definitions[0] as OperationDefinitionNode;
      shaper = new SelectionShape(new ShapeContext(this.apiSchema, prepared.fragments, coerced), type, [operation.selectionSet]);
      prepared.shapers.set(key, shaper);
    }
    return shaper;
  }

  private shaperFor(prepared: PreparedOperation, coerced: Record<string, unknown>): SelectionShape {
    const variant = variantOf(prepared, coerced);
    let shaper = prepared.shapers.get(variant);
    if (!shaper) {
      const context = new ShapeContext(this.apiSchema, prepared.fragments, coerced);
      shaper = new SelectionShape(context, prepared.rootType, [prepared.operation.selectionSet]);
      prepared.shapers.set(variant, shaper);
    }
    return shaper;
  }

  private plan(document: DocumentNode, operationName: string | undefined): PreparedOperation | GraphQLError {
    const fragments = new Map<string, FragmentDefinitionNode>();
    let operation: OperationDefinitionNode | undefined;
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      else if (definition.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || definition.name?.value === operationName)) {
        operation ??= definition;
      }
    }
    if (!operation) return new GraphQLError(operationName ? `Unknown operation named "${operationName}".` : 'No operation found in the document.');
    const rootType = this.apiSchema.getRootType(operation.operation);
    if (!rootType) return new GraphQLError(`The schema has no ${operation.operation} type.`);
    let plan;
    try {
      plan = this.planner.buildQueryPlan(operationFromDocument(this.federationApiSchema, document, { operationName }));
    } catch (error) {
      return error instanceof GraphQLError ? error : new GraphQLError('The operation could not be planned', { originalError: error as Error });
    }
    const node = plan.node;
    let step: Step | undefined;
    let primary: FetchStep | undefined;
    if (node?.kind === 'Subscription') {
      primary = compileFetch(node.primary);
      step = node.rest ? compilePlan(this.requiresVariants.rewrite(node.rest)) : undefined;
    } else if (node) step = compilePlan(this.requiresVariants.rewrite(node));
    return {
      operation,
      operationType: operation.operation,
      rootType,
      step,
      primary,
      conditions: conditionVariables([operation.selectionSet], fragments),
      shapers: new Map(),
      fragments,
      deferred: hasDefer(step),
    };
  }

  /** `__schema`/`__type` from graphql-js over the API schema, as @apollo/gateway answers them. */
  private introspect(prepared: PreparedOperation, node: FieldNode, variables: Record<string, unknown>): unknown {
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [
        { kind: Kind.OPERATION_DEFINITION, operation: 'query' as never, variableDefinitions: prepared.operation.variableDefinitions, selectionSet: { kind: Kind.SELECTION_SET, selections: [node] } },
        ...prepared.fragments.values(),
      ],
    };
    const result = executeSync({ schema: this.apiSchema, document, rootValue: {}, variableValues: variables });
    return (result.data as Record<string, unknown> | undefined)?.[node.alias?.value ?? node.name.value] ?? null;
  }
}

/** Which `@skip`/`@include` variant of the operation these variables pick. */
function variantOf(prepared: PreparedOperation, coerced: Record<string, unknown>): string {
  return prepared.conditions.length === 0 ? '' : prepared.conditions.map((name) => (coerced[name] === true ? '1' : '0')).join('');
}
