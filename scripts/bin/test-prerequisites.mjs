#!/usr/bin/env node
// `npm test`'s pretest: the suite starts real servers and a real browser, so the machine needs
// `redis-server` and Debian's Chromium (and, optionally, `docker-compose` for the compose-file
// check). As root with apt-get they are installed here; otherwise this stops at once with the
// exact command to run. Plain JavaScript: it runs before anything is built.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const required = [
  { pkg: 'redis-server', present: () => has('redis-server') },
  { pkg: 'chromium', present: () => existsSync(CHROMIUM) },
];
// The compose-file test uses it when present; CI and root machines get it.
const optional = [{ pkg: 'docker-compose', present: () => has('docker-compose') }];

const missingRequired = required.filter((tool) => !tool.present()).map((tool) => tool.pkg);
const missingOptional = optional.filter((tool) => !tool.present()).map((tool) => tool.pkg);
const canInstall = process.getuid?.() === 0 && has('apt-get');

if (missingRequired.length > 0 || (missingOptional.length > 0 && canInstall)) {
  const packages = [...missingRequired, ...(canInstall ? missingOptional : [])];
  if (!canInstall) {
    process.stderr.write(
      `npm test needs ${missingRequired.join(' and ')} (real servers and a real browser). Install, then run npm test again:\n\n` +
        `  sudo apt-get update && sudo apt-get install -y ${missingRequired.join(' ')}\n\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`installing ${packages.join(', ')} for the test suite (apt-get)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
  const installed = run(['update', '-qq']) && run(['install', '-y', '-qq', ...packages]);
  const stillMissing = required.filter((tool) => !tool.present()).map((tool) => tool.pkg);
  if (!installed || stillMissing.length > 0) {
    process.stderr.write(
      `could not install ${stillMissing.length > 0 ? stillMissing.join(', ') : packages.join(', ')}; run this, then npm test again:\n\n` +
        `  apt-get update && apt-get install -y ${packages.join(' ')}\n\n`,
    );
    if (stillMissing.length > 0) process.exit(1);
  }
}
