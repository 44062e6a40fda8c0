import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { defaultFieldResolver, execute, getVariableValues, GraphQLError, isObjectType, Kind, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/** Apollo's header asking a subgraph for a federated trace, which hooks every field (graphql-js only). */
const TRACE_HEADER = 'apollo-federation-include-trace';

/** As many as graphql-js's `execute` reports before it stops coercing variables. */
const MAX_VARIABLE_ERRORS = 50;

export interface CompiledExecutionOptions {
  /** Compiled operations kept (by query text and operation name), least recently used dropped first. */
  max?: number;
}

/**
 * Runs queries with graphql-jit: each query text and operation name compiled once into a plain
 * function that resolves and completes its fields without graphql-js's per-field interpretation
 * (argument maps, resolve infos, type checks). Apollo Server stays in front of it (it takes it as
 * a gateway's executor): parsing, validation, the context, plugins, formatError and the HTTP
 * answer are Apollo's as before; only `execute` changes, the resolvers being the schema's own
 * (its fields without one are given graphql-js's default resolver, see withDefaultResolvers).
 *
 * graphql-js still executes whatever graphql-jit would not do the same way: mutations (run
 * rarely; their serial execution is not worth a second engine), subscriptions, introspection,
 * operations whose variables graphql-js refuses (its errors, then, are the answer), requests
 * asking for a federated trace (its field hooks live in graphql-js), and anything graphql-jit
 * cannot compile. Subgraphs with `@cacheControl` hints keep graphql-js entirely: Apollo Server's
 * cache-control plugin computes the policy from hooks on each field (createSubgraphServer).
 *
 * The data are graphql-js's, and so is each error (message, path, locations, code). Where an
 * answer has several errors they may come in another order (graphql-jit lists a non-null field's
 * null after the resolvers' errors), and where several fields of one object fail synchronously
 * graphql-jit reports each, graphql-js only the first (it skips the rest once the object is null).
 * The differential suites (orders' and users' compiledExecution tests) hold the two to that.
 */
export function compiledExecution(schema: GraphQLSchema, options: CompiledExecutionOptions = {}): Gateway {
  withDefaultResolvers(schema);
  // `fallback`: not compiled (see above), graphql-js runs it.
  const compiled = new LRUCache<string, CompiledQuery | { fallback: true }>({ max: options.max ?? 500 });

  const compiledFor = (document: DocumentNode, operation: OperationDefinitionNode, queryHash: string, operationName: string | undefined) => {
    const key = `${operationName ?? ''}\n${queryHash}`;
    let entry = compiled.get(key);
    if (entry === undefined) {
      entry = compilable(operation) ? compile(schema, document, operationName) : { fallback: true };
      compiled.set(key, entry);
    }
    return 'query' in entry ? entry : null;
  };

  const executor: Awaited<ReturnType<Gateway['load']>>['executor'] = async (requestContext) => {
    const { document, operation, request, queryHash, context } = requestContext;
    const variables = request.variables ?? {};
    // As Apollo Server calls graphql-js when it executes itself.
    const viaGraphqlJs = async () => execute({ schema, document, contextValue: context, variableValues: variables, operationName: request.operationName });
    if (operation === undefined || (request.http?.headers.get(TRACE_HEADER) ?? null) !== null) return viaGraphqlJs();
    const query = compiledFor(document, operation, queryHash, request.operationName ?? undefined);
    if (query === null) return viaGraphqlJs();
    // graphql-js's own coercion decides; its refusal is answered by graphql-js, word for word.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: MAX_VARIABLE_ERRORS });
    if (coerced.errors !== undefined) return viaGraphqlJs();
    const result = await (query.query(undefined, context, variables) as ExecutionResult | Promise<ExecutionResult>);
    return result.errors === undefined ? result : { ...result, errors: result.errors.map(asGraphqlJsError) };
  };

  return {
    load: async () => ({ executor }),
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    stop: async () => {},
  };
}

/**
 * Gives every field without a resolver graphql-js's default one, which graphql-js would use for it
 * anyway: graphql-jit reads such a field as a plain property, where graphql-js also calls a
 * function (a lazy `totalCount`) and awaits a promise found there.
 */
function withDefaultResolvers(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) field.resolve ??= defaultFieldResolver;
  }
}

/**
 * graphql-jit's errors as graphql-js's `locatedError` makes them: Apollo Server reads
 * `extensions` as an object, which graphql-jit leaves undefined for an error without any.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const located = new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
  // graphql-jit keeps the locations, not the nodes they were read from.
  (located as { locations: GraphQLError['locations'] }).locations = error.locations;
  return located;
}

/** Queries whose root selects plain fields, none of them introspection's. */
function compilable(operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'query') return false;
  return operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && selection.name.value !== '__schema' && selection.name.value !== '__type');
}

function compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): CompiledQuery | { fallback: true } {
  try {
    const result = compileQuery(schema, document, operationName);
    return isCompiledQuery(result) ? result : { fallback: true };
  } catch {
    return { fallback: true };
  }
}
