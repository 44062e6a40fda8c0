import { errorMessage } from '@shop/client-core';
import { useState } from 'react';

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
export function Outcome({ state }: { state: OutcomeState }) {
  if (!state) return null;
  return (
    <p className={state.ok ? 'ok' : 'error'} role={state.ok ? 'status' : 'alert'} data-testid={state.ok ? 'outcome' : 'error'}>
      {state.message}
    </p>
  );
}

export type OutcomeState = { ok: boolean; message: string } | null;

/** An action's outcome for `<Outcome>`: the success text, or the error in words; `busy` while it runs. */
export function useRun(): { outcome: OutcomeState; busy: boolean; run(action: () => Promise<unknown>, done: string): Promise<void> } {
  const [outcome, setOutcome] = useState<OutcomeState>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setOutcome(null);
    try {
      await action();
      setOutcome({ ok: true, message: done });
    } catch (e) {
      setOutcome({ ok: false, message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return { outcome, busy, run };
}
