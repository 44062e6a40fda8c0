import { randomBytes } from 'node:crypto';

const MAX_SLUG_LENGTH = 80;

/** URL-friendly text: lower-case ASCII letters and digits joined by single hyphens. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-$/, '');
}

/**
 * Slugs to try, in turn, until the store's unique index accepts one: the name's own, the given
 * alternatives (e.g. name plus SKU), numbered ones, then random suffixes. Concurrent creates with
 * the same name race on the index, and the loser simply takes the next candidate.
 */
export function slugCandidates(name: string, fallback: string, alternatives: readonly string[] = []): string[] {
  const base = slugify(name) || fallback;
  const numbered = [2, 3, 4, 5].map((n) => `${base}-${n}`);
  const random = [1, 2, 3].map(() => `${base}-${randomBytes(3).toString('hex')}`);
  return [...new Set([base, ...alternatives.map(slugify).filter((s) => s !== ''), ...numbered, ...random])];
}
