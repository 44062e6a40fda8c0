import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createLogger, createSubgraph, type Execution, type RequestBase, type RunnableSubgraph } from '@shop/subgraph-kit';
import { callAsRouter, routerHeadersFor, TEST_INTERNAL_CALLS } from '@shop/testing';

// Compiled queries (graphql-jit) next to the same subgraph on graphql-js alone: what graphql-js
// does with a property that is a function or a promise, mutations and federated traces.

const typeDefs = parse(`
  type Query { page: Page }
  type Page { total: Int! note: String first: Item items: [Item!]! }
  type Item { name: String! }
  type Mutation { bump: Int! }
`);
const config = { jwksUrl: 'http://127.0.0.1:1/.well-known/jwks.json', serviceKeys: TEST_INTERNAL_CALLS.keys, logLevel: 'silent' as const };
const logger = createLogger({ service: 'test', level: 'silent' });

async function start(execution: Execution): Promise<{ url: string; subgraph: RunnableSubgraph }> {
  let bumps = 0;
  const subgraph = await createSubgraph<RequestBase>({
    name: 'lazy',
    typeDefs,
    config,
    deps: { logger, execution },
    wire: () => ({
      resolvers: {
        Query: {
          // Properties graphql-js calls (functions) and awaits (promises), with no resolver of their own.
          page: () => ({ total: async () => 3, note: Promise.resolve('soon'), first: () => ({ name: 'first' }), items: [{ name: 'a' }, Promise.resolve({ name: 'b' })] }),
        },
        Mutation: { bump: () => (bumps += 1) },
      },
      context: (base) => base,
    }),
  });
  const { url } = await subgraph.listen(0, '127.0.0.1');
  callAsRouter(url, 'lazy');
  return { url, subgraph };
}

describe('compiled execution', () => {
  let compiled: { url: string; subgraph: RunnableSubgraph };
  let reference: { url: string; subgraph: RunnableSubgraph };

  beforeAll(async () => {
    [compiled, reference] = await Promise.all([start('compiled'), start('graphql-js')]);
  });

  afterAll(async () => {
    await Promise.all([compiled?.subgraph.stop(), reference?.subgraph.stop()]);
  });

  const post = async (url: string, query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await routerHeadersFor(url)), ...headers }, body: JSON.stringify({ query }) });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[]; extensions?: Record<string, unknown> } };
  };

  it('calls functions and awaits promises found in properties, as graphql-js does', async () => {
    const query = '{ page { total note first { name } items { name } } }';
    const [fromJit, fromGraphqlJs] = await Promise.all([post(compiled.url, query), post(reference.url, query)]);
    expect(fromJit).toEqual({ status: 200, body: { data: { page: { total: 3, note: 'soon', first: { name: 'first' }, items: [{ name: 'a' }, { name: 'b' }] } } } });
    expect(fromJit).toEqual(fromGraphqlJs);
  });

  it('runs mutations, and answers a request for a federated trace with one', async () => {
    expect((await post(compiled.url, 'mutation { bump }')).body).toEqual({ data: { bump: 1 } });
    expect((await post(compiled.url, 'mutation { bump }')).body).toEqual({ data: { bump: 2 } });
    // The trace hooks every field, which graphql-js alone does: such a request is not run compiled,
    // even for a query compiled before.
    expect((await post(compiled.url, '{ page { total } }')).body).toEqual({ data: { page: { total: 3 } } });
    const traced = await post(compiled.url, '{ page { total } }', { 'apollo-federation-include-trace': 'ftv1' });
    expect(traced.body.data).toEqual({ page: { total: 3 } });
    // The trace (protobuf, base64) names each field resolved.
    const trace = Buffer.from(String(traced.body.extensions?.ftv1), 'base64').toString('latin1');
    expect(trace).toContain('page');
    expect(trace).toContain('total');
  });
});
