import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeRepository } from '../scripts/src/compose.js';

const root = join(new URL('.', import.meta.url).pathname, '..');

describe('committed generated files', () => {
  it('schema/supergraph.graphql is what `npm run compose` produces from the subgraphs today', () => {
    const { supergraphSdl, subgraphs } = composeRepository(root);
    const committed = readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8');
    if (committed !== supergraphSdl) {
      throw new Error('schema/supergraph.graphql is stale: run `npm run compose` and commit the result');
    }
    for (const [name, sdl] of subgraphs) {
      expect(readFileSync(join(root, 'schema', 'subgraphs', `${name}.graphql`), 'utf8')).toBe(sdl);
    }
  });
});
