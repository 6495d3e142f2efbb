import type { MigrationPhase, MigrationPlan } from '../core/index.ts';
import { isAppsPullRequest, pushBranch, reportBlocked, upsertPullRequest, type PushResult } from './bot-branch.ts';
import { branchName, type AppConfig } from './config.ts';
import { createOnce } from './create-once.ts';
import { publishCheckRun, publishReview } from './publish-review.ts';
import type { BranchHead, CommentInfo, PullRequestInfo } from './repository-port.ts';
import { commandHelp, outputHash, planAt, writesOf, type RunContext, type RunOutcome, type RunRequest, type RunStatus } from './run-migration.ts';
import { readSeriesState, readState, withoutSeriesState, writeSeriesState, writeState, type Choices, type PhaseStatus, type SeriesState } from './state.ts';
import { DRIFT_MARKER, DRIFT_RESOLVED, driftComment, phasePullRequest, SERIES_MARKER, SERIES_TITLE, trackingIssueBody, type PhaseLine } from './series-text.ts';
import { CLOSED_MARKER, normalise, upsertStickyComment } from './sticky-comment.ts';

/**
 * Strategy `phased` in the app: the phases of the core's phased plan (`plan.phases`) as a series of pull requests,
 * one per phase on `<prefix>migrate-<NN>-<slug>`, stacked (phase k's PR is based on phase k-1's branch until that one
 * merges, then it is moved onto the default branch), and one tracking issue with a checklist of the phases and the
 * series' hidden state. The rules:
 *
 * 1. The series base. The phases are planned from one commit of the default branch, the series base, recorded with
 *    the choices in the tracking issue's state block (the last line of an issue the app opened: a block anywhere else,
 *    or in anyone else's issue, never steers it). Every run plans the phases again from that commit's tree; the core
 *    is deterministic, so it gets the same phases.
 * 2. While no phase has merged, the base follows the default branch: a run on a new head plans the whole series from
 *    it (the base moves), and the choices may change. Once one has merged, the default branch no longer says what
 *    OSM enforced (the bridge switched MeshConfig to permissive, the lock-down removes OSM's objects), so re-planning
 *    from it would be wrong: the base and the choices stay fixed until the series ends.
 * 3. A phase is built on its base: the default branch's head for the first phase not merged, else the branch of the
 *    phase before it. Its tree is that base's tree with the phase's changes, and only if every file the phase touches
 *    is, in that base, exactly what the plan expects after the phases before it (`FileChange.previous`, or absent
 *    for a file it creates). Otherwise the phase stops with a sticky comment naming the files and what to do, and
 *    the phases after it wait (they are stacked on it).
 * 4. Per phase, the single PR's guarantees (bot-branch.ts): one PR per branch however often a webhook arrives, a
 *    person's commit on a phase's branch blocks that phase only (the phases after it build on the branch as the person
 *    left it), the same output makes no write, and nothing is pushed to the default branch.
 * 5. `strategy forklift` while no phase has merged closes the series (its PRs and its issue, with a note) and the
 *    single PR takes over; once a phase has merged it is refused, and the series runs to its end. A series whose
 *    phases have all merged closes its tracking issue. A merged phase without an open tracking issue (a person
 *    closed it) stops the run until it is reopened: a series planned from that head would start part-way through.
 */

export interface SeriesInput {
  readonly config: AppConfig;
  /** The default branch's head. */
  readonly head: BranchHead;
  /** The choices the single PR would use (the request's, or its PR's). */
  readonly choices: Choices;
  readonly request: RunRequest;
  /** The app's single forklift PR, if any (closed in favour of the series). */
  readonly forklift: PullRequestInfo | null;
  /** The app's open issues, when this run has read them already. */
  readonly ownIssues?: readonly CommentInfo[];
}

/**
 * Done: the series handled the run. forklift: there is no series (any more); the single PR runs with `choices`, and
 * is brought back even if unchanged when `replacedSeries` (it may have been closed in favour of the series).
 */
export type SeriesResult = { readonly kind: 'done'; readonly outcome: RunOutcome } | { readonly kind: 'forklift'; readonly choices: Choices; readonly replacedSeries?: boolean };

interface Tracking {
  readonly number: number;
  readonly body: string;
  readonly state: SeriesState;
}

