import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadDocuments } from '@graphql-tools/load';
import { CodeFileLoader } from '@graphql-tools/code-file-loader';
import { GraphQLFileLoader } from '@graphql-tools/graphql-file-loader';
import type { DefinitionNode } from 'graphql';
import { budgetsOf, operationsOf, operationsOfManifest, PlanBudgetChecker, type BudgetRow, type Budgets, type PersistedOperation } from './planBudgets.js';

/**
 * `npm run plans`: every persisted operation's plan against plan-budgets.json; exits 1 on any
 * excess (or an operation without a budget). `--write` records the current plans as the budgets,
 * for a change whose extra fetches were reviewed and accepted.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * What each client sends: the partner and mobile persisted query lists (Apollo's manifests), and
 * the documents codegen types for the admin SDK, the storefront and the dashboard (same globs as
 * codegen.yml, so an operation a client can send is an operation with a budget).
 */
async function persistedOperations(): Promise<PersistedOperation[]> {
  const manifest = async (path: string) => JSON.parse(await readFile(join(root, path), 'utf8')) as { operations: { body: string }[] };
  const definitions = async (globs: string[]): Promise<DefinitionNode[]> => {
    const sources = await loadDocuments(globs, { cwd: root, loaders: [new GraphQLFileLoader(), new CodeFileLoader()], skipGraphQLImport: true });
    return sources.flatMap((source) => source.document?.definitions ?? []);
  };
  const admin = await definitions(['clients/admin/operations/*.graphql']);
  return [
    ...operationsOfManifest('partner', await manifest('clients/partner/persisted-query-manifest.json')),
    ...operationsOfManifest('mobile', await manifest('clients/mobile/src/persisted-query-manifest.json')),
    ...operationsOf('admin', admin),
    ...operationsOf('web', await definitions(['clients/web/src/**/*.{ts,tsx}', '!clients/web/src/gql/**'])),
    // The dashboard also sends the admin SDK's operations (budgeted once, as admin/...).
    ...operationsOf('admin-web', await definitions(['clients/admin-web/src/**/*.{ts,tsx}', '!clients/admin-web/src/gql/**']), admin),
  ];
}

function table(rows: readonly BudgetRow[]): string {
  const cell = (value: number | undefined, budget: number | undefined) =>
    value === undefined ? '-' : budget === undefined ? String(value) : `${value}/${budget}`;
  const lines = rows.map((row) => [
    row.key,
    cell(row.metrics?.fetches, row.budget?.fetches),
    cell(row.metrics?.sequenceDepth, row.budget?.sequenceDepth),
    cell(row.metrics?.cost, row.budget?.cost),
    row.problems.length ? `EXCESS: ${row.problems.join('; ')}` : 'ok',
  ]);
  const header = ['operation', 'fetches', 'depth', 'cost', 'check'];
  const widths = header.map((title, index) => Math.max(title.length, ...lines.map((line) => line[index]!.length)));
  return [header, ...lines].map((line) => line.map((text, index) => text.padEnd(widths[index]!)).join('  ').trimEnd()).join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      budgets: { type: 'string', default: join(root, 'plan-budgets.json') },
      supergraph: { type: 'string', default: join(root, 'schema', 'supergraph.graphql') },
      write: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const checker = new PlanBudgetChecker(await readFile(values.supergraph, 'utf8'));
  const operations = await persistedOperations();
  if (values.write) {
    const rows = checker.check(operations, {});
    const broken = rows.filter((row) => !row.metrics);
    if (broken.length) {
      console.error(table(broken));
      return 1;
    }
    await writeFile(values.budgets, `${JSON.stringify(budgetsOf(rows), null, 2)}\n`);
    console.log(`${rows.length} budgets written to ${values.budgets}`);
    return 0;
  }
  const budgets = JSON.parse(await readFile(values.budgets, 'utf8')) as Budgets;
  const rows = checker.check(operations, budgets);
  const failing = rows.filter((row) => row.problems.length > 0);
  console.log(values.json ? JSON.stringify(rows.map(({ key, metrics, budget, problems }) => ({ key, metrics, budget, problems })), null, 2) : table(rows));
  if (failing.length) {
    console.error(`\n${failing.length} of ${rows.length} operations exceed their plan budget (plan-budgets.json).`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
