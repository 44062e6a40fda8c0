import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createLogger, createSubgraphServer, negotiateGraphQLMediaType, type RequestBase, type SubgraphServer } from '@shop/subgraph-kit';
import { once } from 'node:events';
import WebSocket from 'ws';
import { callAsRouter, routerHeadersFor, TEST_INTERNAL_CALLS } from '@shop/testing';

describe('negotiateGraphQLMediaType', () => {
  it('takes what the client ranks first; the spec’s own type on a tie or without Accept; null when neither is acceptable', () => {
    const cases: Array<[string | undefined, string | null]> = [
      [undefined, 'application/graphql-response+json'],
      ['*/*', 'application/graphql-response+json'],
      ['application/*', 'application/graphql-response+json'],
      ['application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json'],
      ['application/json', 'application/json'],
      ['application/json;q=1, application/graphql-response+json;q=0.8', 'application/json'],
      ['text/html, */*;q=0.1', 'application/graphql-response+json'],
      ['text/html', null],
      ['application/graphql-response+json;q=0, application/json;q=0', null],
    ];
    for (const [accept, expected] of cases) {
      const chosen = negotiateGraphQLMediaType(accept);
      expect([accept, chosen?.replace('; charset=utf-8', '') ?? null]).toEqual([accept, expected]);
    }
  });
});

describe('refusals of the subgraph server kit', () => {
  let server: SubgraphServer;
  let url: string;

  beforeAll(async () => {
    server = createSubgraphServer<RequestBase>({ internalCalls: TEST_INTERNAL_CALLS,
      name: 'tiny',
      typeDefs: parse('type Query { ping: String }'),
      resolvers: { Query: { ping: () => 'pong' } } as never,
      context: (base) => base,
      accessTokens: { keys: [] },
      logger: createLogger({ service: 'test', level: 'silent' }),
      bodyLimitBytes: 64,
    });
    url = (await server.listen(0, '127.0.0.1')).url;
    callAsRouter(url, 'tiny');
  });
  afterAll(() => server.stop());

  const post = async (body: string, accept: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept, ...(await routerHeadersFor(url)) }, body });

  it('answers a body that is not JSON, or too large, in the negotiated media type with a coded error', async () => {
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      const broken = await post('{"query": ', accept);
      expect([broken.status, broken.headers.get('content-type')]).toEqual([400, `${accept}; charset=utf-8`]);
      expect(await broken.json()).toEqual({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });

      const large = await post(JSON.stringify({ query: `{ ping } # ${'x'.repeat(100)}` }), accept);
      expect([large.status, large.headers.get('content-type')]).toEqual([413, `${accept}; charset=utf-8`]);
      expect(((await large.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    }
  });

  it('reads a body far past the limit to its end, so a fetch client gets the 413 instead of a broken pipe', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await post(JSON.stringify({ query: `{ ping } # ${'x'.repeat(4 * 1024 * 1024)}` }), 'application/json');
      expect(response.status).toBe(413);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    }
    expect((await post('{"query":"{ ping }"}', 'application/json')).status).toBe(200);
  });

  it('closes a WebSocket whose message is larger than the body limit (1009, Message Too Big)', async () => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: await routerHeadersFor(url) });
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(1024) } }));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(1009);
    expect((await post('{"query":"{ ping }"}', 'application/json')).status).toBe(200);
  });
});
