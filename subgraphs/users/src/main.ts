import { ConfigError, loadConfigOrExit } from '@shop/config';
import { resolveDatabase, type ResolvedDatabase } from '@shop/postgres';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildUsersConfig } from './config.js';
import { createUsersSubgraph, type UsersSubgraph } from './server.js';

const config = loadConfigOrExit('users', process.env, buildUsersConfig);
const logger = createLogger({ service: 'users', level: config.logLevel });

let database: ResolvedDatabase | undefined;
let subgraph: UsersSubgraph;
try {
  database = await resolveDatabase({ name: 'users', databaseUrl: config.databaseUrl, log: (msg) => logger.info(msg) });
  subgraph = await createUsersSubgraph({ ...config, databaseUrl: database.url }, { logger });
} catch (error) {
  if (error instanceof ConfigError) process.stderr.write(`users: ${error.message}\n`);
  else logger.error('failed to start', { error });
  await database?.release().catch(() => undefined);
  process.exit(1);
}

await serveUntilSignal({ service: subgraph, port: config.port, logger, cleanup: () => database.release() });