export async function runSeries(ctx: RunContext, input: SeriesInput): Promise<SeriesResult> {
  const { config, request } = input;
  const tracking = findTracking(input.ownIssues ?? await ctx.port.listOwnOpenIssues(ctx.botLogin));
  const previous = tracking?.state;
  const choices = request.choices ?? previous?.choices ?? input.choices;
  const prs = new Map<string, PullRequestInfo | null>();
  for (const p of previous?.phases ?? []) prs.set(p.id, await findPhasePullRequest(ctx, config, p.id));
  const merged = mergedPrefix(previous?.phases.map((p) => p.id) ?? [], prs);
  const fixed = merged.length > 0 && previous ? previous : null;

  if ((choices.strategy ?? config.strategy) !== 'phased') {
    if (!tracking) return { kind: 'forklift', choices };
    if (fixed) return refused(tracking, `phase ${merged.at(-1) ?? ''} of the series has merged, so the default branch is part-way through the migration and one forklift pull request planned from it would be wrong; the series runs to its end`);
    await closeSeries(ctx, tracking, prs, 'This series was replaced by one pull request (strategy forklift).');
    return { kind: 'forklift', choices, replacedSeries: true };
  }
  if (fixed && tracking && request.choices && JSON.stringify(request.choices) !== JSON.stringify(fixed.choices)) {
    return refused(tracking, `phase ${merged.at(-1) ?? ''} has merged: the series' choices are fixed until it ends, as its plan is`);
  }
  const base = fixed?.base ?? input.head.commitSha;
  const seriesChoices = fixed?.choices ?? choices;
  const { plan, files } = await planAt(ctx, config, seriesChoices, base);
  const phases = plan.phases ?? [];
  if (phases.length === 0 || plan.files.length === 0) {
    if (tracking && !fixed) await closeSeries(ctx, tracking, prs, `The default branch no longer needs a migration at ${base.slice(0, 12)}: nothing to change.`);
    if (!tracking || !fixed) return { kind: 'done', outcome: { status: plan.summary.osmObjects === 0 ? 'no-osm' : 'nothing-to-change', detail: 'phased plan: no phase changes a file', plan } };
  }

  // Phases of an earlier plan (the base moved and the plan's shape changed) that are no longer part of it.
  for (const [id, pr] of prs) {
    if (!phases.some((p) => p.id === id) && pr?.state === 'open') await closePullRequest(ctx, pr.number, 'The series was planned again from the default branch and this phase is no longer part of it. Closing.');
  }
  for (const phase of phases) if (!prs.has(phase.id)) prs.set(phase.id, await findPhasePullRequest(ctx, config, phase.id));
  const orphan = tracking ? undefined : phases.find((p) => prs.get(p.id)?.merged);
  if (orphan) {
    // A phase merged, but no open tracking issue holds the base (a person closed it): planning from this head would
    // start over part-way through the migration.
    return { kind: 'done', outcome: { status: 'blocked', detail: `phase ${orphan.id} merged (#${prs.get(orphan.id)?.number ?? ''}) but the series' tracking issue is closed: reopen it to go on; the app does not plan a new series from a default branch part-way through the migration`, plan } };
  }

  const number = tracking?.number ?? await createTracking(ctx, plan, phases, base, seriesChoices);
  if (input.forklift?.state === 'open') await closePullRequest(ctx, input.forklift.number, `This migration continues as a phased series of pull requests, one per phase: #${number}. Closing.`);

  const lines = await buildPhases(ctx, { config, request, plan, phases, prs, previous: fixed ?? previous ?? null, base, choices: seriesChoices, tracking: number, headTexts: fixed ? null : files, head: input.head });
  const state: SeriesState = { choices: seriesChoices, base, phases: lines.map((l) => ({ id: l.phase.id, status: l.status, ...(l.pullRequest ? { pullRequest: l.pullRequest } : {}), ...(l.builtOn ? { builtOn: l.builtOn } : {}), ...(l.head ? { head: l.head } : {}) })) };
  const done = lines.every((l) => l.status === 'merged');
  const body = writeSeriesState(trackingIssueBody(lines, { defaultBranch: ctx.defaultBranch, base, linkerdVersion: plan.summary.linkerdVersion, ...(done ? { ended: 'Every phase has merged: the migration is complete. Remember `osm uninstall` (the lock-down phase\'s checklist).' } : {}) }), state);
  const current = tracking?.body ?? (await ctx.port.listOwnOpenIssues(ctx.botLogin)).find((i) => i.id === number)?.body ?? '';
  if (normalise(current) !== normalise(body) || done) await ctx.port.updateIssue(number, { body, ...(done ? { state: 'closed' as const } : {}) });

  const status: RunStatus = lines.some((l) => l.outcome === 'opened') ? 'opened' : lines.some((l) => l.outcome === 'updated') ? 'updated'
    : lines.some((l) => l.status === 'blocked' || l.status === 'stopped') ? 'blocked' : 'unchanged';
  const first = lines.find((l) => l.status !== 'merged');
  const detail = `series #${number}: ${lines.map((l) => `${l.phase.id} ${l.status}${l.pullRequest ? ` #${l.pullRequest}` : ''}`).join(', ')}`;
  const discarded = [...new Set(lines.flatMap((l) => l.discarded ?? []))];
  return { kind: 'done', outcome: { status, ...(first?.pullRequest ? { pullRequest: first.pullRequest } : {}), detail, plan, ...(discarded.length > 0 ? { discarded } : {}) } };
}

