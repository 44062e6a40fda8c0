import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@shop/subgraph-kit';
import { eventually, graphql, testRouterKey } from '@shop/testing';
import { composeSupergraph, createRouter, type Router } from '../src/index.js';
import { catalog, catalogSdl, prices, pricesSdl } from './fixtures.js';

describe('supergraph hot reload', () => {
  const servers = [catalog(), prices()];
  const dir = mkdtempSync(join(tmpdir(), 'router-reload-'));
  const path = join(dir, 'supergraph.graphql');
  let router: Router;
  let url: string;
  let withPrices: string;
  // What the router logged: a broken file is noticed (and refused) when its error is logged.
  const logged: Array<{ msg: string }> = [];
  const logger = createLogger({ service: 'router', level: 'warn', write: (line) => void logged.push(JSON.parse(line)) });

  // Written the way tools replace files: a new file renamed over the old one.
  const replace = (sdl: string) => {
    writeFileSync(`${path}.tmp`, sdl);
    renameSync(`${path}.tmp`, path);
  };

  beforeAll(async () => {
    const [c, p] = await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')));
    const catalogOnly = composeSupergraph([{ name: 'catalog', url: c!.url, typeDefs: catalogSdl }]).supergraphSdl;
    withPrices = composeSupergraph([
      { name: 'catalog', url: c!.url, typeDefs: catalogSdl },
      { name: 'prices', url: p!.url, typeDefs: pricesSdl },
    ]).supergraphSdl;
    writeFileSync(path, catalogOnly);
    router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl: catalogOnly, logger, watchSupergraphPath: path });
    url = (await router.listen(0, '127.0.0.1')).url;
  });

  afterAll(async () => {
    await router.stop();
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a changed supergraph file without failing a request meanwhile, and keeps it when the next file is broken', async () => {
    expect((await graphql(url, '{ items(first: 1) { price } }')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    let running = true;
    let answered = 0;
    const failures: unknown[] = [];
    const traffic = (async () => {
      while (running) {
        const result = await graphql(url, '{ items(first: 2) { id name } }').catch((error: unknown) => ({ errors: [error] }));
        if (result.errors) failures.push(result.errors);
        else answered += 1;
      }
    })();

    // Waits until traffic is answered past `mark`: requests go on while the router changes.
    const answeredSince = async (mark: number) => eventually(async () => answered, (n) => n > mark || failures.length > 0);

    await answeredSince(0);
    replace(withPrices);
    const priced = await eventually(
      async () => (await graphql(url, '{ items(first: 1) { price } }')).data?.items?.[0]?.price,
      (price) => price === '1.99',
    );
    expect(priced).toBe('1.99');
    expect(router.subgraphs.map((s) => s.name)).toEqual(['catalog', 'prices']);
    await answeredSince(answered);

    replace('this is not a supergraph');
    const refused = await eventually(async () => logged.map((line) => line.msg), (msgs) => msgs.some((msg) => msg.includes('keeping the current supergraph')));
    expect(refused).toContainEqual(expect.stringContaining('keeping the current supergraph'));
    expect((await graphql(url, '{ items(first: 1) { price } }')).data).toEqual({ items: [{ price: '1.99' }] });
    await answeredSince(answered);

    running = false;
    await traffic;
    expect(failures).toEqual([]);
  });
});
