import type { ReactNode } from 'react';
import { errorMessage } from '@shop/client-core';

/** Loading, error and empty states, the same everywhere (announced to screen readers). */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state loading" role="status" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function ErrorNotice({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="state error" role="alert" data-testid="error">
      <p>{errorMessage(error)}</p>
      {retry ? (
        <button type="button" onClick={retry} data-testid="retry">
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ children, testid = 'empty' }: { children: ReactNode; testid?: string }) {
  return (
    <div className="state empty" data-testid={testid}>
      {children}
    </div>
  );
}
