import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createLogger, createSubgraphServer, negotiateGraphQLMediaType, type RequestBase, type SubgraphServer } from '@shop/subgraph-kit';

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
    server = createSubgraphServer<RequestBase>({
      name: 'tiny',
      typeDefs: parse('type Query { ping: String }'),
      resolvers: { Query: { ping: () => 'pong' } } as never,
      context: (base) => base,
      accessTokens: { keys: [] },
      logger: createLogger({ service: 'test', level: 'silent' }),
      bodyLimitBytes: 64,
    });
    url = (await server.listen(0, '127.0.0.1')).url;
  });
  afterAll(() => server.stop());

  const post = (body: string, accept: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body });

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
});
