import type { ServiceMap } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type QueryPlan } from '@apollo/query-planner';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { LruCache } from './LruCache.js';
import { SubgraphDataSource, type SubgraphFetchEvent } from './dataSource.js';
import { subgraphsOf, type SubgraphEndpoint } from './supergraph.js';

/** How one subscription runs: the root field's fetch (kept open) and the plan for each event. */
export interface SubscriptionPlan {
  /** Sent to the owning subgraph over graphql-ws. */
  primary: FetchNode;
  /** `primary` followed by the plan's `rest`: executed per event with `primary` answered by the event. */
  eventPlan: QueryPlan;
}

/**
 * What the router needs beyond the gateway for one loaded supergraph: the subgraph list (health),
 * validation for WebSocket operations, and a query planner for subscriptions, which the gateway
 * plans but refuses to execute. A supergraph reload makes a new runtime; subscriptions that are
 * running keep the one they started with.
 */
export class SupergraphRuntime {
  readonly subgraphs: SubgraphEndpoint[];
  private planning: { supergraph: Supergraph; apiSchema: Schema; planner: QueryPlanner; supergraphSchema: GraphQLSchema } | null = null;
  private services: ServiceMap | null = null;
  private readonly validations = new LruCache<string, readonly GraphQLError[]>(1000);
  private readonly plans = new WeakMap<DocumentNode, Map<string, SubscriptionPlan>>();

  constructor(
    readonly supergraphSdl: string,
    /** The API schema the gateway serves (what clients validate against). */
    readonly apiSchema: GraphQLSchema,
    urlOverrides: Record<string, string>,
    private readonly onFetch: (event: SubgraphFetchEvent) => void,
  ) {
    this.subgraphs = subgraphsOf(supergraphSdl).map((s) => ({ name: s.name, url: urlOverrides[s.name] ?? s.url }));
  }

  /** Validation errors of a parsed operation, remembered per query text. */
  validate(query: string, document: DocumentNode, introspection: boolean): readonly GraphQLError[] {
    let errors = this.validations.get(query);
    if (!errors) {
      errors = validate(this.apiSchema, document, introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule]);
      this.validations.set(query, errors);
    }
    return errors;
  }

  urlOf(serviceName: string): string {
    const endpoint = this.subgraphs.find((s) => s.name === serviceName);
    if (!endpoint) throw new Error(`The supergraph has no subgraph named "${serviceName}"`);
    return endpoint.url;
  }

  /** Data sources for the entity fetches of subscription events (one per subgraph, shared). */
  serviceMap(): ServiceMap {
    this.services ??= Object.fromEntries(this.subgraphs.map((s) => [s.name, new SubgraphDataSource(s.name, s.url, this.onFetch)]));
    return this.services;
  }

  get supergraphSchema(): GraphQLSchema {
    return this.planningState().supergraphSchema;
  }

  get federationApiSchema(): Schema {
    return this.planningState().apiSchema;
  }

  /** Plans a (validated) subscription operation; throws a GraphQLError when it cannot be planned. */
  subscriptionPlan(document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    let byName = this.plans.get(document);
    const cached = byName?.get(operationName ?? '');
    if (cached) return cached;
    const { apiSchema, planner } = this.planningState();
    const plan = planner.buildQueryPlan(operationFromDocument(apiSchema, document, { operationName }));
    if (plan.node?.kind !== 'Subscription') throw new GraphQLError('The operation is not a subscription');
    const { primary, rest } = plan.node;
    const planned: SubscriptionPlan = {
      primary,
      eventPlan: { kind: 'QueryPlan', node: rest ? { kind: 'Sequence', nodes: [primary, rest] } : primary },
    };
    if (!byName) {
      byName = new Map();
      this.plans.set(document, byName);
    }
    byName.set(operationName ?? '', planned);
    return planned;
  }

  // Built on the first subscription only: plain query traffic never pays for a second planner.
  private planningState() {
    if (!this.planning) {
      const supergraph = Supergraph.build(this.supergraphSdl, { validateSupergraph: false });
      const apiSchema = supergraph.apiSchema();
      this.planning = { supergraph, apiSchema, planner: new QueryPlanner(supergraph), supergraphSchema: supergraph.schema.toGraphQLJSSchema() };
    }
    return this.planning;
  }
}
