import { describe, expect, it } from 'vitest';
import { appendBounded, ConcurrencyLimit, DeliveryLog, LruCache, RepositoryQueue } from './queue.ts';

describe('RepositoryQueue', () => {
  it('never overlaps work for one repository, and runs different repositories side by side', async () => {
    const errors: unknown[] = [];
    const queue = new RepositoryQueue((_key, error) => errors.push(error));
    const events: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    void queue.run('a', async () => { events.push('a1 start'); await gate; events.push('a1 end'); });
    void queue.run('a', async () => { events.push('a2'); });
    void queue.run('b', async () => { events.push('b1'); });
    await Promise.resolve();
    await Promise.resolve();
    expect(events).toEqual(['a1 start', 'b1']);
    release();
    await queue.idle();
    expect(events).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    expect(errors).toEqual([]);
  });

  it('coalesces scans that wait behind a running one, and keeps going after an error', async () => {
    const errors: unknown[] = [];
    const queue = new RepositoryQueue((_key, error) => errors.push(error));
    let runs = 0;
    void queue.run('r', () => Promise.reject(new Error('boom')));
    const scans = Array.from({ length: 5 }, () => queue.scan('r', async () => { runs++; }));
    await Promise.all(scans);
    await queue.idle();
    expect(runs).toBe(1);
    expect(errors).toHaveLength(1);
  });
});

describe('DeliveryLog', () => {
  it('says true once per delivery id and forgets the oldest beyond its capacity', () => {
    const log = new DeliveryLog(2);
    expect([log.firstTime('x'), log.firstTime('x'), log.firstTime('y'), log.firstTime('z'), log.firstTime('x')]).toEqual([true, false, true, true, true]);
  });
});

describe('ConcurrencyLimit', () => {
  it('runs at most max tasks per key at once, and every task in the end', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return 1;
    };
    const results = await Promise.all([...Array.from({ length: 6 }, () => limit.run('org', task)), limit.run('other', task)]);
    expect(results).toHaveLength(7);
    expect(limit.highWater).toBe(2);
    expect(most).toBe(3); // two for "org" and one for "other"
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry and forgets by prefix', () => {
    const cache = new LruCache<number>(2);
    cache.set('a/x', 1);
    cache.set('a/y', 2);
    cache.get('a/x');
    cache.set('b/z', 3);
    expect([cache.get('a/x'), cache.get('a/y'), cache.get('b/z')]).toEqual([1, undefined, 3]);
    cache.forget('a/');
    expect(cache.get('a/x')).toBeUndefined();
    expect(cache.get('b/z')).toBe(3);
  });
});

describe('appendBounded', () => {
  it('keeps the last entries up to the limit, newest last', () => {
    const log: number[] = [];
    for (let i = 1; i <= 5; i += 1) appendBounded(log, i, 3);
    expect(log).toEqual([3, 4, 5]);
  });
});
