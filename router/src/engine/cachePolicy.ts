const CACHEABLE = /^\s*max-age=(\d+)\s*,\s*(public|private)\s*$/i;

/** Whether a subgraph's `cache-control` says any caller may be given this answer (`public`, max-age > 0). */
export function answersEveryone(header: string | undefined): boolean {
  return publicMaxAge(header) !== null;
}

/** The max-age (seconds, > 0) of an answer whose `cache-control` says any caller may be given it; null otherwise. */
export function publicMaxAge(header: string | undefined): number | null {
  const hint = cacheHint(header);
  return hint?.isPublic ? hint.maxAge : null;
}

/**
 * What a subgraph's `cache-control` lets a cache do with its answer: keep it `maxAge` seconds
 * (> 0), for any caller (`public`) or only for the one it was for (`private`); null otherwise
 * (no header, `no-store`, max-age 0).
 */
export function cacheHint(header: string | undefined): { maxAge: number; isPublic: boolean } | null {
  const match = header === undefined ? null : CACHEABLE.exec(header);
  const maxAge = match ? Number(match[1]) : 0;
  return maxAge > 0 ? { maxAge, isPublic: match![2]!.toLowerCase() === 'public' } : null;
}

/**
 * The response's cache policy, from the `cache-control` headers subgraphs compute out of their
 * `@cacheControl` hints (Apollo Server's format: `max-age=60, public`). The strictest wins: the
 * smallest max-age, and `private` as soon as one part is user-specific. A fetch without a
 * cacheable header (no hint, `no-store`) makes the whole response uncacheable, like errors and
 * mutations do.
 */
export class CachePolicy {
  private maxAge = Number.POSITIVE_INFINITY;
  private isPrivate = false;
  private cacheable = true;
  private fetched = false;

  restrict(header: string | undefined): void {
    this.fetched = true;
    const match = header === undefined ? null : CACHEABLE.exec(header);
    if (!match) {
      this.cacheable = false;
      return;
    }
    this.maxAge = Math.min(this.maxAge, Number(match[1]));
    if (match[2]!.toLowerCase() === 'private') this.isPrivate = true;
  }

  /** Also what Apollo Server's cache-control plugin reads, so both paths answer alike. */
  policy(): { maxAge: number; scope: 'PUBLIC' | 'PRIVATE' } | null {
    if (!this.fetched || !this.cacheable || this.maxAge <= 0 || !Number.isFinite(this.maxAge)) return null;
    return { maxAge: this.maxAge, scope: this.isPrivate ? 'PRIVATE' : 'PUBLIC' };
  }

  header(options: { errors: boolean; mutation: boolean }): string {
    const policy = this.policy();
    if (!policy || options.errors || options.mutation) return 'no-store';
    return `max-age=${policy.maxAge}, ${policy.scope.toLowerCase()}`;
  }
}
