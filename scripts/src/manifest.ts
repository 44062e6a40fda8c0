import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { sha256Hex, type PersistedQueryManifest } from '@shop/router';

export const PARTNER_OPERATIONS_DIR = join('clients', 'partner', 'operations');
export const PARTNER_MANIFEST_PATH = join('clients', 'partner', 'persisted-query-manifest.json');

/**
 * Builds Apollo's persisted query manifest from `*.graphql` files: one entry per named
 * operation, its body the operation and the fragments it uses (across all files), printed by
 * graphql-js; the id is the SHA-256 of that body, what a partner sends as
 * `extensions.persistedQuery.sha256Hash`. Entries are sorted by name, so the output is stable.
 */
export function buildPersistedQueryManifest(operationsDir: string): PersistedQueryManifest {
  const files = readdirSync(operationsDir).filter((file) => file.endsWith('.graphql')).sort();
  const operations: OperationDefinitionNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const file of files) {
    const document = parse(readFileSync(join(operationsDir, file), 'utf8'));
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        if (!definition.name) throw new Error(`${file}: every operation needs a name`);
        operations.push(definition);
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(definition.name.value)) throw new Error(`${file}: fragment ${definition.name.value} is defined twice`);
        fragments.set(definition.name.value, definition);
      } else {
        throw new Error(`${file}: only operations and fragments belong in an operations file`);
      }
    }
  }
  const names = new Set<string>();
  const entries = operations.map((operation) => {
    const name = operation.name!.value;
    if (names.has(name)) throw new Error(`operation ${name} is defined twice`);
    names.add(name);
    const used = fragmentsUsedBy(operation, fragments);
    const body = [operation, ...used].map((definition) => print(definition)).join('\n\n');
    return { id: sha256Hex(body), name, type: operation.operation, body };
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations: entries };
}

/** The manifest as it is committed: two-space JSON with a final newline. */
export function serializeManifest(manifest: PersistedQueryManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The fragments an operation spreads, directly or through other fragments, sorted by name. */
function fragmentsUsedBy(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: DefinitionNode[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        const name = node.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`operation ${operation.name?.value} uses the unknown fragment ${name}`);
        used.set(name, fragment);
        pending.push(fragment);
      },
    });
  }
  return [...used.values()].sort((a, b) => (a.name.value < b.name.value ? -1 : 1));
}

/** `node scripts/dist/manifest.js [--check]`: writes the partner manifest, or (--check) fails if it is stale. */
function main(): void {
  const root = resolve(process.cwd());
  const expected = serializeManifest(buildPersistedQueryManifest(join(root, PARTNER_OPERATIONS_DIR)));
  const path = join(root, PARTNER_MANIFEST_PATH);
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (committed !== expected) {
      process.stderr.write(`${PARTNER_MANIFEST_PATH} is stale: run \`node scripts/dist/manifest.js\` and commit it\n`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(path, expected);
  process.stdout.write(`wrote ${PARTNER_MANIFEST_PATH} (${JSON.parse(expected).operations.length} operations)\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
