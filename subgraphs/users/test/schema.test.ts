import { describe, expect, it } from '@jest/globals';
import { DateTime } from '../src/scalars.js';

describe('DateTime', () => {
  it('serialises instants as ISO-8601 in UTC and accepts only ISO-8601 with a time zone', () => {
    expect(DateTime.serialize(new Date(Date.UTC(2025, 0, 31, 9, 30)))).toBe('2025-01-31T09:30:00.000Z');
    expect(DateTime.parseValue('2025-01-31T10:30:00+01:00')).toEqual(new Date(Date.UTC(2025, 0, 31, 9, 30)));
    for (const bad of ['2025-01-31', '2025-01-31T09:30:00', 'yesterday', 1738315800000, '2025-02-30T09:30:00Z']) {
      expect(() => DateTime.parseValue(bad)).toThrow(/ISO-8601/);
    }
  });
});
