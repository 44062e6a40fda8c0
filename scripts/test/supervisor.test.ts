import { describe, expect, it } from '@jest/globals';
import { until } from '@shop/testing';
import { Supervisor } from '../src/processes/Supervisor.js';

// The supervisor of `npm start -- --processes` with real child processes (plain `node -e`
// programs): what it logs and reports is what an operator sees.

const node = (name: string, program: string) => ({
  name,
  command: process.execPath,
  args: ['-e', program],
  env: { PATH: process.env.PATH ?? '' },
  ready: async () => true,
  stopRank: 1,
});

describe('Supervisor', () => {
  it('restarts a process that keeps dying after a backoff that doubles up to its cap, and reports each exit', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor({ log: (line) => lines.push(line), output: () => undefined, backoff: { initialMs: 100, maxMs: 400, resetAfterMs: 600_000 } });
    await supervisor.start(node('flaky', 'setTimeout(() => process.exit(3), 50)'));
    await until(() => lines.filter((line) => line.startsWith('flaky exited')).length >= 4, 'four restarts', 30_000);
    await supervisor.stop();
    expect(lines.filter((line) => line.startsWith('flaky exited')).slice(0, 4)).toEqual([
      'flaky exited (code 3); restart 1 in 0.1 s',
      'flaky exited (code 3); restart 2 in 0.2 s',
      'flaky exited (code 3); restart 3 in 0.4 s',
      'flaky exited (code 3); restart 4 in 0.4 s',
    ]);
    expect(supervisor.status().flaky).toMatchObject({ state: 'stopped', pid: null });
  });

  it('stops in rank order, and kills what ignores SIGTERM once its time is up', async () => {
    const said = new Set<string>();
    const supervisor = new Supervisor({ log: () => undefined, output: (name, line) => void said.add(`${name}: ${line}`), stopTimeoutMs: 500 });
    // Ready once it says so: the SIGTERM handler is installed by then.
    const saysReady = (name: string) => async () => said.has(`${name}: ready`);
    await supervisor.start({ ...node('router', "console.log('ready'); setInterval(() => undefined, 1000)"), ready: saysReady('router'), stopRank: 0 });
    await supervisor.start({
      ...node('stubborn', "process.on('SIGTERM', () => undefined); console.log('ready'); setInterval(() => undefined, 1000)"),
      ready: saysReady('stubborn'),
      stopRank: 1,
    });
    await supervisor.stop();
    const status = supervisor.status();
    expect(status.router).toMatchObject({ state: 'stopped', restarts: 0, lastExit: { signal: 'SIGTERM' } });
    expect(status.stubborn).toMatchObject({ state: 'stopped', restarts: 0, lastExit: { signal: 'SIGKILL' } });
    expect(Date.parse(status.router!.lastExit!.at)).toBeLessThanOrEqual(Date.parse(status.stubborn!.lastExit!.at));
  });

  it('fails a start with the last lines the process wrote when it exits before it is ready', async () => {
    const supervisor = new Supervisor({ log: () => undefined, output: () => undefined });
    const start = supervisor.start({ ...node('broken', "console.error('DATABASE_URL is required'); process.exit(1)"), ready: async () => false });
    await expect(start).rejects.toThrow(/broken exited before it was ready \(code 1\):\nDATABASE_URL is required/);
    await supervisor.stop();
  });
});
