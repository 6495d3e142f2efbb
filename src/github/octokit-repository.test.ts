import { describe, expect, it } from 'vitest';
import { batches } from './octokit-repository.ts';

describe('blob batches for the GraphQL query', () => {
  it('holds at most 250 files and about 4 MiB of text per query', () => {
    const small = Array.from({ length: 600 }, (_, i) => ({ path: `f${i}.yaml`, sha: '', size: 1_000 }));
    expect(batches(small).map((b) => b.length)).toEqual([250, 250, 100]);
    const large = Array.from({ length: 10 }, (_, i) => ({ path: `big${i}.yaml`, sha: '', size: 1_000_000 }));
    expect(batches(large).map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches([])).toEqual([]);
  });
});
