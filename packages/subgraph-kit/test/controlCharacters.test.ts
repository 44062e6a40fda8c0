import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { controlCharacterInput, createLogger, createSubgraphServer, type RequestBase, type SubgraphServer } from '@shop/subgraph-kit';
import { errorCodes, graphql, TEST_INTERNAL_CALLS, callAsRouter } from '@shop/testing';

describe('control characters in string inputs', () => {
  const document = parse('mutation($note: String, $items: [In!]) { order(cartId: "c-1", note: $note, items: $items) }');

  it('names the variable or argument that holds one, anywhere in a nested input', () => {
    expect(controlCharacterInput(document, { note: 'fine\ttab\nnew line\r' })).toBeNull();
    expect(controlCharacterInput(document, { note: 'cart\u0000' })).toBe('note');
    expect(controlCharacterInput(document, { items: [{ sku: 'A' }, { sku: 'B\u001b[31m' }] })).toBe('items');
    expect(controlCharacterInput(document, { items: [{ ['key\u0007']: 'x' }] })).toBe('items');
    expect(controlCharacterInput(parse('{ a(id: "x\\u0000y") }'), {})).toBe('id');
    expect(controlCharacterInput(parse('{ a(filter: { tags: ["ok", "del\\u007f"] }) }'), {})).toBe('filter');
  });

  it('answers the same for a document seen before (its literals looked at once), and still looks at every variable', () => {
    const dirty = parse('{ a(id: "x\\u0000y") }');
    expect(controlCharacterInput(dirty, {})).toBe('id');
    expect(controlCharacterInput(dirty, {})).toBe('id');
    expect(controlCharacterInput(document, { note: 'clean' })).toBeNull();
    expect(controlCharacterInput(document, { note: 'bell\u0007' })).toBe('note');
    expect(controlCharacterInput(document, { note: 'clean again' })).toBeNull();
  });
});

describe('the kit refuses them before any resolver runs', () => {
  let server: SubgraphServer;
  let url: string;
  const called: string[] = [];

  beforeAll(async () => {
    server = createSubgraphServer<RequestBase>({ internalCalls: TEST_INTERNAL_CALLS,
      name: 'tiny',
      typeDefs: parse('type Query { echo(text: String!): String }  type Mutation { reserve(id: ID!): Boolean }'),
      resolvers: {
        Query: { echo: (_: unknown, args: { text: string }) => args.text },
        Mutation: {
          reserve: (_: unknown, args: { id: string }) => {
            called.push(args.id);
            return true;
          },
        },
      } as never,
      context: (base) => base,
      accessTokens: { keys: [] },
      logger: createLogger({ service: 'test', level: 'silent' }),
    });
    url = (await server.listen(0, '127.0.0.1')).url;
    callAsRouter(url, 'tiny');
  });
  afterAll(() => server.stop());

  it('answers BAD_USER_INPUT naming the input (HTTP 400), for variables and literals alike', async () => {
    const byVariable = await graphql(url, 'mutation($id: ID!) { reserve(id: $id) }', { id: 'order-1\u0000' });
    expect(byVariable.status).toBe(400);
    expect(byVariable.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } })]);
    const byLiteral = await graphql(url, 'mutation { reserve(id: "order-2\\u0000") }');
    expect(errorCodes(byLiteral)).toEqual(['BAD_USER_INPUT']);
    expect(called).toEqual([]);
    expect((await graphql(url, 'query($t: String!) { echo(text: $t) }', { t: 'line one\nline two\ttabbed' })).data).toEqual({
      echo: 'line one\nline two\ttabbed',
    });
  });
});
