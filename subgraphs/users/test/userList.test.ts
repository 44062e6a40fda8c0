import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { login, openDatabase, registerUser, startUsers, type AuthPayload, type RunningUsers } from './helpers.js';

const ADMIN = { email: 'root@shop.test', password: 'admin-password-1' };

let users: RunningUsers;
let admin: AuthPayload;
/** Every account, newest first, as PostgreSQL orders them: the list must show exactly this. */
let everyone: Array<{ id: string; email: string }>;

const USERS = `query Users($search: String, $role: Role, $first: Int, $after: String) {
  users(search: $search, role: $role, first: $first, after: $after) {
    totalCount
    edges { cursor node { id email name role } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Page {
  totalCount: number;
  edges: Array<{ cursor: string; node: { id: string; email: string; name: string | null; role: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function page(variables: Record<string, unknown>): Promise<Page> {
  return (await graphqlOk<{ users: Page }>(users.url, USERS, variables, { token: admin.accessToken })).users;
}

/** Follows endCursor to the end; every page must report the same totalCount. */
async function all(variables: Record<string, unknown>): Promise<string[]> {
  const emails: string[] = [];
  let after: string | null = null;
  let total: number | undefined;
  for (let pages = 0; pages < 50; pages += 1) {
    const current: Page = await page({ ...variables, after });
    total ??= current.totalCount;
    expect(current.totalCount).toBe(total);
    emails.push(...current.edges.map((edge) => edge.node.email));
    if (!current.pageInfo.hasNextPage) {
      expect(emails).toHaveLength(total);
      return emails;
    }
    after = current.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  users = await startUsers({ admin: ADMIN });
  const postgres = openDatabase(users.databaseUrl);
  try {
    const insert = (email: string, name: string | null, role: 'CUSTOMER' | 'ADMIN', createdAt: string) =>
      sql`INSERT INTO users (email, password_hash, name, role, created_at)
          VALUES (${email}, 'not-a-hash', ${name}, ${role}, ${createdAt}::timestamptz)`.execute(postgres.db);
    await insert('ada@example.com', 'Ada Lovelace', 'CUSTOMER', '2024-01-01T00:00:00Z');
    await insert('grace@navy.example', 'Grace HOPPER', 'CUSTOMER', '2024-01-02T00:00:00Z');
    await insert('percent@example.com', '100% Cotton', 'CUSTOMER', '2024-01-03T00:00:00Z');
    await insert('snake_case@example.com', 'Snake', 'CUSTOMER', '2024-01-04T00:00:00Z');
    await insert('snakexcase@example.com', 'Other snake', 'CUSTOMER', '2024-01-05T00:00:00Z');
    await insert('windows@example.com', 'C:\\Users\\jane', 'CUSTOMER', '2024-01-06T00:00:00Z');
    await insert('ops@example.com', 'Ops', 'ADMIN', '2024-01-07T00:00:00Z');
    // 25 accounts created within one millisecond, three of them in the very same microsecond:
    // paging must neither skip nor repeat any of them.
    for (let i = 0; i < 25; i += 1) {
      const micros = String(i < 3 ? 7 : i).padStart(3, '0');
      await insert(`bulk-${String(i).padStart(2, '0')}@example.com`, null, 'CUSTOMER', `2024-05-05T12:00:00.123${micros}Z`);
    }
    const rows = await postgres.db.selectFrom('users').select(['id', 'email']).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    everyone = rows;
  } finally {
    await postgres.destroy();
  }
  admin = await login(users.url, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await users.stop();
});

describe('Query.users', () => {
  it('pages through every account newest first, each exactly once, with a steady totalCount', async () => {
    expect(everyone).toHaveLength(33);
    expect(await all({ first: 7 })).toEqual(everyone.map((u) => u.email));
    expect(await all({ first: 1, search: 'bulk' })).toEqual(everyone.filter((u) => u.email.startsWith('bulk')).map((u) => u.email));
  });

  it('gives 20 by default and up to 100, and refuses a first outside 0..100 on first', async () => {
    const standard = await page({});
    expect(standard.edges).toHaveLength(20);
    expect(standard.pageInfo).toEqual({ hasNextPage: true, endCursor: standard.edges[19]!.cursor });
    expect(standard.totalCount).toBe(33);

    const big = await page({ first: 100 });
    expect(big.edges.map((e) => e.node.id)).toEqual(everyone.map((u) => u.id));
    expect(big.pageInfo.hasNextPage).toBe(false);

    expect(await page({ first: 0 })).toEqual({ totalCount: 33, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });

    for (const first of [101, -1]) {
      const result = await graphql(users.url, USERS, { first }, { token: admin.accessToken });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.field).toBe('first');
    }
  });

  it('searches email and name as plain text, ignoring case', async () => {
    const cases: Array<[string, string[]]> = [
      ['ADA', ['ada@example.com']],
      ['  ada  ', ['ada@example.com']],
      ['hopper', ['grace@navy.example']],
      ['NAVY.example', ['grace@navy.example']],
      ['%', ['percent@example.com']],
      ['100%', ['percent@example.com']],
      ['_', ['snake_case@example.com']],
      ['snake_case', ['snake_case@example.com']],
      ['\\', ['windows@example.com']],
      ['snake', ['snakexcase@example.com', 'snake_case@example.com']],
      ['nobody-has-this', []],
    ];
    for (const [search, expected] of cases) {
      const result = await page({ search, first: 100 });
      expect({ search, emails: result.edges.map((e) => e.node.email), total: result.totalCount }).toEqual({
        search,
        emails: expected,
        total: expected.length,
      });
    }
    expect((await page({ search: '   ' })).totalCount).toBe(33);
  });

  it('filters by role, also together with a search', async () => {
    const admins = await page({ role: 'ADMIN' });
    expect(admins.edges.map((e) => [e.node.email, e.node.role])).toEqual([
      ['root@shop.test', 'ADMIN'],
      ['ops@example.com', 'ADMIN'],
    ]);
    expect((await page({ role: 'CUSTOMER' })).totalCount).toBe(31);
    expect((await page({ role: 'ADMIN', search: 'OPS' })).edges.map((e) => e.node.email)).toEqual(['ops@example.com']);
    expect((await page({ role: 'CUSTOMER', search: 'ops' })).totalCount).toBe(0);
  });

  it('refuses cursors it did not hand out and over-long searches with BAD_USER_INPUT naming the argument', async () => {
    const id = everyone[0]!.id;
    const cases: Array<[string, Record<string, unknown>]> = [
      ['after', { after: 'garbage!' }],
      ['after', { after: '' }],
      ['after', { after: cursorOf({ id }) }],
      ['after', { after: cursorOf(['order', '2024-01-01T00:00:00.000000Z', id]) }],
      ['after', { after: cursorOf(['user', '2024-02-30T00:00:00.000000Z', id]) }],
      ['after', { after: cursorOf(['user', '2024-01-01T00:00:00.000Z', id]) }],
      ['after', { after: cursorOf(['user', '2024-01-01T00:00:00.000000Z', 'not-a-uuid']) }],
      ['search', { search: 's'.repeat(101) }],
    ];
    for (const [field, variables] of cases) {
      const result = await graphql(users.url, USERS, variables, { token: admin.accessToken });
      expect({ variables, codes: errorCodes(result), field: result.errors?.[0]?.extensions?.field }).toEqual({
        variables,
        codes: ['BAD_USER_INPUT'],
        field,
      });
    }
  });

  it('costs two SQL statements per page, whatever the page size', async () => {
    users.subgraph.sqlStats.reset();
    const result = await graphql(
      users.url,
      '{ users(first: 50) { totalCount edges { node { id email role createdAt preferences { locale } } } } }',
      {},
      { token: admin.accessToken },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.users.edges).toHaveLength(33);
    expect(users.subgraph.sqlStats.queries).toBe(2);
  });

  it('is FORBIDDEN to customers and UNAUTHENTICATED to anonymous callers', async () => {
    const customer = await registerUser(users.url);
    expect(errorCodes(await graphql(users.url, USERS, {}, { token: customer.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(users.url, USERS, {}))).toEqual(['UNAUTHENTICATED']);
  });
});
