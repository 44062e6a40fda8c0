import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { FetchStep } from './engine/compilePlan.js';
import type { SubgraphClients } from './engine/SubgraphClients.js';
import { SupergraphEngine, type KeptAnswers, type PreparedOperation } from './engine/SupergraphEngine.js';
import { subgraphsOf, type SubgraphEndpoint } from './supergraph.js';
import { listSizesOf, type ListSizes } from './listSizes.js';

/** How one subscription runs: the root field's fetch (kept open), and the rest of the plan per event. */
export interface SubscriptionPlan {
  prepared: PreparedOperation;
  primary: FetchStep;
}

/**
 * Everything the router serves for one loaded supergraph: its subgraphs, validation against the
 * API schema, and the engine that plans and executes operations. A supergraph reload makes a new
 * runtime; requests and subscriptions already running keep the one they started with.
 */
export class SupergraphRuntime {
  readonly subgraphs: SubgraphEndpoint[];
  readonly engine: SupergraphEngine;
  /** The `@listSize` of every list field that declares one (cost estimates count default pages). */
  readonly listSizes: ListSizes;
  private readonly validations = new LRUCache<string, readonly GraphQLError[]>({ max: 2000 });

  constructor(
    readonly supergraphSdl: string,
    /** The API schema the gateway serves (what clients validate against). */
    readonly apiSchema: GraphQLSchema,
    urlOverrides: Record<string, string>,
    clients: SubgraphClients,
    kept: KeptAnswers,
  ) {
    this.subgraphs = subgraphsOf(supergraphSdl).map((s) => ({ name: s.name, url: urlOverrides[s.name] ?? s.url }));
    this.engine = new SupergraphEngine(supergraphSdl, apiSchema, clients.forSubgraphs(this.subgraphs), kept);
    this.listSizes = listSizesOf(supergraphSdl, apiSchema);
  }

  /** Validation errors of a parsed operation, remembered per query text. */
  validate(query: string, document: DocumentNode, introspection: boolean): readonly GraphQLError[] {
    const key = `${introspection ? 1 : 0}${query}`;
    let errors = this.validations.get(key);
    if (!errors) {
      errors = validate(this.apiSchema, document, introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule]);
      this.validations.set(key, errors);
    }
    return errors;
  }

  urlOf(serviceName: string): string {
    const endpoint = this.subgraphs.find((s) => s.name === serviceName);
    if (!endpoint) throw new Error(`The supergraph has no subgraph named "${serviceName}"`);
    return endpoint.url;
  }

  /** Plans a (validated) subscription operation; throws a GraphQLError when it cannot be planned. */
  subscriptionPlan(query: string, document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    const prepared = this.engine.prepare(query, document, operationName);
    if (prepared instanceof GraphQLError) throw prepared;
    if (!prepared.primary) throw new GraphQLError('The operation is not a subscription');
    return { prepared, primary: prepared.primary };
  }
}
