import { createHash } from 'node:crypto';
import { globToRegExp, inlineCode, isManifestCandidate, mentionsOsm, migrate, renderPullRequest, type MigrationOptionsInput, type MigrationPlan, type UnreadReason } from '../core/index.ts';
import { helpText } from './command-grammar.ts';
import { branchName, CONFIG_ISSUE_MARKER, CONFIG_ISSUE_TITLE, ConfigFileError, configIssueBody, parseAppConfig, type AppConfig, type ConfigResult } from './config.ts';
import { createOnce } from './create-once.ts';
import { CONFIG_FILE, statusOf } from './octokit-repository.ts';
import { publishCheckRun, publishReview } from './publish-review.ts';
import type { CommitInfo, FileWrite, PullRequestInfo, RepositoryPort, TreeFile } from './repository-port.ts';
import { readState, writeState, type Choices, type PullRequestState } from './state.ts';
import { BLOCKED_MARKER, CLOSED_MARKER, normalise, upsertStickyComment } from './sticky-comment.ts';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
}

/** Raw config per `<owner>/<repo>@<default-branch sha>`: the file cannot change without the sha changing. */
export interface ConfigCache {
  get(key: string): { raw: unknown } | undefined;
  set(key: string, value: { raw: unknown }): void;
}

export interface RunContext {
  readonly port: RepositoryPort;
  readonly configCache?: ConfigCache;
  /** `<app-slug>[bot]`: commits and comments by anyone else are a human's. */
  readonly botLogin: string;
  readonly defaultBranch: string;
  readonly log: Log;
}

export interface RunRequest {
  /** Act even when a closed PR's input did not change (a person asked). */
  readonly force?: boolean;
  /** Discard commits people pushed to the bot branch (the `recreate` command). */
  readonly recreate?: boolean;
  /** New persisted choices (commands); absent keeps the PR's. */
  readonly choices?: Choices;
  /** Post the check run again even when the head did not move (a re-run was requested). */
  readonly recheck?: boolean;
}

export type RunStatus = 'opened' | 'updated' | 'unchanged' | 'left-closed' | 'no-osm' | 'closed' | 'nothing-to-change' | 'blocked' | 'config-error';

export interface RunOutcome {
  readonly status: RunStatus;
  readonly pullRequest?: number;
  readonly detail: string;
  readonly plan?: MigrationPlan;
  /** Commits by people that `recreate` dropped from the branch (still reachable by sha). */
  readonly discarded?: readonly string[];
}

/**
 * One run of the app on one repository: read the default branch, translate, and bring the bot branch, the pull
 * request, its review and its check to the state the translation implies. Every step re-reads what it depends on,
 * so a run that failed half-way is completed by the next one (no orphan branch, no second PR).
 */
