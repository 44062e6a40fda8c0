import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ConfigError } from '@shop/config';
import { createTestDatabase, errorCodes, graphql, graphqlOk } from '@shop/testing';
import { GOOD_PASSWORD, LOGIN, ME, REFRESH, login, registerUser, startUsers } from './helpers.js';

describe('ADMIN account from ADMIN_EMAIL and ADMIN_PASSWORD', () => {
  it('exists after start and follows a changed password on restart, signing out old sessions', async () => {
    const databaseUrl = await createTestDatabase('users_admin');
    const first = await startUsers({ databaseUrl, admin: { email: ' Admin@Shop.test ', password: 'first-admin-pass' } });
    let oldSession;
    try {
      oldSession = await login(first.url, 'admin@shop.test', 'first-admin-pass');
      expect(oldSession.user.role).toBe('ADMIN');
      expect((await first.verifier.verify(oldSession.accessToken)).role).toBe('ADMIN');
      expect((await graphqlOk(first.url, ME, {}, { token: oldSession.accessToken })).me.role).toBe('ADMIN');
    } finally {
      await first.stop();
    }

    const second = await startUsers({ databaseUrl, admin: { email: 'admin@shop.test', password: 'second-admin-pass' } });
    try {
      const fresh = await login(second.url, 'admin@shop.test', 'second-admin-pass');
      expect(fresh.user).toMatchObject({ id: oldSession.user.id, role: 'ADMIN' });
      const oldPassword = await graphql(second.url, LOGIN, { email: 'admin@shop.test', password: 'first-admin-pass' });
      expect(errorCodes(oldPassword)).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await graphql(second.url, REFRESH, { token: oldSession.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    } finally {
      await second.stop();
    }
  });

  it('keeps sessions when restarted with the same credentials', async () => {
    const databaseUrl = await createTestDatabase('users_admin');
    const admin = { email: 'boss@shop.test', password: 'steady-admin-pass' };
    const first = await startUsers({ databaseUrl, admin });
    let session;
    try {
      session = await login(first.url, admin.email, admin.password);
    } finally {
      await first.stop();
    }
    const second = await startUsers({ databaseUrl, admin });
    try {
      const refreshed = await graphql(second.url, REFRESH, { token: session.refreshToken });
      expect(refreshed.errors).toBeUndefined();
      expect(refreshed.data.refreshToken.user.role).toBe('ADMIN');
    } finally {
      await second.stop();
    }
  });

  it('promotes an existing customer account with that email and sets its password', async () => {
    const databaseUrl = await createTestDatabase('users_admin');
    const plain = await startUsers({ databaseUrl });
    let customer;
    try {
      customer = await registerUser(plain.url, { email: 'promoted@shop.test' });
      expect(customer.user.role).toBe('CUSTOMER');
    } finally {
      await plain.stop();
    }
    const withAdmin = await startUsers({ databaseUrl, admin: { email: 'promoted@shop.test', password: 'now-an-admin-pass' } });
    try {
      const session = await login(withAdmin.url, 'promoted@shop.test', 'now-an-admin-pass');
      expect(session.user).toMatchObject({ id: customer.user.id, role: 'ADMIN' });
      expect(errorCodes(await graphql(withAdmin.url, LOGIN, { email: 'promoted@shop.test', password: GOOD_PASSWORD }))).toEqual([
        'UNAUTHENTICATED',
      ]);
    } finally {
      await withAdmin.stop();
    }
  });

  it('refuses to start with an invalid admin email or a weak admin password, naming both', async () => {
    const databaseUrl = await createTestDatabase('users_admin');
    const start = startUsers({ databaseUrl, admin: { email: 'admin-at-shop', password: '12345678' } });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toMatchObject({
      problems: [expect.stringMatching(/^ADMIN_EMAIL .*not a valid email/), expect.stringMatching(/^ADMIN_PASSWORD .*digits/)],
    });
  });
});

describe('health', () => {
  it('answers 200 while the database answers', async () => {
    const users = await startUsers();
    try {
      const response = await fetch(users.url.replace(/\/graphql$/, '/health'));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', service: 'users' });
    } finally {
      await users.stop();
    }
  });

  it('answers 503 once the database is gone', async () => {
    const users = await startUsers();
    try {
      const database = new URL(users.databaseUrl);
      const server = new URL(users.databaseUrl);
      server.pathname = '/postgres';
      const client = new pg.Client({ connectionString: server.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE "${database.pathname.slice(1)}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
      const response = await fetch(users.url.replace(/\/graphql$/, '/health'));
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unavailable', service: 'users' });
    } finally {
      await users.stop();
    }
  });
});
