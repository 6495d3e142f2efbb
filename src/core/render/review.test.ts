import { describe, expect, it } from 'vitest';
import { type Finding } from '../findings/finding.ts';
import { finding } from '../rules/unhandled-findings.ts';
import type { FileChange } from '../plan/types.ts';
import { fileDiff } from './diff.ts';
import { parsePatch, unchangedLineMap } from './patch-lines.ts';
import { placeFindings } from './review.ts';

const before = 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\nj: 10\n';
const after = 'a: 1\nb: 2\nc: 33\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\nj: 10\nk: 11\n';
const modified: FileChange = { path: 'm.yaml', action: 'modify', previous: before, content: after };
const deleted: FileChange = { path: 'd.yaml', action: 'delete', previous: 'x: 1\ny: 2\n', content: '' };
const patches = new Map([modified, deleted].map((c) => [c.path, fileDiff(c)]));

function at(file: string, line: number, suggestion?: string): Finding {
  return finding('unhandled/osm-annotation', { file, line }, {
    message: `finding at ${file}:${line}`,
    ...(suggestion ? { suggestion: { file, line, replacement: suggestion } } : {}),
  });
}

describe('parsePatch', () => {
  it('knows added, removed and one-for-one replaced lines', () => {
    const lines = parsePatch(patches.get('m.yaml') ?? '');
    expect([...lines.removed]).toEqual([3, 9]);
    expect([...lines.added]).toEqual([3, 10]);
    expect([...lines.replacedBy]).toEqual([[3, 3]]);
  });
});

describe('unchangedLineMap', () => {
  it('maps untouched lines through insertions and deletions', () => {
    const map = unchangedLineMap(before, after);
    expect(map.get(1)).toBe(1);
    expect(map.get(3)).toBeUndefined();
    expect(map.get(10)).toBe(9);
  });
});

describe('placeFindings', () => {
  it('puts a finding on a replaced line on the RIGHT (with its suggestion), on a removed line LEFT, elsewhere in annotations', () => {
    const placed = placeFindings([at('m.yaml', 3, 'c: 42'), at('m.yaml', 9), at('m.yaml', 10), at('d.yaml', 2), at('other.yaml', 7), at('', 0)], [modified, deleted], patches);
    expect(placed.comments.map((c) => [c.path, c.line, c.side])).toEqual([['m.yaml', 3, 'RIGHT'], ['m.yaml', 9, 'LEFT'], ['d.yaml', 2, 'LEFT']]);
    expect(placed.comments[0]?.body).toContain('```suggestion\nc: 42\n```');
    expect(placed.comments[0]?.body).toMatch(/<!-- osm2linkerd:finding=unhandled\/osm-annotation fp=\w+ -->/);
    expect(placed.annotations.map((a) => [a.path, a.line])).toEqual([['m.yaml', 9], ['other.yaml', 7]]);
    expect(placed.unanchored.map((f) => f.file)).toEqual(['']);
  });

  it('never anchors where GitHub shows no patch', () => {
    const placed = placeFindings([at('m.yaml', 3)], [modified], new Map([['m.yaml', undefined]]));
    expect(placed.comments).toEqual([]);
    expect(placed.annotations).toEqual([]);
    expect(placed.unanchored).toHaveLength(1);
  });
});
