import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@shop/postgres';
import { generateKeyJwk } from '@shop/subgraph-kit';
import { createTestDatabase } from '@shop/testing';

// Every subgraph's production entry point (dist/main.js, built by `npm test`), as a container
// runs it: configured from the environment alone, healthy on its PORT, and gone with exit 0
// on SIGTERM, its pools, stores and background work released.
const root = join(new URL('.', import.meta.url).pathname, '..');
const SUBGRAPHS = ['users', 'products', 'inventory', 'orders', 'payments', 'cart', 'search', 'shipping', 'notifications', 'analytics'];
const POSTGRES = new Set(['users', 'inventory', 'orders', 'payments', 'shipping', 'notifications', 'analytics']);

async function healthy(url: string, exited: () => boolean, output: () => string): Promise<unknown> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    if (exited()) throw new Error(`exited before it was healthy:\n${output()}`);
    const body = await fetch(url).then(
      (response) => (response.ok ? response.json() : null),
      () => null,
    );
    if (body) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not healthy within 30 s:\n${output()}`);
}

describe('subgraph main.ts', () => {
  it.each(SUBGRAPHS)('%s serves /health on PORT and exits 0 on SIGTERM', async (name) => {
    const port = await freePort();
    // Nothing listens there: search keeps retrying its rebuild until the signal stops it.
    const nowhere = `http://127.0.0.1:${await freePort()}/graphql`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      LOG_LEVEL: 'info',
      // Given keys, so no process writes a development key into the working tree.
      JWT_PRIVATE_KEY: JSON.stringify(await generateKeyJwk()),
      SERVICE_PRIVATE_KEY: JSON.stringify(await generateKeyJwk()),
      REINDEX_SOURCE_URL: nowhere,
      ...(POSTGRES.has(name) ? { DATABASE_URL: await createTestDatabase(`main_${name}`) } : {}),
    };
    const child = spawn(process.execPath, [join(root, 'subgraphs', name, 'dist', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect(healthy(`http://127.0.0.1:${port}/health`, () => child.exitCode !== null, () => output)).resolves.toEqual({
        status: 'ok',
        service: name,
      });
      expect(output).toContain('"msg":"listening"');
      child.kill('SIGTERM');
      await expect(exit).resolves.toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
