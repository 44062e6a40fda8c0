import { useState } from 'react';

/**
 * The cursors of a forward-only Relay list kept as a stack: `after` is the current page's
 * cursor, `next` pushes the page's `endCursor`, `previous` goes back to the page before, and
 * `reset` returns to the first page (when a filter changes).
 */
export function useCursorPages() {
  const [stack, setStack] = useState<Array<string | null>>([null]);
  return {
    after: stack[stack.length - 1] ?? null,
    hasPrevious: stack.length > 1,
    previous: () => setStack((cursors) => cursors.slice(0, -1)),
    next: (endCursor: string | null | undefined) => setStack((cursors) => [...cursors, endCursor ?? null]),
    reset: () => setStack([null]),
  };
}

/** The dashboard's "Previous / Next" pair under a list; labels differ where the order is by date. */
export function Pager(props: {
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  previousLabel?: string;
  nextLabel?: string;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={!props.hasPrevious} onClick={props.onPrevious} data-testid="page-prev">
        ‹ {props.previousLabel ?? 'Previous'}
      </button>
      <button type="button" disabled={!props.hasNext} onClick={props.onNext} data-testid="page-next">
        {props.nextLabel ?? 'Next'} ›
      </button>
    </nav>
  );
}
