import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLError,
  GraphQLNonNull,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';
import type { RouterContext } from '../context.js';
import type { SupergraphRuntime } from '../SupergraphRuntime.js';

/**
 * `gateway` as Apollo Server sees it (supergraph loading, API schema, hot reload: all
 * @apollo/gateway's), with our engine as its executor in place of `executeQueryPlan`. Apollo
 * Server still parses, validates and formats on this path, which serves whatever the router's
 * fast path leaves to it (errors, content negotiation, WebSocket queries).
 */
export function withEngineExecutor(gateway: GatewayInterface, runtimeFor: (apiSchema: GraphQLSchema) => SupergraphRuntime): GatewayInterface {
  const executor: GatewayExecutor = async (requestContext) => {
    const { engine } = runtimeFor(requestContext.schema);
    const prepared = engine.prepare(requestContext.source, requestContext.document, requestContext.operationName ?? undefined);
    if (prepared instanceof GraphQLError) return { errors: [prepared] };
    const variables = requestContext.request.variables ?? {};
    const coerced = engine.coerce(prepared, variables);
    if (!coerced.ok) return { errors: [...coerced.errors] };
    const result = await engine.execute(prepared, variables, coerced.values, requestContext.context as RouterContext);
    // Apollo Server's cache-control plugin turns this into the response header.
    const policy = result.cachePolicy.policy();
    requestContext.overallCachePolicy.restrict(policy ?? { maxAge: 0 });
    return result.errors.length > 0 ? { data: result.data, errors: result.errors } : { data: result.data };
  };
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate((update) => callback({ ...update, apiSchema: servedSchema(update.apiSchema) })),
    load: async (options) => {
      await gateway.load(options);
      return { executor };
    },
    stop: () => gateway.stop(),
  };
}

// graphql-js 16 has no @defer of its own; this is the incremental delivery RFC's definition.
const DEFER = new GraphQLDirective({
  name: 'defer',
  description: 'Lets the fragment arrive in a later part of the answer (multipart/mixed; deferSpec=20220824).',
  locations: [DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT],
  args: { label: { type: GraphQLString }, if: { type: new GraphQLNonNull(GraphQLBoolean), defaultValue: true } },
});
const served = new WeakMap<GraphQLSchema, GraphQLSchema>();

/**
 * The API schema clients are served (validation, introspection): the gateway's, plus `@defer`,
 * which the engine plans and runs. One object per loaded supergraph, so it also keys the runtime.
 */
export function servedSchema(apiSchema: GraphQLSchema): GraphQLSchema {
  let schema = served.get(apiSchema);
  if (!schema) {
    const config = apiSchema.toConfig();
    schema = new GraphQLSchema({ ...config, directives: [...config.directives.filter((d) => d.name !== 'defer'), DEFER] });
    served.set(apiSchema, schema);
  }
  return schema;
}
