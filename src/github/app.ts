import type { ApplicationFunction, Context, Probot } from 'probot';
import { isManifestCandidate } from '../core/index.ts';
import { handleCommand } from './commands.ts';
import { MemoryJobQueue, repositoryKey, type JobAttempt, type JobHandler, type JobQueue, type RepositoryTarget, type RetryPolicy, type RunJob } from './job-queue.ts';
import { CONFIG_FILE } from './config.ts';
import { OctokitRepository } from './octokit-repository.ts';
import { botLoginOf } from './octokit.ts';
import { CHECK_RUN_NAME } from './repository-port.ts';
import { appendBounded, LruCache } from './queue.ts';
import { reconcile, redeliverFailed, type AppClient } from './recovery.ts';
import { observeJob, recordDelivery, recordFailure, recordRetry } from './metrics.ts';
import { reportFinalFailure } from './run-failure.ts';
import { runMigration, type Log, type RunContext, type RunOutcome, type RunRequest } from './run-migration.ts';
import { hasStateBlock } from './state.ts';

export { RUNS_PER_INSTALLATION } from './job-queue.ts';

export interface AppOptions {
  /** Where deliveries become jobs; default the embedded in-process queue. */
  readonly queue?: JobQueue;
  /** Retries of the embedded default queue (default: none, as tests and the dry run want one run per delivery). */
  readonly retry?: RetryPolicy;
  /** Take jobs from the queue in this process (default true; `WORKERS=0` makes a webhook-only replica). */
  readonly worker?: boolean;
}

export interface Osm2LinkerdApp {
  readonly appFn: ApplicationFunction;
  /** Resolves when every queued run has finished. */
  idle(): Promise<void>;
  /** Outcomes of the last RECENT_OUTCOMES finished runs in this process, newest last (for tests to read). */
  readonly outcomes: readonly RunOutcome[];
  readonly perInstallation: { readonly highWater: number };
  readonly queue: JobQueue;
  /** Enqueues the installations' repositories whose default-branch head was not translated yet; returns how many. */
  reconcile(): Promise<number>;
  /** Asks GitHub to redeliver this app's failed deliveries of the last 3 days; returns how many. */
  redeliverFailed(): Promise<number>;
  /** Runs one job here, as the queue's worker would (a worker process given jobs by its parent). */
  runJob(job: RunJob, attempt: JobAttempt): Promise<void>;
}

/**
 * Outcomes `outcomes` keeps. It is for tests; production reads the metrics and the logs. Each outcome holds its
 * plan, so an unbounded log would grow with every run for as long as the process lives.
 */
export const RECENT_OUTCOMES = 100;

interface RepositoryRef { readonly owner: string; readonly repo: string }

/**
 * The Probot app: webhook handlers only check, deduplicate and store jobs (GitHub's answer waits for the store, so
 * an acknowledged delivery is never lost with a durable queue); workers run them, single-flight per repository
 * (its base is always the default branch, which installation payloads do not name, so the repository alone is the
 * key). The HTTP entry (`http-entry.ts`) has verified the signature and the payload's shape before a handler runs.
 */
