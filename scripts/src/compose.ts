import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { composeSupergraph, CompositionError } from '@shop/router';
import { listSubgraphs } from './subgraphs.js';

/**
 * `npm run compose`: composes schema/supergraph.graphql from every subgraph's SDL, with the
 * local URLs of `npm start`, and copies each SDL to schema/subgraphs/<name>.graphql.
 */
export function composeRepository(root: string): { supergraphSdl: string; hints: string[]; subgraphs: Map<string, string> } {
  const subgraphs = listSubgraphs(root);
  const sdl = new Map(subgraphs.map((s) => [s.name, readFileSync(s.schemaPath, 'utf8')]));
  const { supergraphSdl, hints } = composeSupergraph(
    subgraphs.map((s) => ({ name: s.name, url: `http://localhost:${s.port}/graphql`, typeDefs: sdl.get(s.name)! })),
  );
  return { supergraphSdl, hints, subgraphs: sdl };
}

function main(): void {
  const root = resolve(process.cwd());
  try {
    const { supergraphSdl, hints, subgraphs } = composeRepository(root);
    mkdirSync(join(root, 'schema', 'subgraphs'), { recursive: true });
    writeFileSync(join(root, 'schema', 'supergraph.graphql'), supergraphSdl);
    for (const [name, sdl] of subgraphs) writeFileSync(join(root, 'schema', 'subgraphs', `${name}.graphql`), sdl);
    for (const hint of hints) process.stderr.write(`hint: ${hint}\n`);
    process.stdout.write(`composed schema/supergraph.graphql from ${[...subgraphs.keys()].join(', ')}\n`);
  } catch (error) {
    if (error instanceof CompositionError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
