import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Probot } from 'probot';
import { createApp, type Osm2LinkerdApp } from '../../src/github/app.ts';
import { memoryProbot } from '../../src/github/dry-run.ts';
import { BOT_LOGIN, MemoryGitHub, type MemoryRepository } from '../../src/github/memory/memory-github.ts';
import type { RetryPolicy } from '../../src/github/octokit.ts';
import { checkGraphqlRequest } from './graphql.ts';
import { checkRequest } from './openapi.ts';

/**
 * The app under test: its real Probot handler and Octokit, talking to an in-memory GitHub through `request.fetch`.
 * Every request is checked against GitHub's OpenAPI description (REST) or public GraphQL schema; violations are
 * collected for the test to assert.
 */
export interface Harness {
  readonly github: MemoryGitHub;
  readonly probot: Probot;
  readonly app: Osm2LinkerdApp;
  readonly openApiViolations: string[];
  /** Delivers a webhook and waits until the queued work is done. */
  deliver(event: WebhookEvent): Promise<void>;
}

export interface WebhookEvent {
  readonly id?: string;
  readonly name: string;
  readonly payload: Record<string, unknown>;
}

let delivery = 0;
const violations: string[] = [];

/** Every OpenAPI violation of every harness so far (a test file asserts it stays empty after each test). */
export function openApiViolations(): readonly string[] {
  return violations;
}

export async function harness(policy?: RetryPolicy): Promise<Harness> {
  const github = new MemoryGitHub();
  const openApiViolations: string[] = [];
  const serve = github.fetch;
  const checked = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input.toString() : input.url);
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' && init.body ? (JSON.parse(init.body) as unknown) : undefined;
    // REST against GitHub's OpenAPI description, GraphQL against its public schema.
    const errors = url.pathname === '/graphql' ? checkGraphqlRequest(body) : checkRequest(method, url.pathname, Object.fromEntries(url.searchParams), body).errors;
    openApiViolations.push(...errors);
    violations.push(...errors);
    return serve(input, init);
  };
  Object.defineProperty(github, 'fetch', { value: checked });
  // Failures are part of the scenarios; their logs (which include request bodies) would drown the test output.
  const probot = memoryProbot(github, policy, process.env.OSM2LINKERD_TEST_LOGS ? 'warn' : 'fatal');
  const app = createApp();
  await probot.load(app.appFn);
  return {
    github, probot, app, openApiViolations,
    deliver: async (event) => {
      await probot.receive({ id: event.id ?? `delivery-${++delivery}`, name: event.name, payload: event.payload } as Parameters<Probot['receive']>[0]);
      await app.idle();
    },
  };
}

// ---- payloads: GitHub's published webhook examples (@octokit/webhooks-examples), pointed at the memory repository ----

interface ExampleGroup { name: string; examples: Record<string, unknown>[] }
const require = createRequire(import.meta.url);
const examples = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as ExampleGroup[];

function example(name: string, test: (e: Record<string, unknown>) => boolean): Record<string, unknown> {
  const found = examples.find((g) => g.name === name)?.examples.find(test);
  if (!found) throw new Error(`no ${name} example`);
  return structuredClone(found);
}

const INSTALLATION = { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };

function pointAt(payload: Record<string, unknown>, repo: MemoryRepository): Record<string, unknown> {
  const repository = payload.repository as Record<string, unknown> | undefined;
  if (repository) {
    repository.name = repo.name;
    repository.full_name = repo.fullName;
    repository.default_branch = repo.defaultBranch;
    repository.master_branch = repo.defaultBranch;
    (repository.owner as Record<string, unknown>).login = repo.owner;
    (repository.owner as Record<string, unknown>).name = repo.owner;
  }
  // The examples were recorded for a plain webhook; an installed app's deliveries carry the installation.
  payload.installation = INSTALLATION;
  return payload;
}

/** `installation.created` (real example), listing `repos`. */
export function installationCreated(...repos: MemoryRepository[]): WebhookEvent {
  const payload = example('installation', (e) => e.action === 'created');
  payload.repositories = repos.map((r, i) => ({ id: i + 1, node_id: `R${i}`, name: r.name, full_name: r.fullName, private: false }));
  payload.installation = { ...(payload.installation as object), id: INSTALLATION.id };
  return { name: 'installation', payload };
}

