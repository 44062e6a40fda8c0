import { resolve } from 'node:path';
import { ensureDatabase, waitForPostgres } from './database.js';
import { startEmbeddedPostgres } from './embedded.js';
import { freePort } from './ports.js';

export interface ResolvedDatabase {
  url: string;
  /** Stops the embedded server when one was started for this process. */
  release(): Promise<void>;
}

/**
 * The database a PostgreSQL-backed subgraph uses: `DATABASE_URL` when given (the database is
 * created if missing); otherwise, outside production, a persistent embedded PostgreSQL of its
 * own under `.data/standalone/<name>` so `npm run start -w subgraphs/<name>` works alone.
 */
export async function resolveDatabase(options: {
  name: string;
  databaseUrl: string | undefined;
  dataRoot?: string;
  log?: (msg: string) => void;
}): Promise<ResolvedDatabase> {
  if (options.databaseUrl) {
    await waitForPostgres(adminUrl(options.databaseUrl));
    await ensureDatabase(options.databaseUrl);
    return { url: options.databaseUrl, release: async () => undefined };
  }
  const dataRoot = options.dataRoot ?? resolve(process.cwd(), '.data', 'standalone');
  const port = await freePort();
  options.log?.(`DATABASE_URL not set: starting embedded PostgreSQL for ${options.name} in ${dataRoot}`);
  const server = await startEmbeddedPostgres({ dataDir: resolve(dataRoot, options.name), port, persistent: true });
  const url = server.url(`shop_${options.name}`);
  await ensureDatabase(url);
  return { url, release: () => server.stop() };
}

function adminUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}
