import { generateKeyPairSync } from 'node:crypto';
import { Probot } from 'probot';
import { stringify } from 'yaml';
import { createApp } from './app.ts';
import { CONFIG_FILE, type AppConfig } from './config.ts';
import { appOctokit, type RetryPolicy } from './octokit.ts';
import { graphqlOperation, MemoryGitHub, type MemoryRepository, type PullRequestRecord, type RecordedRequest, type SpecialEntry } from './memory/memory-github.ts';
import { SERIES_MARKER } from './series-text.ts';

export interface DryRunResult {
  readonly github: MemoryGitHub;
  readonly repository: MemoryRepository;
  readonly report: string;
}

/**
 * Dependabot-CLI-style dry run: the app's own webhook handler, fed an `installation.created` event, against an
 * in-memory GitHub that holds `files` and the `special` entries (links, unreadable files). Returns what the app did:
 * the pull request, its diff, review and check, and the exact list of API mutations; with `strategy: phased`, every
 * phase's pull request and the tracking issue.
 */
export async function dryRun(
  files: ReadonlyMap<string, string>, config: Partial<AppConfig> = {}, name = 'example/repository', special: ReadonlyMap<string, SpecialEntry> = new Map(),
): Promise<DryRunResult> {
  const github = new MemoryGitHub();
  const [owner = 'example', repo = 'repository'] = name.split('/');
  // Links and the files the app would refuse (too large, NUL bytes, not UTF-8) are in the tree as on GitHub.
  const contents: Record<string, string | SpecialEntry> = { ...Object.fromEntries(special), ...Object.fromEntries(files) };
  if (Object.keys(config).length > 0) contents[CONFIG_FILE] = stringify(config);
  const repository = github.addRepository(owner, repo, contents);
  const probot = memoryProbot(github);
  const app = createApp();
  await probot.load(app.appFn);
  await probot.receive(installationCreated(owner, repo));
  await app.idle();
  return { github, repository, report: renderDryRun(github, repository) };
}

/** A Probot whose Octokit talks to the in-memory GitHub (no network, no credentials, no retry delays). */
export function memoryProbot(github: MemoryGitHub, policy: RetryPolicy = { throttle: { enabled: false }, retry: { enabled: false } }, logLevel: 'warn' | 'fatal' = 'warn'): Probot {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  return new Probot({
    appId: 1,
    privateKey,
    secret: 'memory-github',
    logLevel,
    request: { fetch: github.fetch },
    Octokit: appOctokit(policy),
  });
}

/**
 * The smallest `installation.created` payload the handler reads. Tests use GitHub's published examples instead; the
 * dry run builds its own so the production bundle does not depend on the examples package.
 */
function installationCreated(owner: string, repo: string): Parameters<Probot['receive']>[0] {
  const account = { login: owner, id: 1, type: 'Organization' };
  const payload = {
    action: 'created',
    installation: { id: 1, account, app_id: 1, target_type: 'Organization', permissions: {}, events: [], repository_selection: 'selected' as const },
    repositories: [{ id: 1, name: repo, full_name: `${owner}/${repo}`, private: false, node_id: '' }],
    requester: null,
    sender: { ...account, type: 'User' },
  };
  // The handler reads only the fields above; the full payload type has hundreds more.
  return { id: 'dry-run-1', name: 'installation', payload } as unknown as Parameters<Probot['receive']>[0];
}

export function renderDryRun(github: MemoryGitHub, repository: MemoryRepository): string {
  const tracking = repository.issues.find((i) => i.body.includes(SERIES_MARKER));
  if (tracking) return renderSeries(github, repository, tracking);
  const pull = repository.pulls[0];
  if (!pull) return `No pull request was opened.\n\n${mutationList(github.mutations())}`;
  const patches = repository.patches(pull);
  const diff = [...patches].map(([path, patch]) => `--- a/${path}\n+++ b/${path}\n${patch}`).join('\n');
  const review = repository.reviews.map((r) => r.body).join('\n\n');
  const comments = repository.reviewComments.map((c) => `● ${c.path}:${c.line} (${c.side})\n${indent(c.body)}`).join('\n\n');
  const annotations = repository.checkRuns.flatMap((run) => run.annotations as { path: string; start_line: number; annotation_level: string; title: string }[])
    .map((a) => `  ${a.annotation_level.padEnd(8)} ${a.path}:${a.start_line} ${a.title}`).join('\n');
  const check = repository.checkRuns.at(-1);
  return [
    `Pull request #${pull.number} ${pull.head} → ${pull.base}${pull.draft ? ' (draft)' : ''}, labels: ${pull.labels.join(', ') || 'none'}`,
    `Title: ${pull.title}`,
    section('Body', pull.body),
    section('Diff', diff),
    section(`Review (${repository.reviewComments.length} line comments)`, `${review}\n\n${comments}`),
    section(`Check run: ${check?.conclusion ?? 'none'}, ${check?.title ?? ''}`, annotations || '  (no annotations)'),
    mutationList(github.mutations()),
  ].join('\n\n');
}

/** A phased series: each phase's pull request (title, base, body, diff, review and check), then the tracking checklist. */
function renderSeries(github: MemoryGitHub, repository: MemoryRepository, tracking: { number: number; title: string; body: string }): string {
  const pulls = repository.pulls.filter((p) => p.state === 'open');
  return [
    `A series of ${pulls.length} pull requests, one per phase, each based on the one before; tracking issue #${tracking.number}.`,
    ...pulls.map((pull) => seriesPull(repository, pull)),
    section(`Tracking issue #${tracking.number}: ${tracking.title}`, tracking.body),
    mutationList(github.mutations()),
  ].join('\n\n');
}

function seriesPull(repository: MemoryRepository, pull: PullRequestRecord): string {
  const diff = [...repository.patches(pull)].map(([path, patch]) => `--- a/${path}\n+++ b/${path}\n${patch}`).join('\n');
  const comments = repository.reviewComments.filter((c) => c.pull === pull.number);
  const check = repository.checkRuns.filter((run) => run.headSha === repository.headOf(pull.head)).at(-1);
  return [
    `######## Pull request #${pull.number} ${pull.head} → ${pull.base}${pull.draft ? ' (draft)' : ''}, labels: ${pull.labels.join(', ') || 'none'}`,
    `Title: ${pull.title}`,
    section(`#${pull.number} body`, pull.body),
    section(`#${pull.number} diff`, diff),
    `Review: ${comments.length} line comments · check run: ${check?.conclusion ?? 'none'}, ${check?.title ?? ''}`,
  ].join('\n\n');
}

function mutationList(mutations: readonly RecordedRequest[]): string {
  return section(`API mutations (${mutations.length})`, mutations.map((m) => `  ${m.method} ${m.path}${m.path === '/graphql' ? ` ${graphqlOperation(m.body)?.name ?? ''}` : ''} → ${m.status}`).join('\n'));
}

function section(title: string, content: string): string {
  return `===== ${title} =====\n${content.replace(/^\n+|\s+$/g, '')}`;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}