/** `push` to the default branch (real example with one commit), listing the paths it changed. */
export function pushToDefault(repo: MemoryRepository, changed: readonly string[] = ['any.yaml']): WebhookEvent {
  const payload = pointAt(example('push', (e) => e.ref === 'refs/heads/master'), repo);
  payload.ref = `refs/heads/${repo.defaultBranch}`;
  payload.after = repo.headOf(repo.defaultBranch);
  const commit = (payload.commits as Record<string, unknown>[])[0] ?? {};
  payload.commits = [{ ...commit, added: [], removed: [], modified: [...changed] }];
  return { name: 'push', payload };
}

/**
 * `issue_comment.created` on the pull request. Derived from GitHub's example comment on an issue: the examples hold
 * no comment on a pull request, so `issue.pull_request` is added as GitHub sends it for PR conversations, and the
 * number, author and body are set for the scenario.
 */
export function commentOnPullRequest(repo: MemoryRepository, pr: number, author: string, body: string, commentId = 9000 + pr): WebhookEvent {
  const payload = pointAt(example('issue_comment', (e) => e.action === 'created'), repo);
  const issue = payload.issue as Record<string, unknown>;
  issue.number = pr;
  issue.pull_request = { url: `https://api.github.com/repos/${repo.fullName}/pulls/${pr}`, html_url: `https://github.com/${repo.fullName}/pull/${pr}`, diff_url: '', patch_url: '', merged_at: null };
  // As GitHub sends it: the issue is the pull request as it is now (its body and who opened it).
  const pull = repo.pulls.find((p) => p.number === pr);
  issue.body = pull?.body ?? '';
  issue.user = { ...(issue.user as object), login: pull?.author ?? BOT_LOGIN, type: (pull?.author ?? BOT_LOGIN).endsWith('[bot]') ? 'Bot' : 'User' };
  const comment = payload.comment as Record<string, unknown>;
  comment.id = commentId;
  comment.body = body;
  (comment.user as Record<string, unknown>).login = author;
  (comment.user as Record<string, unknown>).type = author.endsWith('[bot]') ? 'Bot' : 'User';
  (payload.sender as Record<string, unknown>).login = author;
  (payload.sender as Record<string, unknown>).type = author.endsWith('[bot]') ? 'Bot' : 'User';
  return { name: 'issue_comment', payload };
}

/** `check_run.rerequested` for the app's check (real example, renamed). */
export function checkRunRerequested(repo: MemoryRepository): WebhookEvent {
  const payload = pointAt(example('check_run', (e) => e.action === 'rerequested'), repo);
  (payload.check_run as Record<string, unknown>).name = 'osm2linkerd';
  return { name: 'check_run', payload };
}

export function installationRepositoriesAdded(...repos: MemoryRepository[]): WebhookEvent {
  const payload = example('installation_repositories', (e) => e.action === 'added');
  payload.repositories_added = repos.map((r, i) => ({ id: i + 1, node_id: `R${i}`, name: r.name, full_name: r.fullName, private: false }));
  payload.installation = { ...(payload.installation as object), id: INSTALLATION.id };
  return { name: 'installation_repositories', payload };
}

/**
 * `pull_request.closed` for a merged pull request of the memory repository (GitHub's example of a closed PR, set to
 * the record's number, branches, body and author, with `merged: true`).
 */
export function pullRequestMerged(repo: MemoryRepository, number: number): WebhookEvent {
  const payload = pointAt(example('pull_request', (e) => e.action === 'closed'), repo);
  const record = repo.pulls.find((p) => p.number === number);
  if (!record) throw new Error(`no pull request #${number}`);
  const pr = payload.pull_request as Record<string, unknown>;
  const author = record.author ?? BOT_LOGIN;
  Object.assign(pr, { number, state: 'closed', merged: true, merged_at: '2026-01-01T00:00:00Z', title: record.title, body: record.body });
  pr.user = { ...(pr.user as object), login: author, type: author.endsWith('[bot]') ? 'Bot' : 'User' };
  const side = (ref: string) => ({ ...(pr.head as object), ref, sha: repo.headOf(ref) ?? '', repo: { ...((pr.head as Record<string, unknown>).repo as object), name: repo.name, full_name: record.headRepository ?? repo.fullName } });
  pr.head = side(record.head);
  pr.base = { ...side(record.base), repo: { ...((pr.base as Record<string, unknown>).repo as object), name: repo.name, full_name: repo.fullName } };
  payload.number = number;
  return { name: 'pull_request', payload };
}
