import { afterAll, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, openJournal } from '@shop/kv';

// The in-process store kept on disk: what a write acknowledged is there after a restart, and
// after a crash (a second store opened on the files without the first one ever closing).
const dir = mkdtempSync(join(tmpdir(), 'kv-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('persistent in-process key-value store', () => {
  it('finds every acknowledged write after a clean restart, expired keys gone', async () => {
    let clock = Date.parse('2026-12-06T10:00:00Z');
    const path = join(dir, 'clean');
    const first = createMemoryStore({ persistPath: path, now: () => clock });
    await first.set('cart:1', '{"items":[1]}', { ttlSeconds: 7 * 86_400 });
    await first.set('apq:abc', '{ me { id } }');
    await first.set('short', 'x', { ttlSeconds: 60 });
    await first.set('gone', 'y');
    expect(await first.del('gone')).toBe(1);
    await Promise.all(Array.from({ length: 20 }, () => first.incr('hits', { ttlSeconds: 3600 })));
    await first.expire('apq:abc', 86_400);
    await first.close();

    clock += 120_000;
    const second = createMemoryStore({ persistPath: path, now: () => clock });
    expect(await second.getMany(['cart:1', 'apq:abc', 'short', 'gone', 'hits'])).toEqual(['{"items":[1]}', '{ me { id } }', null, null, '20']);
    expect(await second.ttl('cart:1')).toBe(7 * 86_400 - 120);
    expect(await second.ttl('apq:abc')).toBe(86_400 - 120);
    await second.close();
  });

  it('keeps what was acknowledged when the process dies without closing, and drops a torn last line', async () => {
    const path = join(dir, 'crash');
    const dying = createMemoryStore({ persistPath: path });
    await dying.set('carts:guest-1', 'two mugs');
    await dying.set('carts:guest-2', 'one lamp');
    // The process dies mid-append: half a line at the end of the journal, never acknowledged.
    appendFileSync(`${path}.journal`, '{"k":"carts:guest-3","v":"half');
    const restarted = createMemoryStore({ persistPath: path });
    expect(await restarted.getMany(['carts:guest-1', 'carts:guest-2', 'carts:guest-3'])).toEqual(['two mugs', 'one lamp', null]);
    await restarted.set('carts:guest-3', 'whole');
    await restarted.close();
    const again = createMemoryStore({ persistPath: path });
    expect(await again.get('carts:guest-3')).toBe('whole');
    await again.close();
    await dying.close();
  });

  it('stays in memory without a path', async () => {
    const kv = createMemoryStore();
    await kv.set('a', '1');
    await kv.close();
    expect(await createMemoryStore().get('a')).toBeNull();
  });
});

describe('journal', () => {
  it('compacts into a snapshot once the journal grows, losing nothing', async () => {
    const path = join(dir, 'compact');
    const state = new Map<string, number>();
    const open = () =>
      openJournal<[string, number]>({
        path,
        compactBytes: 1024,
        apply: ([key, value]) => void state.set(key, value),
        snapshot: () => state.entries(),
      });
    const journal = open();
    for (let i = 0; i < 500; i += 1) {
      state.set(`key-${i % 50}`, i);
      journal.append([`key-${i % 50}`, i]);
      if (i % 10 === 0) await journal.sync();
    }
    await journal.sync();
    expect(statSync(`${path}.journal`).size).toBeLessThan(2048);
    await journal.close();
    const expected = new Map(state);
    state.clear();
    await open().close();
    expect(state).toEqual(expected);
    expect(readFileSync(`${path}.snapshot`, 'utf8').trim().split('\n')).toHaveLength(50);
  });
});
