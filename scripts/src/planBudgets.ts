import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode, type QueryPlan, type SubscriptionNode } from '@apollo/query-planner';
import { listSizesOf, measureOperation, type ListSizes } from '@shop/router';
import { Kind, parse, print, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

/**
 * Query-plan budgets (DESIGN.md section 12): what each persisted operation costs the router once
 * planned, against the budget committed in plan-budgets.json. Schema checks catch breaking
 * changes; these catch an operation (or a schema move) that quietly makes a page fan out to more
 * subgraphs, wait on more rounds or ask for more data than before.
 */

/** One operation a client ships, as the router receives it (the operation and its fragments). */
export interface PersistedOperation {
  /** `<client>/<OperationName>`: the key of its budget. */
  key: string;
  document: DocumentNode;
  operationName: string;
}

export interface PlanMetrics {
  /** Subgraph requests in the plan (every branch counted: the worst case). */
  fetches: number;
  /** Rounds of fetches that wait on one another: the latency floor is this many subgraph round trips. */
  sequenceDepth: number;
  /** The router's estimated cost (fields, multiplied by list sizes), as its QUERY_TOO_COMPLEX limit counts it. */
  cost: number;
}

export type Budgets = Record<string, PlanMetrics>;

export interface BudgetRow {
  key: string;
  metrics: PlanMetrics | null;
  budget: PlanMetrics | null;
  /** Why the row fails the check: an excess per metric, no budget, or a plan that could not be built. */
  problems: string[];
}

const METRICS: readonly (keyof PlanMetrics)[] = ['fetches', 'sequenceDepth', 'cost'];

/** Plans operations against one supergraph; one planner for all of them, as in the router. */
export class PlanBudgetChecker {
  private readonly apiSchema: Schema;
  private readonly planner: QueryPlanner;
  private readonly listSizes: ListSizes;

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl, { validateSupergraph: false });
    this.apiSchema = supergraph.apiSchema();
    this.planner = new QueryPlanner(supergraph);
    this.listSizes = listSizesOf(supergraphSdl, this.apiSchema.toGraphQLJSSchema());
  }

  metrics(operation: PersistedOperation): PlanMetrics {
    const plan = this.planner.buildQueryPlan(operationFromDocument(this.apiSchema, operation.document, { operationName: operation.operationName }));
    const shape = measureOperation(operation.document, operation.operationName, this.listSizes);
    return {
      fetches: countFetches(plan),
      sequenceDepth: sequenceDepth(plan),
      // Cost with the operation's variable defaults, as the router evaluates a request that omits them.
      cost: shape ? (typeof shape.cost === 'number' ? shape.cost : shape.cost({})) : 0,
    };
  }

  check(operations: readonly PersistedOperation[], budgets: Budgets): BudgetRow[] {
    return operations.map((operation) => {
      const budget = budgets[operation.key] ?? null;
      let metrics: PlanMetrics;
      try {
        metrics = this.metrics(operation);
      } catch (error) {
        return { key: operation.key, metrics: null, budget, problems: [`cannot be planned: ${(error as Error).message}`] };
      }
      if (!budget) return { key: operation.key, metrics, budget, problems: ['no budget in plan-budgets.json'] };
      const problems = METRICS.filter((name) => metrics[name] > budget[name]).map(
        (name) => `${name} ${metrics[name]} > budget ${budget[name]} (+${metrics[name] - budget[name]})`,
      );
      return { key: operation.key, metrics, budget, problems };
    });
  }
}

/** Budgets recording the current plans (for `npm run plans -- --write` after a reviewed change). */
export function budgetsOf(rows: readonly BudgetRow[]): Budgets {
  const budgets: Budgets = {};
  for (const row of [...rows].sort((a, b) => a.key.localeCompare(b.key))) {
    if (row.metrics) budgets[row.key] = row.metrics;
  }
  return budgets;
}

function countFetches(plan: QueryPlan): number {
  let count = 0;
  walk(plan.node, () => {
    count += 1;
  });
  return count;
}

function walk(node: PlanNode | SubscriptionNode | undefined, onFetch: () => void): void {
  if (!node) return;
  switch (node.kind) {
    case 'Fetch':
      onFetch();
      return;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) walk(child, onFetch);
      return;
    case 'Flatten':
      walk(node.node, onFetch);
      return;
    case 'Condition':
      walk(node.ifClause, onFetch);
      walk(node.elseClause, onFetch);
      return;
    case 'Defer':
      walk(node.primary.node, onFetch);
      for (const deferred of node.deferred) walk(deferred.node, onFetch);
      return;
    case 'Subscription':
      walk(node.primary, onFetch);
      walk(node.rest, onFetch);
  }
}

function sequenceDepth(plan: QueryPlan): number {
  return depthOf(plan.node);
}

/** Round trips on the longest chain: a sequence adds its steps up, parallel branches overlap. */
function depthOf(node: PlanNode | SubscriptionNode | undefined): number {
  if (!node) return 0;
  switch (node.kind) {
    case 'Fetch':
      return 1;
    case 'Sequence':
      return node.nodes.reduce((sum, child) => sum + depthOf(child), 0);
    case 'Parallel':
      return Math.max(0, ...node.nodes.map(depthOf));
    case 'Flatten':
      return depthOf(node.node);
    case 'Condition':
      return Math.max(depthOf(node.ifClause), depthOf(node.elseClause));
    case 'Defer':
      // The last deferred part arrives after the primary part's rounds and its own.
      return depthOf(node.primary.node) + Math.max(0, ...node.deferred.map((deferred) => depthOf(deferred.node)));
    case 'Subscription':
      return depthOf(node.primary) + depthOf(node.rest);
  }
}

/**
 * Every named operation among a client's definitions, each with the fragments it uses
 * (transitively, also from `shared` definitions): what the client sends for that operation.
 */
export function operationsOf(client: string, definitions: readonly DefinitionNode[], shared: readonly DefinitionNode[] = []): PersistedOperation[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations = new Map<string, OperationDefinitionNode>();
  for (const definition of shared) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  for (const definition of definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) {
      const name = definition.name?.value;
      if (!name) throw new Error(`${client}: an anonymous operation cannot have a budget; name it`);
      const existing = operations.get(name);
      if (existing && print(existing) !== print(definition)) throw new Error(`${client}: two different operations are named ${name}`);
      operations.set(name, definition);
    }
  }
  return [...operations.values()].map((operation) => {
    const used = new Map<string, FragmentDefinitionNode>();
    const collect = (node: OperationDefinitionNode | FragmentDefinitionNode): void => {
      visit(node, {
        FragmentSpread(spread) {
          const name = spread.name.value;
          const fragment = fragments.get(name);
          if (!fragment) throw new Error(`${client}: fragment ${name} is used by ${operation.name!.value} but defined nowhere`);
          if (used.has(name)) return;
          used.set(name, fragment);
          collect(fragment);
        },
      });
    };
    collect(operation);
    const operationName = operation.name!.value;
    return { key: `${client}/${operationName}`, operationName, document: { kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] } };
  });
}

/** The operations of an Apollo persisted query manifest (the partner and mobile lists). */
export function operationsOfManifest(client: string, manifest: { operations: { body: string }[] }): PersistedOperation[] {
  return operationsOf(
    client,
    manifest.operations.flatMap((operation) => parse(operation.body).definitions),
  );
}
