import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { generateKeyJwk } from '@shop/subgraph-kit';
import { createTestDatabase, eventually } from '@shop/testing';

// Every subgraph's production entry point (dist/main.js, built by `npm test`), as a container
// runs it: configured from the environment alone, healthy on its PORT (0 here: a free port the
// OS picks, read from the log), and gone with exit 0 on SIGTERM, its pools, stores and
// background work released.
const root = join(new URL('.', import.meta.url).pathname, '..');
const SUBGRAPHS = ['users', 'products', 'inventory', 'orders', 'payments', 'cart', 'search', 'shipping', 'notifications', 'analytics'];
const POSTGRES = new Set(['users', 'inventory', 'orders', 'payments', 'shipping', 'notifications', 'analytics']);

/** The URL the process logged once it listened (it binds PORT=0: whatever port is free). */
async function listeningUrl(exited: () => boolean, output: () => string): Promise<string> {
  const seen = await eventually(
    async () => ({ url: loggedLines(output()).find((line) => line.msg === 'listening')?.url, exited: exited() }),
    (state) => state.url !== undefined || state.exited,
    30_000,
  );
  if (seen.url === undefined) throw new Error(`${seen.exited ? 'exited' : 'not listening within 30 s'}:\n${output()}`);
  return seen.url;
}

/** The JSON log lines written so far (a partly written last line is left for the next read). */
function loggedLines(output: string): Array<{ msg?: string; url?: string }> {
  return output.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

describe('subgraph main.ts', () => {
  it.each(SUBGRAPHS)('%s serves /health on PORT and exits 0 on SIGTERM', async (name) => {
    // Nothing listens on port 1: search keeps retrying its rebuild until the signal stops it.
    const nowhere = 'http://127.0.0.1:1/graphql';
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      PORT: '0',
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
      const url = await listeningUrl(() => child.exitCode !== null, () => output);
      const health = await fetch(new URL('/health', url));
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', service: name });
      child.kill('SIGTERM');
      await expect(exit).resolves.toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
