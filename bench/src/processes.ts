import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { root, type LoadResult } from './support.js';

/** Starts a gateway process and resolves once its health (or first answer) is up. */
export async function startGatewayProcess(kind: 'router' | 'apollo' | 'hive', env: Record<string, string>): Promise<ChildProcess> {
  const script =
    kind === 'router'
      ? join(root, 'router', 'dist', 'main.js')
      : join(root, 'bench', 'dist', 'gateways', kind === 'apollo' ? 'apolloGateway.js' : 'hiveGateway.js');
  const child = spawn(process.execPath, [script], { env: { ...process.env, LOG_LEVEL: 'error', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  if (process.env.BENCH_DEBUG) child.stderr!.pipe(process.stderr), child.stdout!.pipe(process.stderr);
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${env.PORT}/graphql`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} exited: ${output}`);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (response.ok) return child;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${kind} did not answer within 30 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function loadInProcess(options: object): Promise<LoadResult> {
  const child = spawn(process.execPath, [join(root, 'bench', 'dist', 'loadWorker.js'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let last = '';
  createInterface({ input: child.stdout! }).on('line', (line) => (last = line));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(last) as LoadResult;
}
