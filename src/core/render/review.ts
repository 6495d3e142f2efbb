import { fingerprint, type Finding, type Severity } from '../findings/finding.ts';
import { isNode } from 'yaml';
import type { GeneratedResource } from '../linkerd/resources.ts';
import { loadRepository } from '../load/load.ts';
import type { FileChange } from '../plan/types.ts';
import { asRecord } from '../values.ts';
import { escapeMarkdown, escapeMarkdownLines, fencedBlock, inlineCode } from './markdown.ts';
import { parsePatch, unchangedLineMap, type PatchLines } from './patch-lines.ts';

/**
 * A line comment of the one review the PR gets. `line`/`side` are GitHub's (never the deprecated `position`); the
 * side is always RIGHT (the new file). A finding's suggestion is offered only on the line it replaces.
 */
export interface ReviewComment {
  readonly path: string;
  readonly line: number;
  readonly side: 'LEFT' | 'RIGHT';
  readonly body: string;
  readonly fingerprint: string;
  readonly findingId: string;
}

/** A finding on a line of the head commit that the diff does not show: a check-run annotation. */
export interface LineAnnotation {
  readonly path: string;
  readonly line: number;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
}

export interface ReviewPlacement {
  readonly comments: readonly ReviewComment[];
  readonly annotations: readonly LineAnnotation[];
  /** Findings with no line to sit on (repository-level, or on a line of a deleted file the patch omits). */
  readonly unanchored: readonly Finding[];
}

/** Marker every comment carries so a re-run finds its own comments and updates them instead of duplicating. */
export function findingMarker(id: string, fp: string): string {
  return `<!-- osm2linkerd:finding=${id} fp=${fp} -->`;
}

/** Only at the end of a comment, where commentBody puts it. */
export const FINDING_MARKER = /<!-- osm2linkerd:finding=(\S+) fp=(\S+) -->\s*$/;

/**
 * Decides where each finding goes. Anchors come from the patches GitHub shows (`patches`, by path; a missing patch
 * means GitHub shows none, e.g. a large file), and review comments sit on the new file's lines only: a finding on a
 * line of a created file, or on a line replaced one-for-one, sits on that new line; a finding about an OSM object the
 * migration translated sits on the line that names the first resource generated from it (`resources`), so it reads
 * beside the Linkerd policy it is about; a suggestion for a line of generated output (`suggestion.file` another file
 * than the finding's) puts the comment on that line with the ```suggestion. Nothing sits on a deleted line. Findings
 * with the same id on the same resource make one comment, on the first of them that has a line, counting the others;
 * its fingerprint is the first one's, so a re-run finds it whatever repeats. A finding with no comment on an
 * untouched line of a file that still exists becomes an annotation at its line in the head commit.
 */
export function placeFindings(
  findings: readonly Finding[],
  files: readonly FileChange[],
  patches: ReadonlyMap<string, string | undefined>,
  resources: readonly GeneratedResource[] = [],
): ReviewPlacement {
  const changes = new Map(files.map((f) => [f.path, f]));
  const parsed = new Map<string, PatchLines>();
  const patchOf = (path: string): PatchLines | undefined => {
    const text = patches.get(path);
    if (text === undefined) return undefined;
    let lines = parsed.get(path);
    if (!lines) parsed.set(path, (lines = parsePatch(text)));
    return lines;
  };
  const generated = generatedLines(files, resources);
  const comments: ReviewComment[] = [];
  const annotations: LineAnnotation[] = [];
  const unanchored: Finding[] = [];
  for (const group of sameFindingOnSameResource(findings)) {
    const placed = group.map((f) => ({ f, anchor: f.file && f.line > 0 ? commentAnchor(f, changes, patchOf, generated) : undefined }));
    const first = placed.find((p) => p.anchor !== undefined);
    const representative = group[0];
    if (first?.anchor && representative) {
      const { f, anchor } = first;
      const others = group.filter((g) => g !== f);
      comments.push({ path: anchor.path, line: anchor.line, side: 'RIGHT', body: commentBody(f, anchor.suggests, others, representative), fingerprint: fingerprint(representative), findingId: f.id });
      continue;
    }
    for (const f of group) {
      const headLine = f.file && f.line > 0 ? lineInHead(f, changes.get(f.file)) : undefined;
      if (headLine !== undefined) annotations.push({ path: f.file, line: headLine, severity: f.severity, title: `${f.id}: ${escapeMarkdown(f.resource || f.file)}`, message: `${escapeMarkdownLines(f.message)}\n\n${f.remediation}` });
      else unanchored.push(f);
    }
  }
  return { comments, annotations, unanchored };
}

