import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SubgraphClient, type Sharing } from '../src/engine/SubgraphClient.js';

// Identical queries of different callers share one subgraph call only while the subgraph says
// its answers to them are public (its cache-control, as a shared HTTP cache reads it). A gate
// holds every call until the test releases it, so what reached the subgraph can be counted.
let cacheControl = 'max-age=60, public';
const calls: Array<{ authorization: string | undefined; release: () => void }> = [];
let arrived: (() => void) | null = null;
const server: Server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const answer = `{"data":{"shelf":"for ${req.headers.authorization ?? 'anyone'}"}}`;
    const headers = { 'content-type': 'application/json', 'cache-control': cacheControl };
    calls.push({ authorization: req.headers.authorization, release: () => void (res.headersSent || res.writeHead(200, headers).end(answer)) });
    arrived?.();
  });
});
let client: SubgraphClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  client = new SubgraphClient('shelf', url, { timeoutMs: 5000, breaker: { failureThreshold: 5, openMs: 1000 }, connections: 4 });
});

afterAll(async () => {
  for (const call of calls) call.release();
  await client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function callsReach(count: number): Promise<void> {
  while (calls.length < count) await new Promise<void>((resolve) => (arrived = resolve));
}

const body = '{"query":"{ shelf }","variables":{}}';
const as = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
const shelf = (outcome: Awaited<ReturnType<SubgraphClient['fetch']>>) => (outcome.kind === 'response' ? outcome.data?.shelf : outcome.kind);

describe('sharing subgraph calls between callers', () => {
  it('public answers: once the subgraph has said so, identical queries of two callers make one call', async () => {
    calls.length = 0;
    cacheControl = 'max-age=60, public';
    const hint: Sharing['hint'] = { public: false };
    // Nothing known yet about this operation: each caller's query is its own call.
    const first = [client.fetch(body, as('ana'), { identity: 'Bearer ana', hint }), client.fetch(body, as('bo'), { identity: 'Bearer bo', hint })];
    await callsReach(2);
    for (const call of calls) call.release();
    expect((await Promise.all(first)).map(shelf)).toEqual(['for Bearer ana', 'for Bearer bo']);
    expect(hint.public).toBe(true);

    calls.length = 0;
    const second = [client.fetch(body, as('ana'), { identity: 'Bearer ana', hint }), client.fetch(body, as('bo'), { identity: 'Bearer bo', hint })];
    await callsReach(1);
    calls[0]!.release();
    expect((await Promise.all(second)).map(shelf)).toEqual(['for Bearer ana', 'for Bearer ana']);
    expect(calls).toHaveLength(1);
  });

  it('an answer that turns out private goes to its caller alone: the other sends its own call', async () => {
    calls.length = 0;
    cacheControl = 'max-age=60, private';
    const hint: Sharing['hint'] = { public: true };
    const both = [client.fetch(body, as('ana'), { identity: 'Bearer ana', hint }), client.fetch(body, as('bo'), { identity: 'Bearer bo', hint })];
    await callsReach(1);
    calls[0]!.release();
    await callsReach(2);
    expect(calls.map((c) => c.authorization)).toEqual(['Bearer ana', 'Bearer bo']);
    calls[1]!.release();
    expect((await Promise.all(both)).map(shelf)).toEqual(['for Bearer ana', 'for Bearer bo']);
    expect(hint.public).toBe(false);
  });

  it('without a public answer on record, callers never wait for each other', async () => {
    calls.length = 0;
    cacheControl = 'no-store';
    const hint: Sharing['hint'] = { public: false };
    const both = [client.fetch(body, as('ana'), { identity: 'Bearer ana', hint }), client.fetch(body, as('bo'), { identity: 'Bearer bo', hint })];
    await callsReach(2);
    for (const call of calls) call.release();
    expect((await Promise.all(both)).map(shelf)).toEqual(['for Bearer ana', 'for Bearer bo']);
  });
});
