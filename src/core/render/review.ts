import { fingerprint, type Finding, type Severity } from '../findings/finding.ts';
import type { FileChange } from '../plan/types.ts';
import { escapeMarkdown, escapeMarkdownLines, fencedBlock, inlineCode } from './markdown.ts';
import { parsePatch, unchangedLineMap, type PatchLines } from './patch-lines.ts';

/**
 * A line comment of the one review the PR gets. `line`/`side` are GitHub's (never the deprecated `position`).
 * A finding's suggestion (a replacement for its own line) is offered only where that line was replaced (RIGHT).
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
 * means GitHub shows none, e.g. a large file): a finding on a changed line becomes a review comment on the line that
 * replaced it (RIGHT, where a suggestion can apply) or on the removed line (LEFT); a finding on an untouched line of a
 * file that still exists becomes an annotation at its line in the head commit.
 */
export function placeFindings(
  findings: readonly Finding[],
  files: readonly FileChange[],
  patches: ReadonlyMap<string, string | undefined>,
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
  const comments: ReviewComment[] = [];
  const annotations: LineAnnotation[] = [];
  const unanchored: Finding[] = [];
  for (const f of findings) {
    const change = changes.get(f.file);
    const anchor = f.file && f.line > 0 ? commentAnchor(f, change, patchOf(f.file)) : undefined;
    if (anchor) {
      const suggests = anchor.side === 'RIGHT' && f.suggestion?.file === f.file && f.suggestion.line === f.line;
      comments.push({ path: f.file, ...anchor, body: commentBody(f, suggests), fingerprint: fingerprint(f), findingId: f.id });
      continue;
    }
    const headLine = f.file && f.line > 0 ? lineInHead(f, change) : undefined;
    if (headLine !== undefined) annotations.push({ path: f.file, line: headLine, severity: f.severity, title: `${f.id}: ${escapeMarkdown(f.resource || f.file)}`, message: `${escapeMarkdownLines(f.message)}\n\n${f.remediation}` });
    else unanchored.push(f);
  }
  return { comments, annotations, unanchored };
}

function commentAnchor(f: Finding, change: FileChange | undefined, patch: PatchLines | undefined): { line: number; side: 'LEFT' | 'RIGHT' } | undefined {
  if (!change || !patch) return undefined;
  if (change.action === 'create') return patch.added.has(f.line) ? { line: f.line, side: 'RIGHT' } : undefined;
  if (!patch.removed.has(f.line)) return undefined;
  const replacement = patch.replacedBy.get(f.line);
  return replacement !== undefined && patch.added.has(replacement) ? { line: replacement, side: 'RIGHT' } : { line: f.line, side: 'LEFT' };
}

function lineInHead(f: Finding, change: FileChange | undefined): number | undefined {
  if (!change) return f.line;
  if (change.action === 'delete') return undefined;
  if (change.action === 'create') return f.line;
  return unchangedLineMap(change.previous ?? '', change.content).get(f.line);
}

export function commentBody(f: Finding, withSuggestion: boolean): string {
  const lines = [
    `**${f.severity}** [\`${f.id}\`](${f.docsUrl})${f.resource ? ` on ${inlineCode(f.resource)}` : ''}`,
    '',
    escapeMarkdownLines(f.message),
    '',
    `**What to do:** ${f.remediation}`,
  ];
  if (withSuggestion && f.suggestion) lines.push('', fencedBlock('suggestion', f.suggestion.replacement));
  lines.push('', findingMarker(f.id, fingerprint(f)));
  return lines.join('\n');
}
