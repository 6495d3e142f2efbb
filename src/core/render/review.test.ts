import { describe, expect, it } from 'vitest';
import { meshRepository } from '../../../test/support/mesh-repos.ts';
import { fingerprint, type Finding } from '../findings/finding.ts';
import { finding as trafficTargetFinding } from '../rules/traffic-target/findings.ts';
import { finding } from '../rules/unhandled-findings.ts';
import { migrate } from '../migrate.ts';
import type { FileChange } from '../plan/types.ts';
import { fileDiff } from './diff.ts';
import { parsePatch, unchangedLineMap } from './patch-lines.ts';
import { FINDING_MARKER, placeFindings } from './review.ts';

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
  // Changed by issue 8: a removed line (of an edited or a deleted file) no longer gets a LEFT comment; without a new
  // line to sit on (a replacement, or the output generated from its object) the finding is listed in the review body.
  it('puts a finding on a replaced line on the RIGHT (with its suggestion), never on a removed line, elsewhere in annotations', () => {
    const placed = placeFindings([at('m.yaml', 3, 'c: 42'), at('m.yaml', 9), at('m.yaml', 10), at('d.yaml', 2), at('other.yaml', 7), at('', 0)], [modified, deleted], patches);
    expect(placed.comments.map((c) => [c.path, c.line, c.side])).toEqual([['m.yaml', 3, 'RIGHT']]);
    expect(placed.comments[0]?.body).toContain('```suggestion\nc: 42\n```');
    expect(placed.comments[0]?.body).toMatch(/<!-- osm2linkerd:finding=unhandled\/osm-annotation fp=\w+ -->/);
    expect(placed.annotations.map((a) => [a.path, a.line])).toEqual([['m.yaml', 9], ['other.yaml', 7]]);
    expect(placed.unanchored.map((f) => `${f.file}:${f.line}`)).toEqual(['m.yaml:9', 'd.yaml:2', ':0']);
  });

  it('never anchors where GitHub shows no patch', () => {
    const placed = placeFindings([at('m.yaml', 3)], [modified], new Map([['m.yaml', undefined]]));
    expect(placed.comments).toEqual([]);
    expect(placed.annotations).toEqual([]);
    expect(placed.unanchored).toHaveLength(1);
  });
});