/** Findings grouped by (id, resource), in the order of their first member; one without a resource stands alone. */
function sameFindingOnSameResource(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    // A key no (id, resource) pair has: each finding without a resource is a group of its own.
    const key = f.resource ? `${f.id}\u0000${f.resource}` : `\u0000${groups.size}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()];
}

interface CommentAnchor {
  readonly path: string;
  readonly line: number;
  readonly suggests: boolean;
}

function commentAnchor(
  f: Finding,
  changes: ReadonlyMap<string, FileChange>,
  patchOf: (path: string) => PatchLines | undefined,
  generated: (f: Finding) => { readonly path: string; readonly line: number } | undefined,
): CommentAnchor | undefined {
  const added = (path: string, line: number) => changes.get(path)?.action !== 'delete' && patchOf(path)?.added.has(line) === true;
  const s = f.suggestion;
  // A replacement for a line of generated output: the comment goes where it applies.
  if (s && s.file !== f.file && added(s.file, s.line)) return { path: s.file, line: s.line, suggests: true };
  const change = changes.get(f.file);
  const patch = patchOf(f.file);
  const own = s !== undefined && s.file === f.file && s.line === f.line;
  if (change?.action === 'create' && patch?.added.has(f.line)) return { path: f.file, line: f.line, suggests: own };
  const replacement = change && change.action !== 'create' && patch?.removed.has(f.line) ? patch.replacedBy.get(f.line) : undefined;
  if (replacement !== undefined && patch?.added.has(replacement)) return { path: f.file, line: replacement, suggests: own };
  // A line the head still has is shown there by an annotation; only a line that is gone moves to the output.
  if (lineInHead(f, change) !== undefined) return undefined;
  const output = generated(f);
  if (output && added(output.path, output.line)) return { ...output, suggests: false };
  return undefined;
}

/**
 * Where the resources generated from the object a finding sits in are written: the line naming the first of them
 * (in file order) in the migrated files. Found by reading the new files, so it holds wherever placement put them.
 */
function generatedLines(files: readonly FileChange[], resources: readonly GeneratedResource[]): (f: Finding) => { path: string; line: number } | undefined {
  let index: Map<string, { path: string; line: number }> | undefined;
  const keyOf = (kind: unknown, name: unknown, namespace: unknown) => `${String(kind)}\u0000${String(name)}\u0000${namespace === undefined ? '' : String(namespace)}`;
  const written = () => {
    if (index) return index;
    index = new Map();
    const candidates = new Map(files.filter((f) => f.action !== 'delete' && /\.ya?ml$/i.test(f.path)).map((f) => [f.path, f.content]));
    for (const doc of loadRepository(candidates).documents) {
      const value = asRecord(doc.value);
      const metadata = asRecord(value['metadata']);
      const node = doc.document.getIn(['metadata', 'name'], true);
      const offset = isNode(node) && node.range ? node.range[0] : doc.range[0];
      const at = { path: doc.file, line: doc.lineCounter.linePos(offset).line };
      for (const namespace of [metadata['namespace'], undefined]) {
        const key = keyOf(value['kind'], metadata['name'], namespace);
        if (!index.has(key)) index.set(key, at);
      }
    }
    return index;
  };
  const byOrigin = new Map<string, GeneratedResource[]>();
  for (const g of resources) byOrigin.set(g.origin.doc.file, [...(byOrigin.get(g.origin.doc.file) ?? []), g]);
  return (f) => {
    const from = (byOrigin.get(f.file) ?? []).filter((g) => {
      const doc = g.origin.doc;
      return doc.lineCounter.linePos(doc.range[0]).line <= f.line && f.line <= doc.lineCounter.linePos(doc.range[1]).line;
    });
    const lines = from
      .map((g) => written().get(keyOf(g.resource.kind, g.resource.metadata.name, g.resource.metadata.namespace)) ?? written().get(keyOf(g.resource.kind, g.resource.metadata.name, undefined)))
      .filter((at): at is { path: string; line: number } => at !== undefined)
      .sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
    return lines[0];
  };
}

function lineInHead(f: Finding, change: FileChange | undefined): number | undefined {
  if (!change) return f.line;
  if (change.action === 'delete') return undefined;
  if (change.action === 'create') return f.line;
  return unchangedLineMap(change.previous ?? '', change.content).get(f.line);
}

/**
 * One comment's text: the finding, what to do, the suggestion when it applies here, the other places the same finding
 * repeats on the same resource (counted, each with its line and message), and the marker a re-run finds it by.
 */
export function commentBody(f: Finding, withSuggestion: boolean, repeats: readonly Finding[] = [], marked: Finding = f): string {
  const lines = [
    `**${f.severity}** [\`${f.id}\`](${f.docsUrl})${f.resource ? ` on ${inlineCode(f.resource)}` : ''}${repeats.length > 0 ? ` (${repeats.length + 1} times)` : ''}`,
    '',
    escapeMarkdownLines(f.message),
    '',
    `**What to do:** ${f.remediation}`,
  ];
  if (withSuggestion && f.suggestion) lines.push('', fencedBlock('suggestion', f.suggestion.replacement));
  if (repeats.length > 0) {
    lines.push('', `The same finding ${repeats.length === 1 ? 'once more' : `${repeats.length} more times`} on this resource:`);
    for (const r of repeats.slice(0, MAX_REPEATS_LISTED)) lines.push(`- ${escapeMarkdown(`${r.file}:${r.line}`)}: ${escapeMarkdown(firstLine(r.message))}`);
    if (repeats.length > MAX_REPEATS_LISTED) lines.push(`- …and ${repeats.length - MAX_REPEATS_LISTED} more (see the check run).`);
  }
  lines.push('', findingMarker(marked.id, fingerprint(marked)));
  return lines.join('\n');
}

/** GitHub caps a comment at 65,536 characters; a long list of repeats helps nobody either. */
const MAX_REPEATS_LISTED = 20;

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
