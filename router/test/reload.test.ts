import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphql } from '@shop/testing';
import { composeSupergraph, createRouter, type Router } from '../src/index.js';
import { catalog, catalogSdl, logger, prices, pricesSdl } from './fixtures.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('supergraph hot reload', () => {
  const servers = [catalog(), prices()];
  const dir = mkdtempSync(join(tmpdir(), 'router-reload-'));
  const path = join(dir, 'supergraph.graphql');
  let router: Router;
  let url: string;
  let withPrices: string;

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
    router = createRouter({ supergraphSdl: catalogOnly, logger, watchSupergraphPath: path });
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

    replace(withPrices);
    let reloaded = false;
    for (let i = 0; i < 200 && !reloaded; i++) {
      await wait(20);
      reloaded = (await graphql(url, '{ items(first: 1) { price } }')).data?.items?.[0]?.price === '1.99';
    }
    expect(reloaded).toBe(true);
    expect(router.subgraphs.map((s) => s.name)).toEqual(['catalog', 'prices']);

    const beforeBroken = answered;
    replace('this is not a supergraph');
    await wait(400);
    expect((await graphql(url, '{ items(first: 1) { price } }')).data).toEqual({ items: [{ price: '1.99' }] });

    // However slow the machine, the traffic goes on answering after the broken file too.
    for (let i = 0; i < 500 && answered < beforeBroken + 5; i++) await wait(20);
    running = false;
    await traffic;
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThanOrEqual(beforeBroken + 5);
  });
});
