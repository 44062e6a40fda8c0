import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `npm test` on a machine without redis-server, as a user who cannot install it: the pretest
// stops before anything is built, printing the command that fixes it.
const root = join(new URL('.', import.meta.url).pathname, '..');
const setpriv = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).stdout.trim();
const canDropRoot = process.getuid?.() === 0 && setpriv !== '';

describe('npm test prerequisites', () => {
  (canDropRoot ? it : it.skip)('stop a user without redis-server at once, with the exact command to run', () => {
    // A PATH with node and a shell, and nothing else (no redis-server, no apt-get).
    const bin = mkdtempSync(join(tmpdir(), 'bare-path-'));
    chmodSync(bin, 0o755);
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    const run = spawnSync(
      setpriv,
      ['--reuid=65534', '--regid=65534', '--clear-groups', join(bin, 'node'), join(root, 'scripts/bin/test-prerequisites.mjs')],
      { env: { PATH: bin }, encoding: 'utf8' },
    );
    rmSync(bin, { recursive: true, force: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm test needs redis-server');
    expect(run.stderr).toMatch(/^ {2}sudo apt-get update && sudo apt-get install -y redis-server$/m);
  });

  it('let a machine that has everything through without a word', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts/bin/test-prerequisites.mjs')], { encoding: 'utf8' });
    expect(run).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });
});
