import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ERROR_CODES, ERROR_REASONS, isErrorCode, isErrorReason } from '@shop/errors';
import { renderErrorsDoc } from '../scripts/src/errorsDoc.js';

// The error registry is the one place codes and reasons are defined: the docs are written from
// it, and no server code sends a code or reason it does not hold.
const root = join(new URL('.', import.meta.url).pathname, '..');
const SERVER_SOURCES = ['packages', 'subgraphs', 'router', 'scripts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (['node_modules', 'dist', 'test', 'generated'].includes(name)) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every code or reason written as a literal where an error is made: `code: 'X'`, `reason: 'X'`, `AppError('X'`, `withCode(e, 'X')`. */
function emitted(pattern: RegExp): Array<{ value: string; at: string }> {
  return SERVER_SOURCES.flatMap((top) => sourceFiles(join(root, top))).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(pattern)].map((match) => ({ value: match[1]!, at: relative(root, file) })),
  );
}

describe('error registry', () => {
  it('docs/errors.md is what `npm run errors:doc` writes from the registry', () => {
    expect(readFileSync(join(root, 'docs', 'errors.md'), 'utf8')).toBe(renderErrorsDoc());
  });

  it('lists every code and reason once, each with what it means', () => {
    for (const meaning of Object.values(ERROR_CODES)) expect(meaning.length).toBeGreaterThan(20);
    for (const { code, description } of Object.values(ERROR_REASONS)) {
      expect(isErrorCode(code)).toBe(true);
      expect(description.length).toBeGreaterThan(20);
    }
  });

  it('holds every extensions.code the servers emit', () => {
    const codes = emitted(/(?:\bcode\s*:\s*|AppError\(\s*|withCode\([^,()]+,\s*)'([A-Z][A-Z_]+)'/g);
    // The scan finds the codes it must: Apollo's parse failure, sent by the WebSocket endpoints.
    expect(codes.map((c) => c.value)).toContain('GRAPHQL_PARSE_FAILED');
    expect(codes.filter((c) => !isErrorCode(c.value))).toEqual([]);
  });

  it('holds every extensions.reason the servers emit', () => {
    const reasons = emitted(/\breason\s*:\s*'([A-Z][A-Z_]+)'/g);
    expect(reasons.map((r) => r.value)).toContain('OUT_OF_STOCK');
    expect(reasons.filter((r) => !isErrorReason(r.value))).toEqual([]);
  });
});