function refused(tracking: Tracking, why: string): SeriesResult {
  return { kind: 'done', outcome: { status: 'refused', detail: `refused: ${why} (#${tracking.number})` } };
}

/** The tracking issue: an issue the app opened, with the marker, whose state block is where the app writes it. */
function findTracking(issues: readonly CommentInfo[]): Tracking | null {
  for (const issue of issues) {
    const state = issue.body.includes(SERIES_MARKER) ? readSeriesState(issue.body) : null;
    if (state) return { number: issue.id, body: issue.body, state };
  }
  return null;
}

async function findPhasePullRequest(ctx: RunContext, config: AppConfig, id: string): Promise<PullRequestInfo | null> {
  const branch = branchName(config, id);
  const found = await ctx.port.findPullRequest(branch);
  return found && isAppsPullRequest(found, ctx, branch) ? found : null;
}

/** The phases merged in order from the first: a PR merged out of order went into the branch before it, not the default one. */
function mergedPrefix(ids: readonly string[], prs: ReadonlyMap<string, PullRequestInfo | null>): string[] {
  const merged: string[] = [];
  for (const id of ids) {
    if (!prs.get(id)?.merged) break;
    merged.push(id);
  }
  return merged;
}

async function createTracking(ctx: RunContext, plan: MigrationPlan, phases: readonly MigrationPhase[], base: string, choices: Choices): Promise<number> {
  const state: SeriesState = { choices, base, phases: phases.map((p) => ({ id: p.id, status: 'not-opened' as const })) };
  const body = writeSeriesState(trackingIssueBody(phases.map((phase) => ({ phase, status: 'not-opened' })), { defaultBranch: ctx.defaultBranch, base, linkerdVersion: plan.summary.linkerdVersion }), state);
  const find = async () => findTracking(await ctx.port.listOwnOpenIssues(ctx.botLogin))?.number;
  return createOnce(() => ctx.port.createIssue(SERIES_TITLE, body), find);
}

async function closePullRequest(ctx: RunContext, number: number, text: string): Promise<void> {
  await upsertStickyComment(ctx.port, number, ctx.botLogin, CLOSED_MARKER, text);
  await ctx.port.updatePullRequest(number, { state: 'closed' });
}

async function closeSeries(ctx: RunContext, tracking: Tracking, prs: ReadonlyMap<string, PullRequestInfo | null>, why: string): Promise<void> {
  for (const pr of prs.values()) if (pr?.state === 'open') await closePullRequest(ctx, pr.number, `${why} Closing this phase.`);
  await ctx.port.updateIssue(tracking.number, { body: writeSeriesState(`${withoutSeriesState(tracking.body)}\n\n> [!NOTE]\n> ${why}`, tracking.state), state: 'closed' });
}

interface BuildInput {
  readonly config: AppConfig;
  readonly request: RunRequest;
  readonly plan: MigrationPlan;
  readonly phases: readonly MigrationPhase[];
  readonly prs: ReadonlyMap<string, PullRequestInfo | null>;
  readonly previous: SeriesState | null;
  readonly base: string;
  readonly choices: Choices;
  readonly tracking: number;
  /** The default branch's texts when the series base is its head (no phase merged); null: read them. */
  readonly headTexts: ReadonlyMap<string, string> | null;
  readonly head: BranchHead;
}

interface BuiltLine extends PhaseLine {
  readonly outcome?: 'opened' | 'updated';
  /** The commit the phase's branch was last built on, and the branch head then: the same again means nothing to do. */
  readonly builtOn?: string;
  readonly head?: string;
  /** Commits by people that `recreate` dropped from this phase's branch. */
  readonly discarded?: readonly string[];
}

/** Where the next phase is built: a commit, its tree, and the texts of the files the later phases touch. */
interface Below {
  readonly ref: string;
  readonly commitSha: string;
  readonly treeSha: string;
  readonly texts: ReadonlyMap<string, string>;
  /** The head of the last merged phase's PR: its commits were accepted by merging it. */
  readonly accepted?: string;
  readonly basedOn?: { readonly id: string; readonly number?: number };
}