export async function runMigration(ctx: RunContext, request: RunRequest = {}): Promise<RunOutcome> {
  const { port, log } = ctx;
  const base = await port.getBranch(ctx.defaultBranch);
  if (!base) return { status: 'no-osm', detail: `default branch ${ctx.defaultBranch} not found` };
  const config = await readConfig(ctx, base.commitSha);
  if (!config) return { status: 'config-error', detail: `${CONFIG_FILE} is invalid: an issue says why; nothing changed` };
  const branch = branchName(config);
  if (branch === ctx.defaultBranch) throw new Error(`refusing to use the default branch ${branch} as the bot branch`);

  const found = await port.findPullRequest(branch);
  const existing = found && isAppsPullRequest(found, ctx, branch) ? found : null;
  const previous: PullRequestState = existing ? readState(existing.body) : readState('');
  const choices: Choices = request.choices ?? previous.choices;
  const tree = await port.listFiles(base.commitSha);
  const options = optionsFor(config, choices);
  const candidates = selectCandidates(tree, config, choices);
  const { texts: files, unread } = await port.readTexts(base.commitSha, candidates);
  const plan = migrate(files, options, new Map([...unreadInTree(tree, config, choices), ...unread]));
  const output = outputHash(plan);
  log.info(`${port.owner}/${port.repo}: ${tree.length} files, ${candidates.length} manifests read, ${plan.summary.osmObjects} OSM objects, ${plan.files.length} files to change`);

  // OSM objects (also SMI examples without apiVersion), or openservicemesh.io keys in any manifest or values file.
  if (plan.summary.osmObjects === 0 && ![...files.values()].some(mentionsOsm)) return closeForNoOsm(ctx, existing, tree.length, candidates.length);
  const reusable = existing && !existing.merged ? existing : null;
  let recheck = request.recheck ?? false;
  if (reusable && previous.output === output && !request.force && !recheck) {
    // Quiet by default: the same translation as last time. A branch that is merely behind is not rebuilt.
    if (reusable.state === 'closed') return { status: 'left-closed', pullRequest: reusable.number, detail: `PR #${reusable.number} was closed without merging and the translation has not changed` };
    if (await port.hasCheckRun(reusable.headSha)) return { status: 'unchanged', pullRequest: reusable.number, detail: `PR #${reusable.number} is up to date`, plan };
    recheck = true; // an earlier run stopped before its check run (the last step): finish its work
  }
  const treeSha = await port.createTree(base.treeSha, writesOf(plan));
  if (treeSha === base.treeSha) return { status: 'nothing-to-change', detail: 'OSM configuration found, but the translation changes no file', plan };

  const state: PullRequestState = { choices, output, base: base.commitSha };
  const mergedHead = existing?.merged ? existing.headSha : undefined;
  const pushed = await pushBranch(ctx, branch, base, treeSha, request.recreate ?? false, mergedHead);
  if (pushed.kind === 'blocked') {
    const number = await reportBlocked(ctx, config, branch, plan, state, reusable, pushed.commits);
    return { status: 'blocked', pullRequest: number, detail: `someone else pushed to ${branch} (${pushed.commits.join('; ')})`, plan };
  }

  if (pushed.kind === 'same' && pushed.lostRace) {
    // Another run pushed this very translation while this one was computing it: that run owns the head and
    // publishes its PR, review and check; a second publisher would only race it into duplicates.
    return { status: 'unchanged', pullRequest: reusable?.number, detail: `another run pushed ${branch} first; it publishes the PR, review and check`, plan };
  }
  const { pr, isNew, lostRace } = await upsertPullRequest(ctx, config, branch, plan, state, reusable, pushed.headSha);
  if (lostRace && pushed.kind === 'same') return { status: 'unchanged', pullRequest: pr.number, detail: `another run opened PR #${pr.number} first; it publishes the review and check`, plan };
  const moved = pushed.kind === 'pushed' || isNew;
  const { annotations } = await publishReview(port, ctx.botLogin, plan, { number: pr.number, headSha: pushed.headSha, isNew });
  // A head this run did not move may still lack its check run when the run that pushed it was interrupted.
  if (moved || recheck || !(await port.hasCheckRun(pushed.headSha))) await publishCheckRun(port, plan, pushed.headSha, annotations);
  const status: RunStatus = isNew ? 'opened' : moved ? 'updated' : 'unchanged';
  return { status, pullRequest: pr.number, detail: `PR #${pr.number} ${status}`, plan, discarded: pushed.discarded };
}

async function readConfig(ctx: RunContext, baseSha: string): Promise<AppConfig | null> {
  const key = `${ctx.port.owner}/${ctx.port.repo}@${baseSha}`;
  const cached = ctx.configCache?.get(key);
  // A cached config was valid, and the run that cached it closed any config issue.
  if (cached) return parseAppConfigOrNull(cached.raw);
  let raw: unknown;
  let result: ConfigResult;
  try {
    raw = await ctx.port.readConfig(CONFIG_FILE);
    result = parseAppConfig(raw);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    raw = undefined;
    result = { ok: false, errors: [error.message] };
  }
  const issues = (await ctx.port.listOwnOpenIssues(ctx.botLogin)).filter((i) => i.body.includes(CONFIG_ISSUE_MARKER));
  if (result.ok) {
    for (const issue of issues) await ctx.port.updateIssue(issue.id, { state: 'closed' });
    ctx.configCache?.set(key, { raw });
    return result.config;
  }
  // An invalid config is never cached: its issue is kept up to date on every run.
  const body = configIssueBody(CONFIG_FILE, result.errors);
  const open = issues[0];
  if (!open) {
    const find = async () => (await ctx.port.listOwnOpenIssues(ctx.botLogin)).find((i) => i.body.includes(CONFIG_ISSUE_MARKER))?.id;
    await createOnce(() => ctx.port.createIssue(CONFIG_ISSUE_TITLE, body), find);
  }
  else if (normalise(open.body) !== normalise(body)) await ctx.port.updateIssue(open.id, { body });
  ctx.log.warn(`${ctx.port.owner}/${ctx.port.repo}: invalid ${CONFIG_FILE}: ${result.errors.join('; ')}`);
  return null;
}

