import type { AdminApiError, AdminClient, AdminResult } from './client.js';

/** Exit codes scripts can rely on. */
export const EXIT = { OK: 0, USAGE: 1, API_ERROR: 2, UNAUTHENTICATED: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where the CLI reads and writes; `main` takes it so tests run the CLI in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
}

/** Parses and checks its arguments first (usage errors come before the sign-in check), then runs. */
export type Handler = (args: readonly string[]) => (client: AdminClient, io: CliIo) => Promise<ExitCode>;

/** Prints the rendered data, or every error with its code; picks the exit code from the codes. */
export function report<T>(result: AdminResult<T>, io: CliIo, render: (data: T) => string): ExitCode {
  if (result.ok) {
    const text = render(result.data);
    if (text) io.stdout(`${text}\n`);
    return EXIT.OK;
  }
  for (const error of result.errors) io.stderr(`error: ${describe(error)}\n`);
  if (result.errors.some((error) => error.code === 'UNAUTHENTICATED')) {
    io.stderr('hint: the token is missing or expired: run `shop-admin login` again\n');
    return EXIT.UNAUTHENTICATED;
  }
  return EXIT.API_ERROR;
}

function describe(error: AdminApiError): string {
  return `${error.code}${error.field ? ` (${error.field})` : ''}: ${error.message}`;
}

export function money(value: { amount: string; currencyCode: string }): string {
  return `${value.amount} ${value.currencyCode}`;
}
