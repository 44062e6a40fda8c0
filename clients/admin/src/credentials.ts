import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

/** What `login` keeps between runs. */
export interface StoredCredentials {
  url: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** The stored credentials, or null when there are none (never logged in, or an unreadable file). */
export function readCredentials(path: string): StoredCredentials | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as Partial<StoredCredentials>;
    return typeof value.accessToken === 'string' ? (value as StoredCredentials) : null;
  } catch {
    return null;
  }
}

/** Written readable by the owner only: the file holds a refresh token. */
export function writeCredentials(path: string, credentials: StoredCredentials): void {
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
