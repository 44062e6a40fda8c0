import { afterEach, describe, expect, it } from '@jest/globals';
import { createEvent, createMemoryBus, type EventBus } from '@shop/events';
import { randomUUID } from 'node:crypto';
import { createMemoryStore, createRedisStore, type KeyValueStore } from '@shop/kv';
import { createLogger } from '@shop/subgraph-kit';
import { cutSubscriberConnection, eventually } from '@shop/testing';
import { createCallerVerifier } from '../src/index.js';
import { startDenyList, startRevocations, type Revocations } from '../src/revocations.js';
import { keySet, manualClock, tokenFor } from './fixtures.js';

// The router's deny-list of deleted accounts: fed by `user.deleted`, shared by replicas through
// their store, and checked even for tokens a replica had already verified and cached.
const logger = createLogger({ service: 'router', level: 'silent' });
const open: Array<{ stop(): Promise<void> } | { close(): Promise<void> }> = [];
const track = <T extends { stop(): Promise<void> } | { close(): Promise<void> }>(resource: T): T => {
  open.push(resource);
  return resource;
};
const deleted = (userId: string) => createEvent('users', 'user.deleted', userId, { userId, deletedAt: new Date().toISOString() });

afterEach(async () => {
  for (const resource of open.splice(0).reverse()) await ('stop' in resource ? resource.stop() : resource.close());
});

async function replica(kv: KeyValueStore, bus: EventBus): Promise<{ revocations: Revocations; verify: (token: string) => ReturnType<ReturnType<typeof createCallerVerifier>['verify']> }> {
  const revocations = track(await startRevocations({ kv, bus, logger }));
  const verifier = createCallerVerifier(keySet, { revocations: Promise.resolve(revocations) });
  return { revocations, verify: (token) => verifier.verify(`Bearer ${token}`) };
}

describe('deny-list of deleted accounts', () => {
  it("refuses a deleted account's tokens on every replica, including tokens verified before", async () => {
    const kv = track(createMemoryStore());
    const bus = track(createMemoryBus());
    const [one, two] = [await replica(kv, bus), await replica(kv, bus)];
    const token = await tokenFor('gone-user', 'CUSTOMER');
    const other = await tokenFor('staying-user', 'CUSTOMER');
    expect((await one.verify(token)).caller?.userId).toBe('gone-user');
    expect((await two.verify(token)).caller?.userId).toBe('gone-user');

    await bus.publish([deleted('gone-user')]);
    for (const r of [one, two]) {
      const refused = await eventually(() => r.verify(token), (v) => v.caller === null);
      expect(refused).toMatchObject({ caller: null, error: { code: 'UNAUTHENTICATED', message: 'This account no longer exists' } });
    }
    expect((await one.verify(other)).caller?.userId).toBe('staying-user');
  });

  it('asks the shared store about an account it heard nothing of (a replica started after the deletion)', async () => {
    const kv = track(createMemoryStore());
    const bus = track(createMemoryBus());
    const first = await replica(kv, bus);
    await bus.publish([deleted('gone-user')]);
    await eventually(async () => first.revocations.revokedHere('gone-user'), (known) => known);

    const late = await replica(kv, track(createMemoryBus()));
    expect(late.revocations.revokedHere('gone-user')).toBe(false);
    expect(await late.revocations.isRevoked('gone-user')).toBe(true);
    expect((await late.verify(await tokenFor('gone-user', 'CUSTOMER'))).error?.code).toBe('UNAUTHENTICATED');
  });

  it('asks again about tokens it verified before, once its announcements resume after a lost Redis connection', async () => {
    // The announcement of a deletion made while this replica's subscription was down is gone:
    // another replica wrote the deny-list entry and published, and nobody here heard it.
    const connectionName = `revocations-${randomUUID().slice(0, 8)}`;
    const kv = track(createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: `revocations-test:${randomUUID()}:`, connectionName }));
    const here = await replica(kv, track(createMemoryBus()));
    const token = await tokenFor('gone-user', 'CUSTOMER');
    expect((await here.verify(token)).caller?.userId).toBe('gone-user');
    await kv.set('revoked-user:gone-user', '1', { ttlSeconds: 60 });
    // Cut this replica's subscription; it comes back by itself, and then knows it may have missed some.
    await cutSubscriberConnection(process.env.SHOP_TEST_REDIS_URL!, connectionName);
    const refused = await eventually(() => here.verify(token), (v) => v.caller === null);
    expect(refused).toMatchObject({ caller: null, error: { code: 'UNAUTHENTICATED', message: 'This account no longer exists' } });
    expect((await here.verify(await tokenFor('staying-user', 'CUSTOMER'))).caller?.userId).toBe('staying-user');
  });
  it('starts late when the store cannot be reached at first: meanwhile it asks the store, then verifies again', async () => {
    // Redis not reachable when the router starts (a rollout that starts it first): subscribing fails.
    const memory = track(createMemoryStore());
    let reachable = false;
    const kv: KeyValueStore = {
      ...memory,
      subscribe: (...args) => (reachable ? memory.subscribe(...args) : Promise.reject(new Error('connect ECONNREFUSED'))),
    };
    const bus = track(createMemoryBus());
    const clock = manualClock();
    const denyList = track(await startDenyList({ kv, bus, logger, clock })!);
    const verifier = createCallerVerifier(keySet, { revocations: Promise.resolve(denyList) });
    const verify = async (userId: string) => (await verifier.verify(`Bearer ${await tokenFor(userId, 'CUSTOMER')}`)).caller?.userId ?? null;

    // An account another replica recorded as deleted is refused all the same.
    await memory.set('revoked-user:gone-before', '1', { ttlSeconds: 60 });
    expect(await verify('gone-before')).toBeNull();
    const token = await tokenFor('gone-meanwhile', 'CUSTOMER');
    expect((await verifier.verify(`Bearer ${token}`)).caller?.userId).toBe('gone-meanwhile');
    // Deleted while this replica heard nothing: its verified token stays cached...
    await memory.set('revoked-user:gone-meanwhile', '1', { ttlSeconds: 60 });
    expect((await verifier.verify(`Bearer ${token}`)).caller?.userId).toBe('gone-meanwhile');

    // ...until the deny-list starts on the next attempt, and every token is verified again.
    reachable = true;
    clock.advance(1000);
    const refused = await eventually(() => verifier.verify(`Bearer ${token}`), (v) => v.caller === null);
    expect(refused.error?.message).toBe('This account no longer exists');
    // From then on it hears of deletions as they happen.
    const later = await tokenFor('gone-later', 'CUSTOMER');
    expect((await verifier.verify(`Bearer ${later}`)).caller?.userId).toBe('gone-later');
    await bus.publish([deleted('gone-later')]);
    expect((await eventually(() => verifier.verify(`Bearer ${later}`), (v) => v.caller === null)).caller).toBeNull();
    expect(await verify('staying-user')).toBe('staying-user');
  });
});
