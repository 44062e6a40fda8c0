import { describe, expect, it } from '@jest/globals';
import { editDistanceFor, foldText, prefixApplies, tokenize } from '../src/text.js';

describe('tokenize', () => {
  it('splits on everything but letters and digits, folding case and accents', () => {
    expect(tokenize('Café Crème, 2-in-1!')).toEqual(['cafe', 'creme', '2', 'in', '1']);
    expect(tokenize('Brühwerk  T-Shirt')).toEqual(['bruhwerk', 't', 'shirt']);
    expect(foldText('ÉCLAIR')).toBe('eclair');
  });

  it('leaves nothing of query syntax but its words', () => {
    expect(tokenize('name:* OR 1=1')).toEqual(['name', 'or', '1', '1']);
    expect(tokenize('{"$gt": ""}')).toEqual(['gt']);
    expect(tokenize("'; DROP TABLE products; --")).toEqual(['drop', 'table', 'products']);
    expect(tokenize('*?~^()[]{}\\/')).toEqual([]);
  });
});

describe('editDistanceFor and prefixApplies', () => {
  it('allow typos as fuzziness AUTO: none up to 2 characters, 1 up to 5, then 2', () => {
    expect(['a', 'ab', 'abc', 'abcde', 'abcdef', 'abcdefghijkl'].map(editDistanceFor)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('match prefixes of 2 to 20 characters, counting characters rather than UTF-16 units', () => {
    expect(['a', 'ab', 'a'.repeat(20), 'a'.repeat(21)].map(prefixApplies)).toEqual([false, true, true, false]);
    expect(prefixApplies('𝔸')).toBe(false);
  });
});
