import { createHash } from 'node:crypto';
import { globToRegExp, isManifestCandidate, mentionsOsm, migrate, renderPullRequest, type MigrationOptionsInput, type MigrationPlan, type PullRequestText, type UnreadReason } from '../core/index.ts';
import { isAppsPullRequest, pushBranch, reportBlocked, upsertPullRequest } from './bot-branch.ts';
import { helpText } from './command-grammar.ts';
import { branchName, CONFIG_FILE, CONFIG_ISSUE_MARKER, CONFIG_ISSUE_TITLE, ConfigFileError, configIssueBody, parseAppConfig, type AppConfig, type ConfigResult } from './config.ts';
import { createOnce } from './create-once.ts';
import { changesNothing } from './git-objects.ts';
import { publishCheckRun, publishReview } from './publish-review.ts';
import type { CommentInfo, FileWrite, PullRequestInfo, RepositoryPort, TreeFile } from './repository-port.ts';
import { runSeries } from './run-series.ts';
import { readState, writeState, type Choices, type PullRequestState } from './state.ts';
import { CLOSED_MARKER, normalise, upsertStickyComment } from './sticky-comment.ts';

export { isAppsPullRequest } from './bot-branch.ts';

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
  /** The pull request a command was typed on (a series' `recreate` resets that phase's branch only). */
  readonly pullRequest?: number;
  /** Act even when a closed PR's input did not change (a person asked). */
  readonly force?: boolean;
  /** Discard commits people pushed to the bot branch (the `recreate` command). */
  readonly recreate?: boolean;
  /** New persisted choices (commands); absent keeps the PR's. */
  readonly choices?: Choices;
  /** Post the check run again even when the head did not move (a re-run was requested). */
  readonly recheck?: boolean;
}

export type RunStatus = 'opened' | 'updated' | 'unchanged' | 'left-closed' | 'no-osm' | 'closed' | 'nothing-to-change' | 'blocked' | 'config-error'
  /** A command the series cannot follow (a phase has merged). */
  | 'refused';

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
  const { port } = ctx;
  const base = await port.getBranch(ctx.defaultBranch);
  if (!base) return { status: 'no-osm', detail: `default branch ${ctx.defaultBranch} not found` };
  const { config, ownIssues } = await readConfig(ctx, base.commitSha);
  if (!config) return { status: 'config-error', detail: `${CONFIG_FILE} is invalid: an issue says why; nothing changed` };
  const branch = branchName(config);
  if (branch === ctx.defaultBranch) throw new Error(`refusing to use the default branch ${branch} as the bot branch`);

  const found = await port.findPullRequest(branch);
  const existing = found && isAppsPullRequest(found, ctx, branch) ? found : null;
  const previous: PullRequestState = existing ? readState(existing.body) : readState('');
  let choices: Choices = request.choices ?? previous.choices;
  let force = request.force ?? false;
  // A series is looked for when it may matter, or when the issues were read anyway: a forklift run asks nothing more.
  if (ownIssues || (choices.strategy ?? config.strategy) === 'phased' || request.choices?.strategy === 'forklift') {
    const series = await runSeries(ctx, { config, head: base, choices, request, forklift: existing, ownIssues });
    if (series.kind === 'done') return series.outcome;
    choices = series.choices;
    force ||= series.replacedSeries === true;
  }
  const { tree, files, candidates, plan } = await planAt(ctx, config, choices, base.commitSha);
  const output = outputHash(plan);

  // OSM objects (also SMI examples without apiVersion), or openservicemesh.io keys in any manifest or values file.
  if (plan.summary.osmObjects === 0 && ![...files.values()].some(mentionsOsm)) return closeForNoOsm(ctx, existing, tree.length, candidates.length);
  const reusable = existing && !existing.merged ? existing : null;
  let recheck = request.recheck ?? false;
  if (reusable && previous.output === output && !force && !recheck) {
    // Quiet by default: the same translation as last time. A branch that is merely behind is not rebuilt.
    if (reusable.state === 'closed') return { status: 'left-closed', pullRequest: reusable.number, detail: `PR #${reusable.number} was closed without merging and the translation has not changed` };
    if (await port.hasCheckRun(reusable.headSha)) return { status: 'unchanged', pullRequest: reusable.number, detail: `PR #${reusable.number} is up to date`, plan };
    recheck = true; // an earlier run stopped before its check run (the last step): finish its work
  }
  const writes = writesOf(plan);
  if (changesNothing(tree, writes)) return { status: 'nothing-to-change', detail: 'OSM configuration found, but the translation changes no file', plan };

  const state: PullRequestState = { choices, output, base: base.commitSha };
  const mergedHead = existing?.merged ? existing.headSha : undefined;
  const pushed = await pushBranch(ctx, branch, base, writes, { recreate: request.recreate ?? false, mergedHead });
  const text = pullRequestText(ctx, plan, state);
  if (pushed.kind === 'blocked') {
    const number = await reportBlocked(ctx, config, branch, text, reusable, pushed.commits);
    return { status: 'blocked', pullRequest: number, detail: `someone else pushed to ${branch} (${pushed.commits.join('; ')})`, plan };
  }

  if (pushed.kind === 'same' && pushed.lostRace) {
    // Another run pushed this very translation while this one was computing it: that run owns the head and
    // publishes its PR, review and check; a second publisher would only race it into duplicates.
    return { status: 'unchanged', pullRequest: reusable?.number, detail: `another run pushed ${branch} first; it publishes the PR, review and check`, plan };
  }
  const { pr, isNew, lostRace } = await upsertPullRequest(ctx, config, branch, text, reusable, pushed.headSha);
  if (lostRace && pushed.kind === 'same') return { status: 'unchanged', pullRequest: pr.number, detail: `another run opened PR #${pr.number} first; it publishes the review and check`, plan };
  const moved = pushed.kind === 'pushed' || isNew;
  const { annotations } = await publishReview(port, ctx.botLogin, plan, { number: pr.number, headSha: pushed.headSha, isNew });
  // A head this run did not move may still lack its check run when the run that pushed it was interrupted.
  if (moved || recheck || !(await port.hasCheckRun(pushed.headSha))) await publishCheckRun(port, plan, pushed.headSha, annotations);
  const status: RunStatus = isNew ? 'opened' : moved ? 'updated' : 'unchanged';
  return { status, pullRequest: pr.number, detail: `PR #${pr.number} ${status}`, plan, discarded: pushed.discarded };
}

