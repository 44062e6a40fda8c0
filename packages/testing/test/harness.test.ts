import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, ping } from '@shop/testing';

describe('test harness', () => {
  it('gives each caller its own empty database on a real PostgreSQL', async () => {
    const a = await createTestDatabase('harness');
    const b = await createTestDatabase('harness');
    expect(a).not.toEqual(b);
    const client = new pg.Client({ connectionString: a });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string }>('SELECT version()');
      expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
      const tables = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('runs a real Redis server that answers PING', async () => {
    const url = process.env.SHOP_TEST_REDIS_URL;
    expect(url).toBeDefined();
    expect(await ping(Number(new URL(url!).port))).toBe(true);
  });
});