function parseAppConfigOrNull(raw: unknown): AppConfig | null {
  const result = parseAppConfig(raw);
  return result.ok ? result.config : null;
}

export function optionsFor(config: AppConfig, choices: Choices): MigrationOptionsInput {
  return {
    strategy: choices.strategy ?? config.strategy,
    splitStyle: choices.splitStyle ?? config.splitStyle,
    meshMode: choices.meshMode ?? config.meshMode,
    permissiveAccess: config.permissiveAccess,
    probeNetworks: config.probeNetworks,
    exclude: [...config.exclude, ...(choices.ignore ?? [])],
    ...(choices.linkerdVersion ?? config.linkerdVersion ? { linkerdVersion: choices.linkerdVersion ?? config.linkerdVersion } : {}),
  };
}

function selected(config: AppConfig, choices: Choices): (path: string) => boolean {
  const include = config.include.map(globToRegExp);
  const exclude = [...config.exclude, ...(choices.ignore ?? [])].map(globToRegExp);
  return (path) => (include.length === 0 || include.some((re) => re.test(path))) && !exclude.some((re) => re.test(path));
}

function selectCandidates(tree: readonly TreeFile[], config: AppConfig, choices: Choices): TreeFile[] {
  const wanted = selected(config, choices);
  return tree.filter((f) => !f.link && isManifestCandidate(f.path, f.size) && wanted(f.path));
}

/** Links, submodules and manifests too large to read: the core reports them and never writes there. */
function unreadInTree(tree: readonly TreeFile[], config: AppConfig, choices: Choices): Map<string, UnreadReason> {
  const wanted = selected(config, choices);
  const unread = new Map<string, UnreadReason>();
  for (const f of tree) {
    if (!wanted(f.path)) continue;
    if (f.link === 'submodule') unread.set(f.path, 'submodule');
    else if (f.link === 'symlink' && isManifestCandidate(f.path)) unread.set(f.path, 'symlink');
    else if (!f.link && isManifestCandidate(f.path) && !isManifestCandidate(f.path, f.size)) unread.set(f.path, 'too-large');
  }
  return unread;
}

/** What the translation produced (files and findings): an unchanged hash means nothing new to show. */
function outputHash(plan: MigrationPlan): string {
  const hash = createHash('sha256');
  for (const f of plan.files) hash.update(`${f.action}\u0000${f.path}\u0000${f.content}\n`);
  for (const f of plan.findings) hash.update(`${f.id}\u0000${f.file}:${f.line}\u0000${f.message}\n`);
  hash.update(JSON.stringify(plan.options));
  return hash.digest('hex').slice(0, 16);
}

function writesOf(plan: MigrationPlan): FileWrite[] {
  return plan.files.map((f) => (f.action === 'delete' ? { path: f.path, delete: true as const } : { path: f.path, content: f.content }));
}

async function closeForNoOsm(ctx: RunContext, existing: PullRequestInfo | null, files: number, read: number): Promise<RunOutcome> {
  const searched = `searched ${files} files, read ${read} YAML/JSON manifests: no OSM/SMI resources or openservicemesh.io annotations`;
  ctx.log.info(`${ctx.port.owner}/${ctx.port.repo}: ${searched}; nothing to open`);
  if (!existing || existing.state === 'closed') return { status: 'no-osm', detail: searched };
  await upsertStickyComment(ctx.port, existing.number, ctx.botLogin, CLOSED_MARKER, `The default branch no longer holds OSM configuration (${searched}), so this migration is no longer needed. Closing.`);
  await ctx.port.updatePullRequest(existing.number, { state: 'closed' });
  return { status: 'closed', pullRequest: existing.number, detail: searched };
}

