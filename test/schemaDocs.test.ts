import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type DefinitionNode } from 'graphql';
import { listSubgraphs } from '../scripts/src/subgraphs.js';

const root = join(new URL('.', import.meta.url).pathname, '..');
// Root operation types are described per subgraph and would clash in the supergraph; entity
// stubs of types owned elsewhere stay undescribed so the owner's description wins.
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);
const STUBS: Record<string, string[]> = {
  inventory: ['Product', 'Product.id'],
  orders: ['Product', 'Product.id', 'User', 'User.id'],
  products: ['User', 'User.id'],
  payments: ['Order', 'Order.id'],
  cart: ['Product', 'Product.id', 'ProductVariant', 'ProductVariant.id', 'ProductVariant.product'],
  search: ['Product', 'Product.id'],
  shipping: ['Order', 'Order.id'],
  notifications: ['User', 'User.id'],
  analytics: ['Product', 'Product.id'],
  users: ['Product', 'Product.id'],
};

describe.each(listSubgraphs(root).map((s) => [s.name, s.schemaPath] as const))('%s schema', (name, schemaPath) => {
  it('documents every type, field, argument-bearing field and enum value with """', () => {
    const document = parse(readFileSync(schemaPath, 'utf8'));
    const undocumented: string[] = [];
    const check = (node: { description?: { value: string } }, where: string) => {
      if (!node.description?.value.trim()) undocumented.push(where);
    };
    for (const definition of document.definitions as DefinitionNode[]) {
      if (definition.kind === Kind.SCHEMA_EXTENSION || !('name' in definition) || !definition.name) continue;
      const type = definition.name.value;
      if (!ROOT_TYPES.has(type)) check(definition as { description?: { value: string } }, type);
      if ('fields' in definition) for (const field of definition.fields ?? []) check(field, `${type}.${field.name.value}`);
      if ('values' in definition) for (const value of definition.values ?? []) check(value, `${type}.${value.name.value}`);
    }
    expect(undocumented).toEqual(STUBS[name] ?? []);
  });
});
