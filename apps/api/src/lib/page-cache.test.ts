import { describe, expect, it } from 'vitest';
import { PageStore, SnapshotClock } from './page-cache.js';

/** A snapshot source whose reads the test answers one by one. */
function manualSource() {
  const pending: ((value: string) => void)[] = [];
  const failures: ((err: Error) => void)[] = [];
  let reads = 0;
  return {
    read: () => {
      reads += 1;
      return new Promise<string>((resolve, reject) => {
        pending.push(resolve);
        failures.push(reject);
      });
    },
    get reads() {
      return reads;
    },
    answer(value: string) {
      failures.shift();
      pending.shift()!(value);
    },
    fail(err: Error) {
      pending.shift();
      failures.shift()!(err);
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SnapshotClock', () => {
  it('gives the callers that asked before a read was sent that read, and the later ones the next read', async () => {
    const source = manualSource();
    const clock = new SnapshotClock(source.read);
    const first = clock.current();
    expect(source.reads).toBe(1);
    // These arrive while the first read is under way: they may have seen a commit that
    // read missed, so they wait for the next one, which they share.
    const second = clock.current();
    const third = clock.current();
    expect(source.reads).toBe(1);
    source.answer('s1');
    expect(await first).toBe('s1');
    await tick();
    expect(source.reads).toBe(2);
    source.answer('s2');
    expect(await second).toBe('s2');
    expect(await third).toBe('s2');
    // Nothing under way: the next caller starts a read at once.
    const fourth = clock.current();
    expect(source.reads).toBe(3);
    source.answer('s3');
    expect(await fourth).toBe('s3');
  });

  it('passes a failed read to its callers and goes on with the next', async () => {
    const source = manualSource();
    const clock = new SnapshotClock(source.read);
    const first = clock.current();
    const second = clock.current();
    source.fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    source.answer('s2');
    expect(await second).toBe('s2');
    const third = clock.current();
    source.answer('s3');
    expect(await third).toBe('s3');
  });
});

describe('PageStore', () => {
  it('serves a page only at the snapshot it was rendered at', () => {
    const store = new PageStore({ maxBytes: 1 << 20, maxAgeMs: 60_000 });
    expect(store.lookup('a', '10:12:')).toBeUndefined();
    store.store('a', '10:12:', '{"items":[]}');
    expect(store.lookup('a', '10:12:')?.toString()).toBe('{"items":[]}');
    expect(store.lookup('b', '10:12:')).toBeUndefined();
    // A newer snapshot: every page is dropped, for good.
    expect(store.lookup('a', '10:13:')).toBeUndefined();
    expect(store.count).toBe(0);
    expect(store.lookup('a', '10:12:')).toBeUndefined();
  });

  it('refuses a page rendered at a snapshot that is no longer the latest seen', () => {
    const store = new PageStore({ maxBytes: 1 << 20, maxAgeMs: 60_000 });
    store.lookup('a', '10:12:');
    store.lookup('b', '10:13:');
    store.store('a', '10:12:', 'old');
    expect(store.count).toBe(0);
    store.store('b', '10:13:', 'new');
    expect(store.lookup('b', '10:13:')?.toString()).toBe('new');
  });

  it('forgets a page older than its age limit', () => {
    let now = 1_000;
    const store = new PageStore({ maxBytes: 1 << 20, maxAgeMs: 5_000, now: () => now });
    store.lookup('a', 's');
    store.store('a', 's', 'page');
    now += 5_000;
    expect(store.lookup('a', 's')?.toString()).toBe('page');
    now += 1;
    expect(store.lookup('a', 's')).toBeUndefined();
    expect(store.bytes).toBe(0);
  });

  it('stays within its size, dropping the least recently used pages first', () => {
    // Counted in UTF-8 bytes: 100 characters of two bytes each take 200.
    const store = new PageStore({ maxBytes: 500, maxAgeMs: 60_000 });
    const page = (c: string) => c.repeat(100);
    store.lookup('a', 's');
    store.store('a', 's', page('é'));
    store.store('b', 's', page('è'));
    expect(store.lookup('a', 's')?.toString()).toBe(page('é')); // a is now the most recent
    store.store('c', 's', page('à'));
    expect(store.bytes).toBe(400);
    expect(store.lookup('b', 's')).toBeUndefined();
    expect(store.lookup('a', 's')?.toString()).toBe(page('é'));
    expect(store.lookup('c', 's')?.toString()).toBe(page('à'));
    // Replacing a page counts its new size only; a page larger than the whole store is not kept.
    store.store('c', 's', 'c');
    expect(store.bytes).toBe(201);
    store.store('huge', 's', 'x'.repeat(501));
    expect(store.lookup('huge', 's')).toBeUndefined();
    expect(store.bytes).toBe(201);
  });
});
