import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
const root = join(new URL('.', import.meta.url).pathname, '..');

function committed(path: string): string | null {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return null;
  }
}

// codegen's plugins are loaded by its own loader, which jest's module sandbox breaks: run it in a
// plain node process, in memory (nothing written) and without the hook (the manifest has its own check).
const GENERATE_IN_MEMORY = `
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
const { config } = await loadCodegenConfig({ configFilePath: 'codegen.yml' });
const outputs = await generate({ ...config, hooks: {}, silent: true }, false);
process.stdout.write(JSON.stringify(outputs.map(({ filename, content }) => ({ filename, content }))));
`;

// The partner manifest as \`npm run manifest\` writes it: Apollo's own generator and config file,
// serialized the way its CLI does.
const PARTNER_MANIFEST_PATH = 'clients/partner/persisted-query-manifest.json';
const MOBILE_MANIFEST_PATH = 'clients/mobile/src/persisted-query-manifest.json';
const GENERATE_MANIFEST_IN_MEMORY = `
import { readFileSync } from 'node:fs';
import { generatePersistedQueryManifest } from '@apollo/generate-persisted-query-manifest';
const path = process.argv[1];
const manifest = await generatePersistedQueryManifest(JSON.parse(readFileSync(path, 'utf8')), path);
process.stdout.write(JSON.stringify(manifest, null, 2));
`;

describe('committed codegen output', () => {
  it('every file codegen.yml generates is what `npm run codegen` writes today', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', GENERATE_IN_MEMORY], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    const outputs = JSON.parse(stdout) as Array<{ filename: string; content: string }>;
    expect(outputs.length).toBeGreaterThan(0);
    const stale = outputs
      .filter((output) => committed(relative(root, join(root, output.filename))) !== output.content)
      .map((output) => relative(root, join(root, output.filename)));
    if (stale.length > 0) throw new Error(`stale generated files (run \`npm run codegen\` and commit them):\n  ${stale.join('\n  ')}`);
  }, 60_000); // codegen for fourteen targets: slow on a loaded machine

  it('the partner manifest is what @apollo/generate-persisted-query-manifest makes of the partner operations', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', GENERATE_MANIFEST_IN_MEMORY, 'persisted-query-manifest.config.json'], { cwd: root });
    const manifest = JSON.parse(stdout) as { operations: Array<{ name: string; body: string }> };
    expect(manifest.operations.map((op) => op.name)).toEqual(['Categories', 'ProductBySku', 'ProductListing', 'StockBySkus']);
    // Apollo Client asks for __typename everywhere; the ids are the hashes of those bodies.
    expect(manifest.operations.every((op) => op.body.includes('__typename'))).toBe(true);
    if (committed(PARTNER_MANIFEST_PATH) !== stdout) {
      throw new Error(`${PARTNER_MANIFEST_PATH} is stale: run \`npm run manifest\` (or \`npm run codegen\`) and commit it`);
    }
  }, 20_000);

  it('the mobile persisted query list is what the generator makes of the mobile operations', async () => {
    const config = 'clients/mobile/persisted-query-manifest.config.json';
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', GENERATE_MANIFEST_IN_MEMORY, config], { cwd: root });
    const manifest = JSON.parse(stdout) as { operations: Array<{ name: string }> };
    expect(manifest.operations.map((op) => op.name)).toContain('OrderStatusLive');
    if (committed(MOBILE_MANIFEST_PATH) !== stdout) {
      throw new Error(`${MOBILE_MANIFEST_PATH} is stale: run \`npm run codegen\` and commit it`);
    }
  }, 20_000);
});