/** The translation of one commit of the default branch, with what was read to make it. */
export async function planAt(ctx: RunContext, config: AppConfig, choices: Choices, commitSha: string): Promise<{ tree: TreeFile[]; files: Map<string, string>; candidates: TreeFile[]; plan: MigrationPlan }> {
  const { port } = ctx;
  const tree = await port.listFiles(commitSha);
  const candidates = selectCandidates(tree, config, choices);
  const { texts: files, unread } = await port.readTexts(commitSha, candidates);
  const plan = migrate(files, optionsFor(config, choices), new Map([...unreadInTree(tree, config, choices), ...unread]));
  ctx.log.info(`${port.owner}/${port.repo}@${commitSha.slice(0, 7)}: ${tree.length} files, ${candidates.length} manifests read, ${plan.summary.osmObjects} OSM objects, ${plan.files.length} files to change`);
  return { tree, files, candidates, plan };
}

/** The config, or null when invalid; and the app's open issues when this run had to read them (no cached config). */
async function readConfig(ctx: RunContext, baseSha: string): Promise<{ config: AppConfig | null; ownIssues?: CommentInfo[] }> {
  const key = `${ctx.port.owner}/${ctx.port.repo}@${baseSha}`;
  const cached = ctx.configCache?.get(key);
  // A cached config was valid, and the run that cached it closed any config issue.
  if (cached) return { config: parseAppConfigOrNull(cached.raw) };
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
  const ownIssues = await ctx.port.listOwnOpenIssues(ctx.botLogin);
  const issues = ownIssues.filter((i) => i.body.includes(CONFIG_ISSUE_MARKER));
  if (result.ok) {
    for (const issue of issues) await ctx.port.updateIssue(issue.id, { state: 'closed' });
    ctx.configCache?.set(key, { raw });
    return { config: result.config, ownIssues: ownIssues.filter((i) => !issues.includes(i)) };
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
  return { config: null };
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
export function outputHash(plan: Pick<MigrationPlan, 'files' | 'findings' | 'options'>): string {
  const hash = createHash('sha256');
  for (const f of plan.files) hash.update(`${f.action}\u0000${f.path}\u0000${f.content}\n`);
  for (const f of plan.findings) hash.update(`${f.id}\u0000${f.file}:${f.line}\u0000${f.message}\n`);
  hash.update(JSON.stringify(plan.options));
  return hash.digest('hex').slice(0, 16);
}

function pullRequestText(ctx: RunContext, plan: MigrationPlan, state: PullRequestState): PullRequestText {
  const text = renderPullRequest(plan, { lineUrl: (path, line) => lineUrl(ctx, path, line), commandHelp: commandHelp() });
  return { title: text.title, body: writeState(text.body, state) };
}

/** Link to a line of the default branch. */
export function lineUrl(ctx: RunContext, path: string, line: number): string {
  return `https://github.com/${ctx.port.owner}/${ctx.port.repo}/blob/${encodeURIComponent(ctx.defaultBranch)}/${path.split('/').map(encodeURIComponent).join('/')}#L${line}`;
}

export function commandHelp(): string {
  return `### Talk to osm2linkerd\n\nComment on this pull request:\n\n${helpText(true)}`;
}

export function writesOf(plan: Pick<MigrationPlan, 'files'>): FileWrite[] {
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