export function createApp(options: AppOptions = {}): Osm2LinkerdApp {
  const outcomes: RunOutcome[] = [];
  const queue = options.queue ?? new MemoryJobQueue(options.retry ?? { attempts: 1, backoffMs: 0 });
  const configCache = new LruCache<{ raw: unknown }>(1_000);
  let client: AppClient | undefined;
  let runJob: JobHandler | undefined;
  const ready = (): AppClient => {
    if (!client) throw new Error('the app is not loaded yet');
    return client;
  };

  const appFn: ApplicationFunction = async (app: Probot) => {
    const log = { info: (m: string) => app.log.info(m), warn: (m: string) => app.log.warn(m) };
    // Lines logged about a repository carry it as a JSON field (LOG_FORMAT=json), with the delivery when one is known.
    const logFor = (fields: Record<string, unknown>): Log => {
      const child = app.log.child(fields);
      return { info: (m) => child.info(m), warn: (m) => child.warn(m) };
    };
    let botLogin: Promise<string> | undefined;
    // Asked once per process; a failed answer is forgotten so the next run asks again.
    const login = () => (botLogin ??= app.auth()
      .then(botLoginOf)
      .catch((error: unknown) => {
        botLogin = undefined;
        throw error;
      }));
    client = { auth: (installation?: number) => app.auth(installation), log };

    const handler: JobHandler = async (job, attempt) => {
      const { target } = job;
      const repository = repositoryKey(target);
      const started = performance.now();
      let outcome = 'failed';
      if (attempt.attempt > 1) recordRetry();
      try {
        const port = new OctokitRepository(await app.auth(target.installation), target.owner, target.repo);
        const runLog = logFor({ repository, job: job.kind, attempt: attempt.attempt, ...(job.kind === 'command' ? { commentId: job.comment.commentId } : {}) });
        const ctx: RunContext = { port, configCache, botLogin: await login(), defaultBranch: target.defaultBranch ?? (await port.defaultBranch()), log: runLog };
        try {
          if (job.kind === 'command') outcome = `command-${await handleCommand(ctx, job.comment)}`;
          else {
            if (job.freshConfig) configCache.forget(`${repository}@`);
            const result = await runMigration(ctx, job.request);
            appendBounded(outcomes, result, RECENT_OUTCOMES);
            outcome = result.status;
          }
        } catch (error) {
          app.log.error({ err: error, repository, attempt: attempt.attempt }, `osm2linkerd ${job.kind} of ${repository} failed (attempt ${attempt.attempt}${attempt.last ? ', the last' : ''})`);
          if (attempt.last) await reportFinalFailure(ctx, job.kind, error).catch((e: unknown) => app.log.error({ err: e, repository }, `could not report the failure on ${repository}`));
          throw error;
        }
      } catch (error) {
        recordFailure(attempt.last);
        throw error;
      } finally {
        observeJob(outcome, (performance.now() - started) / 1000);
      }
    };
    runJob = handler;
    if (options.worker ?? true) await queue.work(handler);

    const enqueue = async (context: Context, jobs: RunJob[]): Promise<void> => {
      const stored = await queue.enqueue(context.id, jobs);
      const delivery = logFor({ deliveryId: context.id, event: context.name, repository: [...new Set(jobs.map((j) => repositoryKey(j.target)))].join(',') });
      delivery.info(`delivery ${context.id}: ${stored} jobs queued for ${jobs.map((j) => `${repositoryKey(j.target)} (${j.kind})`).join(', ') || 'no repository'}`);
      if (stored < jobs.length) {
        recordDelivery(context.name, 'duplicate');
        delivery.info(`delivery ${context.id}: ${jobs.length - stored} of ${jobs.length} jobs already stored`);
      }
    };
    const target = (ref: RepositoryRef, installation: number | undefined, defaultBranch?: string, head?: string): RepositoryTarget => ({
      installation: installation ?? 0, ...ref, ...(defaultBranch ? { defaultBranch } : {}), ...(head ? { head } : {}),
    });
    const scan = (t: RepositoryTarget, request: RunRequest = {}): RunJob & { kind: 'scan' } => ({ kind: 'scan', target: t, request });

    app.on('installation.created', (context) => enqueue(context,
      (context.payload.repositories ?? []).map((r) => scan(target(split(r.full_name), context.payload.installation.id)))));
    app.on('installation_repositories.added', (context) => enqueue(context,
      context.payload.repositories_added.map((r) => scan(target(split(r.full_name), context.payload.installation.id)))));
    app.on('push', async (context) => {
      const { payload } = context;
      if (payload.ref !== `refs/heads/${payload.repository.default_branch}`) return;
      if (payload.repository.name === '.github' && touches(payload.commits, (p) => p.endsWith('osm2linkerd.yml'))) {
        // An org-wide config changed: every repository of the installation is evaluated again, config read afresh.
        const repositories = await context.octokit.paginate(context.octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
        await enqueue(context, repositories.map((r) => ({ ...scan(target({ owner: r.owner.login, repo: r.name }, payload.installation?.id, r.default_branch)), freshConfig: true })));
        return;
      }
      if (!touches(payload.commits, (p) => isManifestCandidate(p) || p === CONFIG_FILE)) {
        logFor({ deliveryId: context.id, event: context.name, repository: payload.repository.full_name }).info(`${payload.repository.full_name}: push changes no manifest; skipped`);
        return;
      }
      await enqueue(context, [scan(target(split(payload.repository.full_name), payload.installation?.id, payload.repository.default_branch, payload.after))]);
    });
    app.on('pull_request.reopened', async (context) => {
      // Someone reopened our closed pull request: that is a request to bring it up to date.
      const { pull_request: pr, repository: r } = context.payload;
      // Ours only: opened by an app from a branch of this repository, carrying the state block (the run itself checks
      // that the PR it finds is the app's own).
      if (!hasStateBlock(pr.body ?? '') || pr.user?.type !== 'Bot' || pr.head.repo?.full_name !== r.full_name) return;
      await enqueue(context, [scan(target(split(r.full_name), context.payload.installation?.id, r.default_branch), { force: true })]);
    });
    app.on('pull_request.closed', async (context) => {
      // A phase of a series merged: the next phase moves onto the default branch and the checklist is updated (the
      // push of the merge would do it too, but a merge that changes no manifest path sends a push that is skipped).
      const { pull_request: pr, repository: r } = context.payload;
      if (!pr.merged || !PHASE_BRANCH.test(pr.head.ref) || !hasStateBlock(pr.body ?? '') || pr.user?.type !== 'Bot' || pr.head.repo?.full_name !== r.full_name) return;
      await enqueue(context, [scan(target(split(r.full_name), context.payload.installation?.id, r.default_branch))]);
    });
    app.on('check_run.rerequested', async (context) => {
      if (context.payload.check_run.name !== CHECK_RUN_NAME) return;
      const r = context.payload.repository;
      await enqueue(context, [scan(target({ owner: r.owner.login, repo: r.name }, context.payload.installation?.id, r.default_branch), { recheck: true, force: true })]);
    });
    app.on('issue_comment.created', async (context) => {
      const { payload } = context;
      if (context.isBot || !payload.issue.pull_request || !payload.comment.body.trimStart().toLowerCase().startsWith('/osm2linkerd')) return;
      const r = payload.repository;
      await enqueue(context, [{
        kind: 'command',
        target: { ...target({ owner: r.owner.login, repo: r.name }, payload.installation?.id), defaultBranch: r.default_branch },
        comment: {
          commentId: payload.comment.id, body: payload.comment.body, author: payload.comment.user?.login ?? '', issueNumber: payload.issue.number,
          pullRequestAuthor: payload.issue.user?.login ?? null, pullRequestBody: payload.issue.body ?? '',
        },
      }]);
    });
  };

  return {
    appFn, outcomes, queue,
    perInstallation: { get highWater() { return queue.highWater; } },
    idle: () => queue.idle(),
    reconcile: () => reconcile(ready(), queue),
    redeliverFailed: () => redeliverFailed(ready()),
    runJob: (job, attempt) => {
      if (!runJob) throw new Error('the app is not loaded yet');
      return runJob(job, attempt);
    },
  };
}

/** A phase's branch, `<prefix>migrate-<NN>-<slug>` (config.ts). */
const PHASE_BRANCH = /(^|\/)migrate-\d{2}-[a-z0-9-]+$/;

function split(fullName: string): RepositoryRef {
  const [owner = '', repo = ''] = fullName.split('/');
  return { owner, repo };
}

interface PushCommit { readonly added?: readonly string[]; readonly modified?: readonly string[]; readonly removed?: readonly string[] }

/** Whether the push changed a path that matters. A push whose file lists are missing is treated as relevant. */
function touches(commits: readonly PushCommit[], matters: (path: string) => boolean): boolean {
  if (commits.length === 0) return true;
  return commits.some((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].some(matters));
}