type PushResult =
  | { kind: 'pushed' | 'same'; headSha: string; discarded: readonly string[]; lostRace?: boolean }
  | { kind: 'blocked'; headSha: string; commits: readonly string[] };

/**
 * Brings the bot branch to `treeSha` without ever losing a commit someone else made. A branch with only the app's
 * commits gets one more commit on top: its parent is the branch head (and the new base, when the default branch
 * moved), so every update is a fast-forward sent with `force: false`, and GitHub refuses it if the branch moved after
 * we read it (a compare-and-swap). A commit by anyone else stops the run. Only `recreate`, asked for by a person,
 * and a branch whose PR was merged (everything on it was accepted) are reset with a forced update.
 */
async function pushBranch(
  ctx: RunContext, branch: string, base: { commitSha: string }, treeSha: string, recreate: boolean, mergedHead: string | undefined,
): Promise<PushResult> {
  const { port } = ctx;
  const message = 'Migrate from Open Service Mesh to Linkerd\n\nGenerated by osm2linkerd.';
  // Set when a compare-and-swap on the branch (create, or fast-forward) found another run's commit there first.
  let lostRace = false;
  for (let attempt = 0; attempt < 2; attempt++) {
    const head = await port.getBranch(branch);
    if (!head) {
      const commit = await port.createCommit(message, treeSha, [base.commitSha]);
      if ((await port.createBranch(branch, commit)) === 'created') return { kind: 'pushed', headSha: commit, discarded: [] };
      // "Already exists": another run created it first, or this run did and the answer was lost (then it is ours).
      if ((await port.getBranch(branch))?.commitSha === commit) return { kind: 'pushed', headSha: commit, discarded: [] };
      lostRace = true;
      continue;
    }
    const comparison = await port.compare(base.commitSha, head.commitSha);
    const accepted = head.commitSha === mergedHead;
    const foreign = accepted ? [] : comparison.ahead.filter((c) => !madeByApp(c, ctx.botLogin)).map(describeCommit);
    if (foreign.length > 0 && !recreate) return { kind: 'blocked', headSha: head.commitSha, commits: foreign };
    if (head.treeSha === treeSha && comparison.behindBy === 0 && !recreate) return { kind: 'same', headSha: head.commitSha, discarded: [], lostRace };
    const reset = recreate || accepted;
    const parents = reset ? [base.commitSha] : comparison.behindBy === 0 ? [head.commitSha] : [head.commitSha, base.commitSha];
    const commit = await port.createCommit(message, treeSha, parents);
    try {
      await port.updateBranch(branch, commit, reset);
    } catch (error) {
      // Not a fast-forward any more: someone pushed after we looked. Read the branch again (a person's commit
      // blocks; another run's commit with this tree is that run's to publish).
      if (statusOf(error) !== 422 || reset) throw error;
      lostRace = true;
      continue;
    }
    return { kind: 'pushed', headSha: commit, discarded: recreate ? foreign : [] };
  }
  throw new Error(`branch ${branch} keeps changing under this run`);
}

/**
 * The app's pull request: opened by the app, from the app's branch in this repository. A person's PR from a fork's
 * branch of the same name, or with the hidden state block copied into its body, is not (it is never edited).
 */
export function isAppsPullRequest(pr: PullRequestInfo, ctx: RunContext, branch: string): boolean {
  return pr.authorLogin === ctx.botLogin && pr.headRef === branch && pr.headRepository === `${ctx.port.owner}/${ctx.port.repo}`;
}

/**
 * The app's own commits: authored by the app, and committed by it or by GitHub itself (API commits of apps are
 * signed by GitHub, whose committer is `web-flow`, and verified). Anything else is a person's.
 */
function madeByApp(c: CommitInfo, botLogin: string): boolean {
  return c.authorLogin === botLogin && (c.committerLogin === botLogin || (c.committerLogin === 'web-flow' && c.verified));
}

