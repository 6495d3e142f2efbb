import { describe, expect, it } from 'vitest';
import { resourceName } from './names.ts';

describe('resourceName', () => {
  it('keeps readable names readable', () => {
    expect(resourceName('bookstore-v1', 'http')).toBe('bookstore-v1-http');
    expect(resourceName('bookstore', 14001)).toBe('bookstore-14001');
  });

  it('makes DNS labels of anything, with a hash so different inputs never collide', () => {
    const a = resourceName('Book_Store', 'routes');
    const b = resourceName('book-store', 'routes');
    expect(a).toMatch(/^[a-z0-9-]+$/);
    expect(a).not.toBe(b);
    const long = resourceName('x'.repeat(80), 'y');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).not.toBe(resourceName('x'.repeat(81), 'y'));
  });
});