/** A file that exists but could not be read as text: it never equals what the plan expects. */
const UNREADABLE = '\u0000unreadable';

async function buildPhases(ctx: RunContext, input: BuildInput): Promise<BuiltLine[]> {
  const { port } = ctx;
  const { config, plan, phases, prs, request } = input;
  const lines: BuiltLine[] = [];
  const mergedIds = mergedPrefix(phases.map((p) => p.id), prs);
  const touched = (from: number) => new Set(phases.slice(from).flatMap((p) => p.files.map((f) => f.path)));
  let below: Below | null = null;
  let waitingFor: string | undefined;
  const discarded = new Set<string>();
  for (const phase of phases) {
    const pr = prs.get(phase.id) ?? null;
    const branch = branchName(config, phase.id);
    const recorded = input.previous?.phases.find((p) => p.id === phase.id);
    if (mergedIds.includes(phase.id) && pr) {
      lines.push({ phase, status: 'merged', pullRequest: pr.number });
      continue;
    }
    if (waitingFor) {
      lines.push({ phase, status: 'waiting', note: waitingFor, ...(pr ? { pullRequest: pr.number } : {}), ...keep(recorded) });
      continue;
    }
    below ??= {
      ref: ctx.defaultBranch, commitSha: input.head.commitSha, treeSha: input.head.treeSha,
      texts: input.headTexts ?? await textsAt(ctx, input.head.commitSha, touched(phase.index)),
      ...(pr && mergedIds.length > 0 ? { accepted: prs.get(mergedIds.at(-1) ?? '')?.headSha } : {}),
    };
    const drift = phase.files.filter((c) => below?.texts.get(c.path) !== (c.action === 'create' ? undefined : c.previous)).map((c) => c.path);
    if (drift.length > 0) {
      if (pr?.state === 'open') await upsertStickyComment(port, pr.number, ctx.botLogin, DRIFT_MARKER, driftComment(drift, { defaultBranch: ctx.defaultBranch, base: input.base, branch, ...(phase.index > 0 ? { previous: phases[phase.index - 1]?.id } : {}) }));
      lines.push({ phase, status: 'stopped', note: drift.join(', '), ...(pr ? { pullRequest: pr.number } : {}), ...keep(recorded) });
      waitingFor = phase.id;
      continue;
    }
    if (recorded?.status === 'stopped' && pr?.state === 'open') await upsertStickyComment(port, pr.number, ctx.botLogin, DRIFT_MARKER, DRIFT_RESOLVED);

    // The plan as this phase's PR shows it: its files and findings (the review, the check run and their counts).
    const count = (severity: string) => phase.findings.filter((f) => f.severity === severity).length;
    const view: MigrationPlan = { ...plan, files: phase.files, findings: phase.findings, summary: { ...plan.summary, findings: { error: count('error'), warning: count('warning'), info: count('info') } } };
    const state = { choices: input.choices, output: outputHash(view) };
    const reusable = pr && !pr.merged ? pr : null;
    const force = request.force === true;
    const text = phasePullRequest(plan, phase, { total: phases.length, tracking: input.tracking, defaultBranch: ctx.defaultBranch, commandHelp: commandHelp(), ...(below.basedOn ? { basedOn: below.basedOn } : {}) });
    const titled = { title: text.title, body: writeState(text.body, state) };
    const advance = (commitSha: string, treeSha: string, texts = applied(below?.texts ?? new Map(), phase)): Below => ({ ref: branch, commitSha, treeSha, texts, basedOn: { id: phase.id, ...(reusable ? { number: reusable.number } : {}) } });

    if (reusable?.state === 'closed' && readState(reusable.body).output === state.output && !force) {
      // Closed by a person, and the phase has not changed: left closed, as the single PR is; the later phases wait.
      lines.push({ phase, status: 'closed', pullRequest: reusable.number, ...keep(recorded) });
      waitingFor = phase.id;
      continue;
    }
    const branchHead = await port.getBranch(branch);
    const quiet = reusable?.state === 'open' && !force && !request.recheck && readState(reusable.body).output === state.output
      && branchHead !== null && recorded?.builtOn === below.commitSha && recorded.head === branchHead.commitSha && reusable.baseRef === below.ref;
    if (quiet && branchHead) {
      // The same phase on the same base as last time: nothing to write (the check run is finished if it is missing).
      if (!(await port.hasCheckRun(branchHead.commitSha))) await publish(ctx, view, reusable.number, branchHead.commitSha, false, true);
      lines.push({ phase, status: 'open', pullRequest: reusable.number, builtOn: below.commitSha, head: branchHead.commitSha });
      below = advance(branchHead.commitSha, branchHead.treeSha);
      continue;
    }
    const writes = writesOf(phase);
    // The phase's tree, for the phases stacked on it (a new branch gets the same tree through createCommitOnBranch).
    const treeSha = await port.createTree(below.treeSha, writes);
    const recreate = request.recreate === true && request.pullRequest !== undefined && request.pullRequest === reusable?.number;
    const onto: { commitSha: string; treeSha: string } = { commitSha: below.commitSha, treeSha: below.treeSha };
    const push = (reset: boolean): Promise<PushResult> => pushBranch(ctx, branch, onto, writes, {
      recreate: reset, treeSha, message: `${text.title}\n\nGenerated by osm2linkerd.`, ...(below?.accepted ? { accepted: below.accepted } : {}),
    });
    let pushed = await push(recreate);
    // The phases after a recreated one were built on it and carry the commits it discarded: those go too, nothing else.
    if (pushed.kind === 'blocked' && pushed.commits.every((c) => discarded.has(c))) pushed = await push(true);
    if (pushed.kind === 'blocked') {
      const number = await reportBlocked(ctx, config, branch, titled, reusable, pushed.commits, below.ref);
      lines.push({ phase, status: 'blocked', pullRequest: number, note: pushed.commits.join('; ') });
      // The phases after it build on the branch as the person left it (rule 3 still checks their files).
      const head = await port.getBranch(branch);
      if (!head) throw new Error(`branch ${branch} disappeared during the run`);
      below = { ...advance(head.commitSha, head.treeSha, await textsAt(ctx, head.commitSha, touched(phase.index + 1))), basedOn: { id: phase.id, number } };
      continue;
    }
    if (pushed.kind === 'same' && pushed.lostRace) {
      // Another run pushed this very phase first: it publishes its PR, review and check.
      lines.push({ phase, status: 'open', ...(reusable ? { pullRequest: reusable.number } : {}), builtOn: below.commitSha, head: pushed.headSha });
      below = advance(pushed.headSha, treeSha);
      continue;
    }
    const { pr: opened, isNew } = await upsertPullRequest(ctx, config, branch, titled, reusable, pushed.headSha, below.ref);
    const moved = pushed.kind === 'pushed' || isNew;
    if (moved || request.recheck || !(await port.hasCheckRun(pushed.headSha))) await publish(ctx, view, opened.number, pushed.headSha, isNew, true);
    pushed.discarded.forEach((c) => discarded.add(c));
    lines.push({ phase, status: 'open', pullRequest: opened.number, builtOn: below.commitSha, head: pushed.headSha, discarded: pushed.discarded, ...(isNew ? { outcome: 'opened' as const } : moved ? { outcome: 'updated' as const } : {}) });
    below = { ...advance(pushed.headSha, treeSha), basedOn: { id: phase.id, number: opened.number } };
  }
  return lines;
}

