import { errorMessage } from '@shop/client-core';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="muted" role="status" data-testid="loading">
      {label}
    </p>
  );
}

export function ErrorNotice({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="error" role="alert" data-testid="error">
      {errorMessage(error)}{' '}
      {retry ? (
        <button type="button" className="link" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Runs a mutation and reports its outcome next to the control that started it. */
export function Outcome({ state }: { state: { ok: boolean; message: string } | null }) {
  if (!state) return null;
  return (
    <p className={state.ok ? 'ok' : 'error'} role={state.ok ? 'status' : 'alert'} data-testid={state.ok ? 'outcome' : 'error'}>
      {state.message}
    </p>
  );
}
