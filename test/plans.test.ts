import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'graphql';
import { DEFAULT_PARTNER_COST } from '@shop/router';
import { operationsOf, PlanBudgetChecker, type Budgets } from '../scripts/src/planBudgets.js';

const root = join(new URL('.', import.meta.url).pathname, '..');
const run = promisify(execFile);
const committed = JSON.parse(readFileSync(join(root, 'plan-budgets.json'), 'utf8')) as Budgets;
const checker = new PlanBudgetChecker(readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8'));

/** `npm run plans` without the build step (npm test has built already). */
async function plans(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'scripts', 'dist', 'plans.js'), ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('query-plan budgets (npm run plans)', () => {
  it('every operation a client ships stays within the budget committed in plan-budgets.json', async () => {
    const result = await plans();
    if (result.code !== 0) throw new Error(`npm run plans failed: a plan got worse or an operation has no budget (accept a reviewed change with \`npm run plans -- --write\`)\n${result.stdout}${result.stderr}`);
    expect(result.stdout).toMatch(/^partner\/ProductBySku\s+2\/2\s+2\/2/m);
  }, 60_000);

  it('fails, naming the operation and the excess, when a committed budget is tighter than the plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plans-'));
    const budgets = join(dir, 'plan-budgets.json');
    const tightened = { ...committed, 'web/ProductPage': { ...committed['web/ProductPage']!, fetches: committed['web/ProductPage']!.fetches - 1 } };
    writeFileSync(budgets, JSON.stringify(tightened));
    const result = await plans('--budgets', budgets);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^web\/ProductPage .*EXCESS: fetches \d+ > budget \d+ \(\+1\)/m);
    expect(result.stderr).toContain('1 of');
  }, 60_000);

  it('catches an operation changed to wait on one more subgraph round trip', () => {
    const [original] = operationsOf('partner', parse(`
      query ProductBySku($sku: String!) {
        product(sku: $sku) { id name reviews(first: 5) { edges { node { rating } } } }
      }`).definitions);
    // The same page now also lists who wrote each review: users answer after products did.
    const [worse] = operationsOf('partner', parse(`
      query ProductBySku($sku: String!) {
        product(sku: $sku) { id name reviews(first: 5) { edges { node { rating author { name } } } } }
      }`).definitions);
    const budgets: Budgets = { 'partner/ProductBySku': checker.metrics(original!) };

    expect(checker.check([original!], budgets)[0]!.problems).toEqual([]);
    const [row] = checker.check([worse!], budgets);
    expect(row!.metrics!.sequenceDepth).toBeGreaterThan(budgets['partner/ProductBySku']!.sequenceDepth);
    expect(row!.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^fetches \d+ > budget \d+/), expect.stringMatching(/^sequenceDepth \d+ > budget \d+/)]));
  });

  it('keeps every partner operation within what a partner key’s cost bucket holds by default', () => {
    const partnerCosts = Object.entries(committed).filter(([key]) => key.startsWith('partner/'));
    expect(partnerCosts.length).toBeGreaterThan(0);
    for (const [key, budget] of partnerCosts) {
      if (budget.cost > DEFAULT_PARTNER_COST.budget) throw new Error(`${key} costs ${budget.cost}: a partner could never run it (PARTNER_COST_BUDGET ${DEFAULT_PARTNER_COST.budget})`);
    }
  });

  it('refuses an operation that has no budget, so a new operation is budgeted when it is added', () => {
    const [fresh] = operationsOf('partner', parse('query Fresh { categories { id } }').definitions);
    expect(checker.check([fresh!], committed)[0]!.problems).toEqual(['no budget in plan-budgets.json']);
  });

  it('counts a list field at the page size the operation asks for', () => {
    const cost = (first: number) =>
      checker.metrics(operationsOf('partner', parse(`query Listing { products(first: ${first}) { edges { node { id name } } } }`).definitions)[0]!).cost;
    expect(cost(50)).toBeGreaterThan(cost(5));
  });
});
