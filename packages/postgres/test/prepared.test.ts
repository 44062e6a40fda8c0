import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { createTestDatabase } from '@shop/testing';
import { createPostgres, prepared, type Postgres } from '../src/index.js';

interface Db {
  items: { id: number; name: string };
}

describe('prepared statements', () => {
  let url: string;
  let store: Postgres<Db>;
  let admin: pg.Client;

  beforeAll(async () => {
    url = await createTestDatabase('prepared');
    // One connection: every statement of a test runs on the same session, until it is replaced.
    store = createPostgres<Db>({ url, maxConnections: 1 });
    await sql`create table items (id integer primary key, name text not null)`.execute(store.db);
    await sql`insert into items select n, 'item ' || n from generate_series(1, 20) as n`.execute(store.db);
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await store?.destroy();
  });

  // Ends the pool's connection, waiting until its backend is gone.
  const dropConnections = () =>
    admin.query(`select pg_terminate_backend(pid, 10000) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  const byId = (db: Kysely<Db>, id: number) => prepared(db.selectFrom('items').select(['id', 'name']).where('id', '=', id).compile());
  const preparedOnSession = async (db: Kysely<Db>) =>
    (await sql<{ name: string; text: string }>`select name, statement as text from pg_prepared_statements`.execute(db)).rows;

  it('answers as the unnamed statement does, on every call, from one statement prepared on the connection', async () => {
    for (let id = 1; id <= 12; id++) {
      const { rows } = await store.db.executeQuery(byId(store.db, id));
      expect(rows).toEqual([{ id, name: `item ${id}` }]);
    }
    const session = await preparedOnSession(store.db);
    expect(session).toHaveLength(1);
    expect(session[0]!.name).toMatch(/^shop_[0-9a-f]{40}$/);
    expect(session[0]!.text).toBe(byId(store.db, 1).sql);
  });

  it('prepares the statement again on a new connection when the old one is gone', async () => {
    await store.db.executeQuery(byId(store.db, 1));
    await dropConnections();
    // The pool learns of the loss on its next checkout or when the statement fails: either way
    // a request may fail once, as any statement does when PostgreSQL drops its connection.
    await store.db.executeQuery(byId(store.db, 2)).catch(() => undefined);
    const { rows } = await store.db.executeQuery(byId(store.db, 3));
    expect(rows).toEqual([{ id: 3, name: 'item 3' }]);
    expect((await preparedOnSession(store.db)).map((statement) => statement.text)).toEqual([byId(store.db, 3).sql]);
  });

  it('keeps answering when a migration changes what a prepared `select *` returns', async () => {
    const all = () => prepared(store.db.selectFrom('items').selectAll().where('id', '=', 4).compile());
    expect((await store.db.executeQuery(all())).rows).toEqual([{ id: 4, name: 'item 4' }]);
    await sql`alter table items add column colour text not null default 'red'`.execute(store.db);
    expect((await store.db.executeQuery(all())).rows).toEqual([{ id: 4, name: 'item 4', colour: 'red' }]);
    expect((await store.db.executeQuery(all())).rows).toEqual([{ id: 4, name: 'item 4', colour: 'red' }]);
    await sql`alter table items drop column colour`.execute(store.db);
  });

  it('inside a transaction, a prepared statement whose columns changed fails the transaction, and the next one succeeds', async () => {
    const all = () => prepared(store.db.selectFrom('items').selectAll().where('id', '<=', 1).compile());
    expect((await store.db.executeQuery(all())).rows).toEqual([{ id: 1, name: 'item 1' }]);
    await sql`alter table items add column size integer not null default 1`.execute(store.db);
    await expect(store.db.transaction().execute((trx) => trx.executeQuery(all()))).rejects.toThrow();
    const { rows } = await store.db.transaction().execute((trx) => trx.executeQuery(all()));
    expect(rows).toEqual([{ id: 1, name: 'item 1', size: 1 }]);
    await sql`alter table items drop column size`.execute(store.db);
  });

  it('leaves texts nobody marked unnamed', async () => {
    await dropConnections();
    await store.db.selectFrom('items').select('id').execute().catch(() => undefined);
    await store.db.selectFrom('items').select('name').where('id', '=', 6).execute();
    expect(await preparedOnSession(store.db)).toEqual([]);
  });
});
