import { describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createMemoryBus } from '@shop/events';
import { createLogger, createSubgraph, type RequestBase } from '@shop/subgraph-kit';
import { callAsRouter, routerHeadersFor, TEST_INTERNAL_CALLS } from '@shop/testing';

const typeDefs = parse('type Query { hello: String }');
const config = { jwksUrl: 'http://127.0.0.1:1/.well-known/jwks.json', serviceKeys: TEST_INTERNAL_CALLS.keys, logLevel: 'silent' as const };
const logger = createLogger({ service: 'test', level: 'silent' });

describe('createSubgraph', () => {
  it('serves, then stops background work first, drains, and closes resources newest first', async () => {
    const steps: string[] = [];
    const subgraph = await createSubgraph<RequestBase, { answer: number }>({
      name: 'lifecycle',
      typeDefs,
      config,
      deps: { logger },
      wire({ worker, resource }) {
        resource(async () => void steps.push('first resource'));
        resource(async () => void steps.push('second resource'));
        worker({ stop: async () => void steps.push('consumer') });
        worker({ stop: async () => void steps.push('sweeper') });
        return { resolvers: { Query: { hello: () => 'world' } }, context: (base) => base, extras: { answer: 42 } };
      },
    });
    expect(subgraph.answer).toBe(42);
    const { url } = await subgraph.listen(0, '127.0.0.1');
    callAsRouter(url, 'lifecycle');
    const headers = { 'content-type': 'application/json', ...(await routerHeadersFor(url)) };
    const response = await fetch(url, { method: 'POST', headers, body: '{"query":"{ hello }"}' });
    expect(await response.json()).toEqual({ data: { hello: 'world' } });

    await Promise.all([subgraph.stop(), subgraph.stop()]);
    expect(steps).toEqual(['sweeper', 'consumer', 'second resource', 'first resource']);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('closes what wiring had opened when it fails, and leaves a given bus open', async () => {
    const closed: string[] = [];
    const bus = createMemoryBus();
    await expect(
      createSubgraph({
        name: 'broken',
        typeDefs,
        config,
        deps: { logger, bus },
        wire({ worker, resource }) {
          resource(async () => void closed.push('pool'));
          worker({ stop: async () => void closed.push('consumer') });
          throw new Error('migration failed');
        },
      }),
    ).rejects.toThrow('migration failed');
    expect(closed).toEqual(['consumer', 'pool']);
    const seen: string[] = [];
    await bus.subscribe({ group: 'g', types: '*', handler: async (event) => void seen.push(event.type) });
    await bus.publish([{ id: '1', type: 'still.open', source: 't', occurredAt: new Date().toISOString(), key: 'k', data: {} }]);
    expect(seen).toEqual(['still.open']);
    await bus.close();
  });
});