function describeCommit(c: CommitInfo): string {
  return `${c.sha.slice(0, 7)} by ${c.authorLogin ?? 'unknown'}: ${c.message.split('\n')[0] ?? ''}`;
}

/** Says once, on the pull request, why the app stopped; opens the PR from the branch as it is if there is none. */
async function reportBlocked(
  ctx: RunContext, config: AppConfig, branch: string, plan: MigrationPlan, state: PullRequestState, pr: PullRequestInfo | null, commits: readonly string[],
): Promise<number> {
  ctx.log.warn(`${ctx.port.owner}/${ctx.port.repo}: someone else pushed to ${branch} (${commits.join(', ')}); not overwriting`);
  // Without an open PR nobody would hear of it, and recreate is typed on the PR: open it from the branch as it is.
  const open = pr?.state === 'open' ? pr : (await upsertPullRequest(ctx, config, branch, plan, state, pr, '')).pr;
  await upsertStickyComment(ctx.port, open.number, ctx.botLogin, BLOCKED_MARKER, [
    '### ✋ osm2linkerd stopped updating this pull request',
    '',
    `Commits not made by osm2linkerd are on ${inlineCode(branch)}: ${commits.map(inlineCode).join(', ')}. To keep them safe, this pull request is no longer regenerated.`,
    '',
    'To discard them and regenerate from the default branch, comment `/osm2linkerd recreate`.',
  ].join('\n'));
  return open.number;
}

async function upsertPullRequest(
  ctx: RunContext, config: AppConfig, branch: string, plan: MigrationPlan, state: PullRequestState, pr: PullRequestInfo | null, headSha: string,
): Promise<{ pr: { number: number }; isNew: boolean; lostRace?: boolean }> {
  const { port } = ctx;
  const lineUrl = (path: string, line: number) => `https://github.com/${port.owner}/${port.repo}/blob/${encodeURIComponent(ctx.defaultBranch)}/${path.split('/').map(encodeURIComponent).join('/')}#L${line}`;
  const text = renderPullRequest(plan, { lineUrl, commandHelp: `### Talk to osm2linkerd\n\nComment on this pull request:\n\n${helpText(true)}` });
  const body = writeState(text.body, state);
  if (pr) {
    const reopen = pr.state === 'closed';
    const changed = normalise(pr.body) !== normalise(body) || pr.title !== text.title;
    if (changed || reopen) {
      try {
        await port.updatePullRequest(pr.number, { ...(changed ? { title: text.title, body } : {}), ...(reopen ? { state: 'open' as const } : {}) });
        return { pr, isNew: false };
      } catch (error) {
        if (!reopen) throw error;
        ctx.log.warn(`PR #${pr.number} could not be reopened; opening a new one`);
      }
    } else return { pr, isNew: false };
  }
  let created: PullRequestInfo;
  try {
    created = await port.createPullRequest({ title: text.title, body, head: branch, base: ctx.defaultBranch, draft: config.draft });
  } catch (error) {
    // Another worker opened it between our lookup and now: update that one instead of failing. A pull request from
    // this branch that the app did not open (a person's) is never taken over.
    const winner = statusOf(error) === 422 ? await port.findPullRequest(branch) : null;
    if (!winner || winner.state !== 'open' || !isAppsPullRequest(winner, ctx, branch)) throw error;
    if (normalise(winner.body) !== normalise(body) || winner.title !== text.title) await port.updatePullRequest(winner.number, { title: text.title, body });
    return { pr: winner, isNew: false, lostRace: true };
  }
  await port.addLabels(created.number, config.labels);
  try {
    await port.requestReviewers(created.number, config.reviewers);
  } catch (error) {
    // A reviewer who cannot be asked (not a collaborator, a misspelt team) must not stop the PR's review and check.
    if (statusOf(error) !== 422) throw error;
    ctx.log.warn(`${port.owner}/${port.repo}: could not request reviewers ${config.reviewers.join(', ')}: ${error instanceof Error ? error.message : String(error)}`);
  }
  ctx.log.info(`${port.owner}/${port.repo}: opened PR #${created.number} at ${headSha.slice(0, 7)}`);
  return { pr: created, isNew: true };
}