function keep(recorded: { builtOn?: string; head?: string } | undefined): { builtOn?: string; head?: string } {
  return { ...(recorded?.builtOn ? { builtOn: recorded.builtOn } : {}), ...(recorded?.head ? { head: recorded.head } : {}) };
}

async function publish(ctx: RunContext, view: MigrationPlan, number: number, headSha: string, isNew: boolean, check: boolean): Promise<void> {
  const { annotations } = await publishReview(ctx.port, ctx.botLogin, view, { number, headSha, isNew });
  if (check) await publishCheckRun(ctx.port, view, headSha, annotations);
}

/** The texts of `paths` in a commit (absent files are absent; files that are not text read as UNREADABLE). */
async function textsAt(ctx: RunContext, commitSha: string, paths: ReadonlySet<string>): Promise<Map<string, string>> {
  const entries = (await ctx.port.listFiles(commitSha)).filter((f) => paths.has(f.path));
  const { texts } = await ctx.port.readTexts(commitSha, entries.filter((f) => !f.link));
  return new Map(entries.map((f) => [f.path, texts.get(f.path) ?? UNREADABLE]));
}

function applied(texts: ReadonlyMap<string, string>, phase: MigrationPhase): Map<string, string> {
  const next = new Map(texts);
  for (const c of phase.files) {
    if (c.action === 'delete') next.delete(c.path);
    else next.set(c.path, c.content);
  }
  return next;
}

export type { PhaseStatus };
