import type { ApplicationFunction, Context, Probot } from 'probot';
import { handleCommand } from './commands.ts';
import { onCheckRun } from './handlers/check-run.ts';
import { onInstallationRepositories } from './handlers/installation-repositories.ts';
import { onInstallation } from './handlers/installation.ts';
import { onIssueComment } from './handlers/issue-comment.ts';
import { onPullRequest } from './handlers/pull-request.ts';
import { onPush } from './handlers/push.ts';
import { MemoryJobQueue, repositoryKey, type JobAttempt, type JobHandler, type JobQueue, type RetryPolicy, type RunJob } from './job-queue.ts';
import { OctokitRepository } from './octokit-repository.ts';
import { botLoginOf } from './octokit.ts';
import { appendBounded, LruCache } from './queue.ts';
import { reconcile, redeliverFailed, type AppClient } from './recovery.ts';
import { observeJob, recordDelivery, recordFailure, recordRetry } from './metrics.ts';
import { reportFinalFailure } from './run-failure.ts';
import { runMigration, type Log, type RunContext, type RunOutcome } from './run-migration.ts';

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
    for (const register of [onInstallation, onInstallationRepositories, onPush, onPullRequest, onCheckRun, onIssueComment]) register(app, { enqueue, logFor });
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
