import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { DateTime } from '@shop/subgraph-kit';

describe('DateTime', () => {
  it('serialises instants as ISO-8601 in UTC and accepts only ISO-8601 with a time zone', () => {
    expect(DateTime.serialize(new Date(Date.UTC(2025, 0, 31, 9, 30)))).toBe('2025-01-31T09:30:00.000Z');
    expect(DateTime.serialize('2025-01-31T10:30:00+01:00')).toBe('2025-01-31T09:30:00.000Z');
    expect(DateTime.parseValue('2025-01-31T10:30:00+01:00')).toEqual(new Date(Date.UTC(2025, 0, 31, 9, 30)));
  });

  it.each(['2025-01-31', '2025-01-31T09:30:00', 'yesterday', 1738315800000, '2025-02-30T09:30:00Z'])('refuses %p as BAD_USER_INPUT', (bad) => {
    const error = (() => {
      try {
        DateTime.parseValue(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    expect((error as GraphQLError).message).toMatch(/ISO-8601/);
  });
});