describe('placeFindings on a real migration', () => {
  // apps/app-0.yaml loses its TCPRoute and TrafficTarget; apps/app-0.linkerd.yaml is created from them.
  const files = meshRepository([{ namespace: 'shop', name: 'api', port: 8080, callers: [{ namespace: 'shop', name: 'web' }, { namespace: 'shop', name: 'ops' }] }]);
  const plan = migrate(files);
  const realPatches = new Map(plan.files.map((c) => [c.path, fileDiff(c)]));
  const source = files.get('apps/app-0.yaml') ?? '';
  const lineOf = (text: string, from = 0) => source.split('\n').findIndex((l, i) => i >= from && l.includes(text)) + 1;
  const targetLine = lineOf('kind: TrafficTarget');
  const sourcesLine = lineOf('- {kind: ServiceAccount, name: "web"');
  const onTarget = (line: number, message: string, suggestion?: { file: string; line: number; replacement: string }) =>
    trafficTargetFinding('traffic-target/invalid-rule-kind', { file: 'apps/app-0.yaml', line }, { resource: 'TrafficTarget/shop/api', message, ...(suggestion ? { suggestion } : {}) });
  const generated = plan.files.find((f) => f.path === 'apps/app-0.linkerd.yaml');

  it('has the shape the tests below rely on', () => {
    expect(generated?.action).toBe('create');
    expect(plan.files.find((f) => f.path === 'apps/app-0.yaml')?.content).not.toContain('TrafficTarget');
    expect(targetLine).toBeGreaterThan(0);
    expect(sourcesLine).toBeGreaterThan(targetLine);
  });

  it('puts a finding about a removed OSM object on the new file\'s line naming the first resource generated from it', () => {
    const placed = placeFindings([onTarget(targetLine, 'first')], plan.files, realPatches, plan.resources);
    expect(placed.comments).toHaveLength(1);
    const comment = placed.comments[0];
    expect([comment?.path, comment?.side]).toEqual(['apps/app-0.linkerd.yaml', 'RIGHT']);
    const firstName = (generated?.content ?? '').split('\n').findIndex((l) => /^ {2}name: /.test(l)) + 1;
    expect(comment?.line).toBe(firstName);
    expect(parsePatch(realPatches.get('apps/app-0.linkerd.yaml') ?? '').added.has(comment?.line ?? 0)).toBe(true);
    // Without the generated resources there is no new line for it: listed, never put on the deleted line.
    const blind = placeFindings([onTarget(targetLine, 'first')], plan.files, realPatches);
    expect(blind.comments).toEqual([]);
    expect(blind.unanchored).toHaveLength(1);
  });

  it('never comments on a deleted line: every comment of the migration is on an added line of the new file', () => {
    const findings = [onTarget(targetLine, 'a'), onTarget(sourcesLine, 'b'), ...plan.findings];
    const placed = placeFindings(findings, plan.files, realPatches, plan.resources);
    expect(placed.comments.length).toBeGreaterThan(0);
    for (const c of placed.comments) {
      expect(c.side).toBe('RIGHT');
      expect(plan.files.find((f) => f.path === c.path)?.action).not.toBe('delete');
      expect(parsePatch(realPatches.get(c.path) ?? '').added.has(c.line), `${c.path}:${c.line}`).toBe(true);
    }
  });

  it('makes one comment per (finding id, resource), counting the repetitions, under the first one\'s fingerprint', () => {
    const first = onTarget(targetLine, 'rule 1 of TrafficTarget/shop/api');
    const twice = placeFindings([first, onTarget(sourcesLine, 'rule 2 of TrafficTarget/shop/api')], plan.files, realPatches, plan.resources);
    expect(twice.comments).toHaveLength(1);
    expect(twice.comments[0]?.body).toContain('(2 times)');
    expect(twice.comments[0]?.body).toContain(`The same finding once more on this resource:\n- apps/app-0.yaml:${sourcesLine}: rule 2 of TrafficTarget/shop/api`);
    expect(twice.comments[0]?.fingerprint).toBe(fingerprint(first));
    // A third repetition on the next run: still that one comment (same fingerprint, so it is updated, not added).
    const thrice = placeFindings([first, onTarget(sourcesLine, 'rule 2'), onTarget(sourcesLine + 1, 'rule 3')], plan.files, realPatches, plan.resources);
    expect(thrice.comments.map((c) => c.fingerprint)).toEqual([fingerprint(first)]);
    expect(thrice.comments[0]?.body).toContain('(3 times)');
    expect(FINDING_MARKER.exec(thrice.comments[0]?.body ?? '')?.[2]).toBe(fingerprint(first));
    // Another resource, or another id, is another comment.
    const other = trafficTargetFinding('traffic-target/invalid-rule-kind', { file: 'apps/app-0.yaml', line: targetLine }, { resource: 'TrafficTarget/shop/other', message: 'x' });
    expect(placeFindings([first, other], plan.files, realPatches, plan.resources).comments).toHaveLength(2);
  });

  it('puts a suggestion for a line of generated output on that line, as a suggestion block', () => {
    const line = (generated?.content ?? '').split('\n').findIndex((l) => l.includes('kind: Server')) + 1;
    const f = onTarget(targetLine, 'use a wider selector', { file: 'apps/app-0.linkerd.yaml', line, replacement: 'kind: Server # reviewed' });
    const placed = placeFindings([f], plan.files, realPatches, plan.resources);
    expect(placed.comments.map((c) => [c.path, c.line, c.side])).toEqual([['apps/app-0.linkerd.yaml', line, 'RIGHT']]);
    expect(placed.comments[0]?.body).toContain('```suggestion\nkind: Server # reviewed\n```');
  });
});
