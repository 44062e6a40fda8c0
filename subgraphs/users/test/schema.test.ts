import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Kind, parse, type DefinitionNode } from 'graphql';
import { DateTime } from '../src/scalars.js';

describe('schema.graphql', () => {
  it('documents every type, field and enum value', () => {
    const document = parse(readFileSync(new URL('../src/schema.graphql', import.meta.url), 'utf8'));
    const undocumented: string[] = [];
    const check = (node: { description?: { value: string } }, where: string) => {
      if (!node.description?.value.trim()) undocumented.push(where);
    };
    for (const definition of document.definitions as DefinitionNode[]) {
      if (definition.kind === Kind.SCHEMA_EXTENSION) continue;
      if (!('name' in definition) || !definition.name) continue;
      const type = definition.name.value;
      check(definition as { description?: { value: string } }, type);
      if ('fields' in definition) {
        for (const field of definition.fields ?? []) {
          check(field, `${type}.${field.name.value}`);
        }
      }
      if ('values' in definition) for (const value of definition.values ?? []) check(value, `${type}.${value.name.value}`);
    }
    expect(undocumented).toEqual([]);
  });
});

describe('DateTime', () => {
  it('serialises instants as ISO-8601 in UTC and accepts only ISO-8601 with a time zone', () => {
    expect(DateTime.serialize(new Date(Date.UTC(2025, 0, 31, 9, 30)))).toBe('2025-01-31T09:30:00.000Z');
    expect(DateTime.parseValue('2025-01-31T10:30:00+01:00')).toEqual(new Date(Date.UTC(2025, 0, 31, 9, 30)));
    for (const bad of ['2025-01-31', '2025-01-31T09:30:00', 'yesterday', 1738315800000, '2025-02-30T09:30:00Z']) {
      expect(() => DateTime.parseValue(bad)).toThrow(/ISO-8601/);
    }
  });
});
