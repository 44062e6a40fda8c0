import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@shop/errors';
import { callService, createErrorFormatter, createLogger, createServiceClient, ServiceUnavailableError } from '@shop/subgraph-kit';

interface Reply {
  status?: number;
  /** A string is sent as it is; anything else as JSON. */
  body: unknown;
  delayMs?: number;
}

interface Seen {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  body: { query?: string; variables?: Record<string, unknown> };
}

class DomainUnavailableError extends ServiceUnavailableError {
  override name = 'DomainUnavailableError';
}

describe('callService', () => {
  let server: Server;
  let url: string;
  let next: Reply = { body: { data: null } };
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        const reply = next;
        const send = () => {
          if (res.destroyed) return;
          const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
          res.writeHead(reply.status ?? 200, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json' });
          res.end(text);
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = <T = unknown>(reply: Reply, extra: Partial<Parameters<typeof callService>[0]> = {}) => {
    next = reply;
    return callService<T>({ service: 'Test service', url, query: '{ ping }', ...extra });
  };

  it('POSTs the query and variables as JSON with the forwarded headers', async () => {
    seen.length = 0;
    const result = await call<{ ping: string }>(
      { body: { data: { ping: 'pong' } } },
      {
        query: 'query($id: ID!) { ping(id: $id) }',
        variables: { id: 'x-1' },
        forward: { authorization: 'Bearer the-callers-token', requestId: 'req-42', clientIp: '203.0.113.7' },
      },
    );
    expect(result).toEqual({ data: { ping: 'pong' }, errors: [], status: 200 });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.accept).toBe('application/json');
    expect(request!.headers.authorization).toBe('Bearer the-callers-token');
    expect(request!.headers['x-request-id']).toBe('req-42');
    expect(request!.headers['x-forwarded-for']).toBe('203.0.113.7');
    expect(request!.body).toEqual({ query: 'query($id: ID!) { ping(id: $id) }', variables: { id: 'x-1' } });
  });

  it('sends no forwarded headers it was not given', async () => {
    seen.length = 0;
    await call({ body: { data: { ping: 'pong' } } }, { forward: { authorization: undefined } });
    const headers = seen[0]!.headers;
    expect(headers.authorization).toBeUndefined();
    expect(headers['x-request-id']).toBeUndefined();
    expect(headers['x-forwarded-for']).toBeUndefined();
    expect(seen[0]!.body.variables).toEqual({});
  });

  it('passes GraphQL errors back with their path and extensions, beside partial data', async () => {
    const errors = [
      { message: 'Product not found', path: ['_entities', 1], extensions: { code: 'NOT_FOUND' } },
      { message: 'short', extensions: { code: 'CONFLICT', products: [{ productId: 'p', requested: 2, available: 1 }] } },
    ];
    const result = await call({ body: { data: { _entities: [{ id: 'p-1' }, null] }, errors } });
    expect(result).toEqual({ data: { _entities: [{ id: 'p-1' }, null] }, errors, status: 200 });
  });

  it('passes back a 4xx answer that carries GraphQL errors (e.g. 401 UNAUTHENTICATED)', async () => {
    const errors = [{ message: 'bad token', extensions: { code: 'UNAUTHENTICATED' } }];
    await expect(call({ status: 401, body: { errors } })).resolves.toEqual({ data: null, errors, status: 401 });
  });

  it('gives a message to an error that has none', async () => {
    const result = await call({ body: { data: null, errors: [{ extensions: { code: 'X' } }] } });
    expect(result.errors).toEqual([{ message: 'unknown error', extensions: { code: 'X' } }]);
  });

  it.each<[string, Reply]>([
    ['a non-JSON body', { status: 502, body: 'Bad Gateway' }],
    ['a non-JSON body with 200', { body: '<html>proxy login</html>' }],
    ['a JSON body that is no GraphQL response', { body: [1, 2] }],
    ['HTTP 5xx with errors and no data', { status: 500, body: { errors: [{ message: 'boom' }] } }],
    ['HTTP 4xx with neither data nor errors', { status: 404, body: {} }],
  ])('throws ServiceUnavailableError naming service and URL on %s', async (_name, reply) => {
    const error = await call(reply).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).message).toContain(`Test service at ${url}`);
    expect((error as ServiceUnavailableError).service).toBe('Test service');
    expect((error as ServiceUnavailableError).url).toBe(url);
  });

  it('keeps data that came with HTTP 5xx', async () => {
    await expect(call({ status: 500, body: { data: { ping: 'late' } } })).resolves.toEqual({ data: { ping: 'late' }, errors: [], status: 500 });
  });

  it('gives up after timeoutMs', async () => {
    // The service would answer after 2 s: only the 100 ms deadline makes this fail.
    const error = await call({ body: { data: {} }, delayMs: 2_000 }, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toMatch(/did not answer/);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = call({ body: { data: {} }, delayMs: 2_000 }, { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toBeInstanceOf(ServiceUnavailableError);
  });

  it('throws ServiceUnavailableError when nothing listens', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const error = await callService({ service: 'Nobody', url: `http://127.0.0.1:${port}/graphql`, query: '{ ping }' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toMatch(new RegExp(`^Nobody at http://127\\.0\\.0\\.1:${port}/graphql did not answer`));
  });

  it('throws the caller\'s own subclass when given one', async () => {
    const error = await call({ status: 503, body: 'down' }, { unavailableError: DomainUnavailableError }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainUnavailableError);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).name).toBe('DomainUnavailableError');
  });

  it('reaches a client as SUBGRAPH_UNAVAILABLE naming the service, its URL only in the log', async () => {
    const error = await call({ status: 502, body: 'Bad Gateway' }).catch((e: unknown) => e);
    const lines: string[] = [];
    const format = createErrorFormatter(createLogger({ service: 'test', write: (line) => lines.push(line) }));
    const formatted = format({ message: (error as Error).message, path: ['x'] }, error);
    expect(formatted).toEqual({
      message: 'Test service gave no usable answer; retry later',
      locations: undefined,
      path: ['x'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'Test service' },
    });
    expect(JSON.stringify(formatted)).not.toContain(url);
    expect(lines.join('\n')).toContain(url);
  });

  describe('createServiceClient', () => {
    const client = () => createServiceClient({ service: 'Test service', url, unavailableError: DomainUnavailableError });

    it('fetches entities in one _entities request: one per key in key order, null for unknown ones', async () => {
      seen.length = 0;
      next = {
        body: {
          data: { _entities: [{ id: 'b', price: 2 }, null, { id: 'a', price: 1 }, null] },
          errors: [{ message: 'Product not found', path: ['_entities', 3], extensions: { code: 'NOT_FOUND' } }],
        },
      };
      const keys = ['b', 'gone', 'a', 'missing'].map((id) => ({ id }));
      await expect(client().entities('Product', 'price', keys, { forward: { requestId: 'r-1' } })).resolves.toEqual([
        { id: 'b', price: 2 },
        null,
        { id: 'a', price: 1 },
        null,
      ]);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.body.query).toBe('query($r:[_Any!]!){ _entities(representations:$r){ ... on Product { id price } } }');
      expect(seen[0]!.body.variables).toEqual({ r: keys.map((key) => ({ __typename: 'Product', ...key })) });
      expect(seen[0]!.headers['x-request-id']).toBe('r-1');
      await expect(client().entities('Product', 'price', [])).resolves.toEqual([]);
      expect(seen).toHaveLength(1);
    });

    it.each<[string, Reply]>([
      ['a failed entity', { body: { data: { _entities: [null] }, errors: [{ message: 'db down', path: ['_entities', 0], extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } }],
      ['a wrong number of entities', { body: { data: { _entities: [] } } }],
      ['entities answered for other keys', { body: { data: { _entities: [{ id: 'other' }] } } }],
    ])('refuses %s with its unavailable error', async (_name, reply) => {
      next = reply;
      await expect(client().entities('Product', 'price', [{ id: 'p-1' }])).rejects.toThrow(DomainUnavailableError);
    });

    it('reads one field as the caller: null for NOT_FOUND, the owner\'s refusal passed on, other errors unavailable', async () => {
      const read = () => client().field('order', 'query($id: ID!) { order(id: $id) { id } }', { id: 'o-1' }, { forward: { authorization: 'Bearer t' } });
      next = { body: { data: { order: { id: 'o-1' } } } };
      await expect(read()).resolves.toEqual({ id: 'o-1' });
      expect(seen.at(-1)!.headers.authorization).toBe('Bearer t');
      next = { body: { data: { order: null }, errors: [{ message: 'Order not found', extensions: { code: 'NOT_FOUND' } }] } };
      await expect(read()).resolves.toBeNull();
      next = { body: { data: { order: null }, errors: [{ message: 'Not yours', extensions: { code: 'FORBIDDEN' } }] } };
      const refusal = await read().catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(AppError);
      expect((refusal as AppError).code).toBe('FORBIDDEN');
      next = { body: { data: { order: null }, errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } };
      await expect(read()).rejects.toThrow(DomainUnavailableError);
    });
  });
});
