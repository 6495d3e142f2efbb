import { createHash, randomUUID } from 'node:crypto';
import { annotationBatches, escapeMarkdown, FINDING_MARKER, placeFindings, renderCheckRun, type Finding, type LineAnnotation, type MigrationPlan, type ReviewComment } from '../core/index.ts';
import { createOnce } from './create-once.ts';
import { PortConflict, type CheckAnnotation, type RepositoryPort } from './repository-port.ts';

/** GitHub takes many comments per review, but a wall of them helps nobody; the rest are listed in the review body. */
export const MAX_REVIEW_COMMENTS = 30;
const RESOLVED = '✅ **Resolved**: the latest translation no longer raises this.';

export interface ReviewTarget {
  readonly number: number;
  readonly headSha: string;
  readonly isNew: boolean;
}

/**
 * One review (event COMMENT) with the new gap comments; comments already posted are updated in place or marked
 * resolved (their hidden fingerprint says which finding they carry). Anchors come from GitHub's own patches.
 */
export async function publishReview(port: RepositoryPort, botLogin: string, plan: MigrationPlan, pr: ReviewTarget): Promise<{ annotations: LineAnnotation[]; posted: number }> {
  const patches = await port.pullRequestPatches(pr.number);
  // Only warnings and errors interrupt a reviewer inline; notes on lines the PR leaves alone go to the check run, and
  // every finding is listed in the PR body anyway.
  const placement = placeFindings(plan.findings.filter((f) => f.severity !== 'info'), plan.files, patches, plan.resources);
  const notes = placeFindings(plan.findings.filter((f) => f.severity === 'info'), plan.files, patches, plan.resources);
  const annotations = [...placement.annotations, ...notes.annotations];
  const wanted = new Map(placement.comments.map((c) => [c.fingerprint, c]));
  const posted = new Set<string>();
  const existing = pr.isNew ? [] : (await port.listReviewComments(pr.number)).filter((c) => c.authorLogin === botLogin);
  for (const comment of existing) {
    const fp = FINDING_MARKER.exec(comment.body)?.[2];
    if (!fp) continue;
    posted.add(fp);
    const next = wanted.get(fp);
    if (next && next.body !== comment.body) await port.updateReviewComment(comment.id, next.body);
    if (!next && !comment.body.startsWith(RESOLVED)) {
      await port.updateReviewComment(comment.id, `${RESOLVED}\n\n${comment.body}`);
      if (comment.nodeId) await port.minimizeComment(comment.nodeId);
    }
  }
  const fresh = placement.comments.filter((c) => !posted.has(c.fingerprint));
  const inline = fresh.slice(0, MAX_REVIEW_COMMENTS);
  if (inline.length > 0 || (pr.isNew && placement.unanchored.length > 0)) {
    // The review's marker names what it posts, so a review GitHub stored but whose answer was lost is found again.
    const marker = reviewMarker(pr.headSha, fresh.map((c) => c.fingerprint));
    const stored = async () => ((await port.listReviews(pr.number)).some((r) => r.body.includes(marker)) ? true : undefined);
    const body = `${reviewBody(plan, inline.length, fresh.slice(MAX_REVIEW_COMMENTS), pr.isNew ? placement.unanchored : [])}\n\n${marker}`;
    try {
      await createOnce(async () => {
        await port.createReview(pr.number, pr.headSha, body, inline.map(({ path, line, side, body: text }) => ({ path, line, side, body: text })));
        return true;
      }, stored);
    } catch (error) {
      // One anchor GitHub cannot resolve (its diff may lag a push by a moment) rejects the whole review: post the
      // same review with every comment listed in its body instead, so the findings still reach the reviewer once.
      if (!(error instanceof PortConflict) || inline.length === 0) throw error;
      const listed = `${reviewBody(plan, 0, fresh, pr.isNew ? placement.unanchored : [])}\n\n${marker}`;
      await createOnce(async () => {
        await port.createReview(pr.number, pr.headSha, listed, []);
        return true;
      }, stored);
      return { annotations, posted: 0 };
    }
  }
  return { annotations, posted: inline.length };
}


/** `<!-- osm2linkerd:review <hash> -->`: the head and the fingerprints a review posts. */
export function reviewMarker(headSha: string, fingerprints: readonly string[]): string {
  const hash = createHash('sha256').update(`${headSha}\u0000${fingerprints.join(',')}`).digest('hex').slice(0, 16);
  return `<!-- osm2linkerd:review ${hash} -->`;
}

function reviewBody(plan: MigrationPlan, inline: number, overflow: readonly ReviewComment[], unanchored: readonly Finding[]): string {
  const lines = [`osm2linkerd: ${inline} places in this diff where Linkerd ${plan.summary.linkerdVersion} will behave differently from OSM.`];
  if (overflow.length > 0) lines.push('', `${overflow.length} ${inline > 0 ? 'more (not posted inline to keep this review readable)' : 'places (GitHub could not anchor them on the diff)'}:`, ...overflow.map((c) => `- \`${c.findingId}\` ${escapeMarkdown(c.path)}:${c.line}`));
  if (unanchored.length > 0) lines.push('', 'Findings without a line in this diff:', ...unanchored.map((f) => `- \`${f.id}\`${f.file ? ` ${escapeMarkdown(f.file)}:${f.line}` : ''}: ${escapeMarkdown(f.message)}`));
  return lines.join('\n');
}

const LEVEL = { error: 'failure', warning: 'warning', info: 'notice' } as const;

/** The `osm2linkerd` check on the PR head: a summary, and the findings on lines the diff does not show (50 per request). */
export async function publishCheckRun(port: RepositoryPort, plan: MigrationPlan, headSha: string, annotations: readonly LineAnnotation[]): Promise<void> {
  const text = renderCheckRun(plan, annotations);
  const batches = annotationBatches(annotations.map(toCheckAnnotation));
  // A fresh external id per publication: a re-requested check on the same head gets its own check run, and a lost
  // answer is told apart from the check runs before it.
  const externalId = randomUUID();
  const id = await createOnce(
    () => port.createCheckRun({ headSha, externalId, title: text.title, summary: text.summary, conclusion: text.conclusion, annotations: batches[0] ?? [] }),
    () => port.findCheckRun(headSha, externalId),
  );
  for (const batch of batches.slice(1)) await port.addCheckRunAnnotations(id, text.title, text.summary, batch);
}

function toCheckAnnotation(a: LineAnnotation): CheckAnnotation {
  return { path: a.path, start_line: a.line, end_line: a.line, annotation_level: LEVEL[a.severity], title: a.title.slice(0, 255), message: a.message.slice(0, 64_000) };
}
