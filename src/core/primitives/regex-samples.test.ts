import { describe, expect, it } from 'vitest';
import { fullMatch, isValidRe2, samplePaths } from './regex-samples.ts';

interface Case {
  readonly regex: string;
  readonly matches: readonly string[];
  readonly misses: readonly string[];
}

const CASES: readonly Case[] = [
  { regex: '/users', matches: ['/users'], misses: ['/users/42', '/users/', '/usersx', '/user'] },
  { regex: '/api/.*', matches: ['/api/', '/api/a'], misses: ['/api', '/apix'] },
  { regex: '/URLCaller/depth/.+', matches: ['/URLCaller/depth/a'], misses: ['/URLCaller/depth/', '/URLCaller/depth'] },
  { regex: '.*a-book.*new', matches: ['/a-booknew'], misses: ['/a-booknew/', '/a-booknewx'] },
  { regex: '/(foo|bar)/[0-9]+', matches: ['/foo/0', '/bar/0'], misses: ['/foo/', '/foo/x', '/foo/0/'] },
  { regex: '/a|/ab', matches: ['/a', '/ab'], misses: ['/a/', '/abx'] },
  { regex: '.*', matches: ['/', '/a'], misses: [] },
  { regex: '([', matches: [], misses: ['/'] },
  { regex: '/books?', matches: ['/book', '/books'], misses: ['/bookss', '/boo'] },
  { regex: '^/api/v[12]/(?P<id>[^/]+)$', matches: ['/api/v1/a'], misses: ['/api/v1/', '/api/v1/a/'] },
  { regex: '/x{2,3}', matches: ['/xx', '/xxx'], misses: ['/x', '/xxxx'] },
  { regex: '(?:/a)+', matches: ['/a', '/a/a'], misses: ['/a/'] },
  { regex: '\\/static\\/[\\w.-]+\\.css', matches: ['/static/a.css'], misses: ['/static/.css', '/static/a.cssx'] },
  { regex: '(?i)/users', matches: ['/users'], misses: ['/users/'] },
];

describe('samplePaths', () => {
  it.each(CASES)('$regex: samples are truthful, bounded and rooted', ({ regex, matches, misses }) => {
    const { matching, nearMisses } = samplePaths(regex);
    expect(matching.every((p) => fullMatch(regex, p))).toBe(true);
    expect(nearMisses.some((p) => fullMatch(regex, p))).toBe(false);
    expect(matching.length).toBeLessThanOrEqual(12);
    expect(nearMisses.length).toBeLessThanOrEqual(12);
    for (const p of [...matching, ...nearMisses]) expect(p.startsWith('/')).toBe(true);
    for (const m of matches) expect(matching).toContain(m);
    for (const m of misses) expect(nearMisses).toContain(m);
  });

  it('puts the shortest example first', () => {
    expect(samplePaths('/users').matching[0]).toBe('/users');
    expect(samplePaths('/api/.*').matching[0]).toBe('/api/');
  });

  it('is deterministic', () => {
    expect(samplePaths('/(foo|bar)/[0-9]+')).toEqual(samplePaths('/(foo|bar)/[0-9]+'));
  });

  it('uses a character other than / for . first, then /', () => {
    const { matching } = samplePaths('/a/.');
    expect(matching).toEqual(['/a/a', '/a//']);
  });

  it('gives the empty branch of a required repetition as a near miss', () => {
    expect(samplePaths('/id/[0-9]+').nearMisses).toContain('/id/');
  });

  it('falls back to the literal prefix for syntax it does not generate from', () => {
    const { matching, nearMisses } = samplePaths('/users/\\pL+');
    expect(matching).toEqual([]);
    expect(nearMisses).toContain('/users/');
    expect(nearMisses.some((p) => fullMatch('/users/\\pL+', p))).toBe(false);
  });

  it('keeps samples that cannot start with /', () => {
    expect(samplePaths('abc').matching).toEqual(['abc']);
  });
});

describe('fullMatch and isValidRe2', () => {
  it('is an RE2 full match', () => {
    expect(fullMatch('/users', '/users')).toBe(true);
    expect(fullMatch('/users', '/users/42')).toBe(false);
    expect(fullMatch('/a|/ab', '/ab')).toBe(true);
  });

  it('rejects what RE2 rejects', () => {
    expect(isValidRe2('([')).toBe(false);
    expect(isValidRe2('(?=a)')).toBe(false);
    expect(isValidRe2('a**')).toBe(false);
    expect(isValidRe2('/api/.*')).toBe(true);
    expect(fullMatch('([', '([')).toBe(false);
  });
});
