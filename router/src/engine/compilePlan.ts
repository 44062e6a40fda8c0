import { createHash } from 'node:crypto';
import { Kind, parse, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { FetchDataRewrite, FetchNode, PlanNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import { compileRepresentation, plainFields, type RepresentationEncoder } from './representations.js';

/**
 * A query plan as the executor runs it: @apollo/query-planner's nodes with everything a fetch
 * needs worked out once per plan (the static part of its request body, the fields it serves for
 * error paths) instead of once per request.
 */
export type Step = SequenceStep | ParallelStep | FlattenStep | ConditionStep | FetchStep | DeferStep;

/**
 * `@defer`: the primary part's fetches, then each deferred fragment's, which may start once the
 * primary part is in (a deferred fragment's own step may be a DeferStep again, for nested defers).
 */
export interface DeferStep {
  kind: 'Defer';
  primary: { step: Step | undefined; subselection: string | undefined };
  deferred: DeferredStep[];
}

export interface DeferredStep {
  label: string | undefined;
  /** Response names from the root to the objects the fragment completes (lists walked through). */
  queryPath: readonly string[];
  /** The fragment's selections, as the planner prints them: what its payload holds. */
  subselection: string | undefined;
  step: Step | undefined;
}

export interface SequenceStep {
  kind: 'Sequence';
  steps: Step[];
}

export interface ParallelStep {
  kind: 'Parallel';
  steps: Step[];
}

export interface FlattenStep {
  kind: 'Flatten';
  path: ReadonlyArray<string | number>;
  step: Step;
}

export interface ConditionStep {
  kind: 'Condition';
  variable: string;
  ifStep: Step | undefined;
  elseStep: Step | undefined;
}

export interface FetchStep {
  kind: 'Fetch';
  service: string;
  operation: string;
  operationName: string | undefined;
  /** Only queries are merged with identical in-flight requests. */
  mergeable: boolean;
  /** Whether the subgraph's last answer to this fetch was `public` (see SubgraphClient's Sharing). */
  answers: { public: boolean };
  variableUsages: readonly string[];
  /** Present on entity fetches: what each representation is built from. */
  requires: readonly QueryPlanSelectionNode[] | undefined;
  /** Writes a representation's JSON directly; null where the general path is needed (input rewrites, unusual shapes). */
  encodeRepresentation: RepresentationEncoder | null;
  /**
   * With `encodeRepresentation`, the plain fields representations are made of (see `plainFields`):
   * entities with the same `__typename` and values share one representation.
   */
  keyFields: readonly string[] | null;
  inputRewrites: readonly FetchDataRewrite[] | undefined;
  outputRewrites: readonly FetchDataRewrite[] | undefined;
  /** `{"query":…,"operationName":…,"variables":` : the body up to its variables. */
  bodyHead: string;
  /**
   * Stands for `bodyHead` in the keys of kept entity answers: a digest of it, so that looking up
   * each of a fetch's representations hashes a short key rather than the whole operation text.
   */
  operationKey: string;
  /** Response names this fetch fills in, per entity type (root fetches: under ''), for errors when it fails. */
  served: ReadonlyMap<string, readonly string[]>;
}

export function compilePlan(node: PlanNode): Step {
  switch (node.kind) {
    case 'Sequence':
      return { kind: 'Sequence', steps: node.nodes.map(compilePlan) };
    case 'Parallel':
      return { kind: 'Parallel', steps: node.nodes.map(compilePlan) };
    case 'Flatten':
      return { kind: 'Flatten', path: node.path, step: compilePlan(node.node) };
    case 'Condition':
      return {
        kind: 'Condition',
        variable: node.condition,
        ifStep: node.ifClause ? compilePlan(node.ifClause) : undefined,
        elseStep: node.elseClause ? compilePlan(node.elseClause) : undefined,
      };
    case 'Fetch':
      return compileFetch(node);
    case 'Defer':
      return {
        kind: 'Defer',
        primary: { step: node.primary.node ? compilePlan(node.primary.node) : undefined, subselection: node.primary.subselection },
        deferred: node.deferred.map((d) => ({
          label: d.label,
          queryPath: d.queryPath,
          subselection: d.subselection,
          step: d.node ? compilePlan(d.node) : undefined,
        })),
      };
  }
}

export function compileFetch(node: FetchNode): FetchStep {
  const head: Record<string, string> = { query: node.operation };
  if (node.operationName) head.operationName = node.operationName;
  const json = JSON.stringify(head);
  return {
    kind: 'Fetch',
    service: node.serviceName,
    operation: node.operation,
    operationName: node.operationName,
    mergeable: node.operationKind === 'query',
    answers: { public: false },
    variableUsages: node.variableUsages ?? [],
    requires: node.requires,
    encodeRepresentation: node.requires && !node.inputRewrites?.length ? compileRepresentation(node.requires) : null,
    keyFields: node.requires && !node.inputRewrites?.length ? plainFields(node.requires) : null,
    inputRewrites: node.inputRewrites,
    outputRewrites: node.outputRewrites,
    bodyHead: `${json.slice(0, -1)},"variables":`,
    operationKey: createHash('sha256').update(json).digest('base64url'),
    served: servedFields(node.operationDocumentNode ?? parse(node.operation), node.requires !== undefined),
  };
}

function servedFields(document: ReturnType<typeof parse>, entities: boolean): Map<string, string[]> {
  const served = new Map<string, string[]>();
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return served;
  const namesIn = (selectionSet: SelectionSetNode, into: string[]) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias?.value ?? selection.name.value;
        if (selection.name.value !== '__typename' && !into.includes(name)) into.push(name);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) namesIn(selection.selectionSet, into);
    }
    return into;
  };
  if (!entities) {
    served.set('', namesIn(operation.selectionSet, []));
    return served;
  }
  const entitiesField = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
  if (entitiesField?.kind !== Kind.FIELD || !entitiesField.selectionSet) return served;
  for (const selection of entitiesField.selectionSet.selections) {
    if (selection.kind !== Kind.INLINE_FRAGMENT) continue;
    const type = selection.typeCondition?.name.value ?? '';
    served.set(type, namesIn(selection.selectionSet, served.get(type) ?? []));
  }
  return served;
}
