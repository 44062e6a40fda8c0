import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphqlOk } from '@shop/testing';
import { SUBGRAPH_PORTS } from '../scripts/src/subgraphs.js';
import { generateStackKeys } from '../scripts/src/stack.js';
import { quietPort } from './support/processes.js';
import { ADMIN } from './support/supergraph.js';

// `npm start` (one process) stopped the way a terminal stops it: Ctrl+C sends SIGINT to the whole
// foreground process group, not just to the launcher. Every subgraph must still drain and relay
// its outbox before PostgreSQL goes, and the launcher must exit 0 with nothing logged as an error.

const root = join(new URL('.', import.meta.url).pathname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'shop-one-process-'));
// mkdtemp makes it 0700; as root, PostgreSQL runs as `postgres` and must reach inside.
chmodSync(dataDir, 0o755);
let child: ChildProcess | null = null;

afterAll(() => {
  if (child?.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** What start.ts does around startOneProcess: start, print, and on SIGINT stop and exit 0. */
const LAUNCHER = `
import { readFileSync } from 'node:fs';
const { startOneProcess } = await import(process.argv[2]);
const options = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const running = await startOneProcess({ ...options, say: (line) => process.stdout.write(line + '\\n') });
process.once('SIGINT', () => void running.stop().then(() => { process.stdout.write('stopped\\n'); process.exit(0); }));
process.stdout.write('ready ' + running.routerUrl + '\\n');
`;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start in one process', () => {
  it('a Ctrl+C to the whole process group stops the subgraphs before PostgreSQL and exits 0, with no errors', async () => {
    const ports: Record<string, number> = { router: await quietPort() };
    for (const name of Object.keys(SUBGRAPH_PORTS)) ports[name] = await quietPort();
    const pgPort = await quietPort();
    const optionsPath = join(dataDir, 'options.json');
    writeFileSync(optionsPath, JSON.stringify({ root, dataDir, ports, pgPort, keys: await generateStackKeys(), admin: ADMIN }));
    const launcherPath = join(dataDir, 'launcher.mjs');
    writeFileSync(launcherPath, LAUNCHER);
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', METRICS_PORT: String(await quietPort()) };
    delete env.REDIS_URL;
    // detached: the launcher leads its own process group, as `npm start` does in a terminal.
    child = spawn(process.execPath, [launcherPath, join(root, 'scripts', 'dist', 'oneProcess.js'), optionsPath], { cwd: root, env, detached: true });
    const output: string[] = [];
    let pending = '';
    const collect = (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop()!;
      output.push(...lines);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));

    const routerUrl = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', () => {
        const ready = output.find((line) => line.startsWith('ready '));
        if (ready) resolve(ready.slice('ready '.length));
      });
      void exited.then(() => reject(new Error(`the launcher exited before it was ready:\n${output.join('\n')}`)));
    });
    // A write whose event is still in the users outbox when the signal comes.
    await graphqlOk(routerUrl, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
      input: { email: `ctrl-c-${Date.now()}@example.com`, password: 'a long enough password', name: 'Ctrl C' },
    });
    expect(await portOpen(pgPort)).toBe(true);

    process.kill(-child.pid!, 'SIGINT');
    const exit = await exited;

    const errors = output.filter((line) => /"level":("error"|"fatal"|5\d|60)/.test(line) || /\bFATAL\b|PANIC/.test(line));
    expect({ exit, errors }).toEqual({ exit: { code: 0, signal: null }, errors: [] });
    expect(output).toContain('stopped');
    // PostgreSQL went too, last.
    expect(await portOpen(pgPort)).toBe(false);
  }, 180_000);
});
