import type { ApplicationFunction, Context, Probot } from 'probot';
import { isManifestCandidate } from '../core/index.ts';
import { handleCommand } from './commands.ts';
import { MemoryJobQueue, repositoryKey, type JobAttempt, type JobHandler, type JobQueue, type RepositoryTarget, type RetryPolicy, type RunJob } from './job-queue.ts';
import { CONFIG_FILE, OctokitRepository } from './octokit-repository.ts';
import { LruCache } from './queue.ts';
import { reconcile, redeliverFailed, type AppClient } from './recovery.ts';
import { reportFinalFailure } from './run-failure.ts';
import { runMigration, type RunContext, type RunOutcome, type RunRequest } from './run-migration.ts';

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
  /** Outcomes of finished runs in this process, newest last (for logs, tests and the dry run). */
  readonly outcomes: RunOutcome[];
  readonly perInstallation: { readonly highWater: number };
  readonly queue: JobQueue;
  /** Enqueues the installations' repositories whose default-branch head was not translated yet; returns how many. */
  reconcile(): Promise<number>;
  /** Asks GitHub to redeliver this app's failed deliveries of the last 3 days; returns how many. */
  redeliverFailed(): Promise<number>;
  /** Runs one job here, as the queue's worker would (a worker process given jobs by its parent). */
  runJob(job: RunJob, attempt: JobAttempt): Promise<void>;
}

interface RepositoryRef { readonly owner: string; readonly repo: string }

/**
 * The Probot app: webhook handlers only check, deduplicate and store jobs (GitHub's answer waits for the store, so
 * an acknowledged delivery is never lost with a durable queue); workers run them, single-flight per repository
 * (its base is always the default branch, which installation payloads do not name, so the repository alone is the
 * key). Probot has verified the signature before a handler runs.
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
    let botLogin: Promise<string> | undefined;
    // Asked once per process; a failed answer is forgotten so the next run asks again.
    const login = () => (botLogin ??= app.auth()
      .then(async (octokit) => `${(await octokit.rest.apps.getAuthenticated()).data?.slug ?? 'osm2linkerd'}[bot]`)
      .catch((error: unknown) => {
        botLogin = undefined;
        throw error;
      }));
    client = { auth: (installation?: number) => app.auth(installation), log };

    const handler: JobHandler = async (job, attempt) => {
      const { target } = job;
      const port = new OctokitRepository(await app.auth(target.installation), target.owner, target.repo);
      const ctx: RunContext = { port, configCache, botLogin: await login(), defaultBranch: target.defaultBranch ?? (await port.defaultBranch()), log };
      try {
        if (job.kind === 'command') await handleCommand(ctx, job.comment);
        else {
          if (job.freshConfig) configCache.forget(`${repositoryKey(target)}@`);
          outcomes.push(await runMigration(ctx, job.request));
        }
      } catch (error) {
        app.log.error({ err: error }, `osm2linkerd ${job.kind} of ${repositoryKey(target)} failed (attempt ${attempt.attempt}${attempt.last ? ', the last' : ''})`);
        if (attempt.last) await reportFinalFailure(ctx, job.kind, error).catch((e: unknown) => app.log.error({ err: e }, `could not report the failure on ${repositoryKey(target)}`));
        throw error;
      }
    };
    runJob = handler;
    if (options.worker ?? true) await queue.work(handler);

    const enqueue = async (context: Context, jobs: RunJob[]): Promise<void> => {
      const stored = await queue.enqueue(context.id, jobs);
      if (stored < jobs.length) app.log.info(`delivery ${context.id}: ${jobs.length - stored} of ${jobs.length} jobs already stored`);
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
        app.log.info(`${payload.repository.full_name}: push changes no manifest; skipped`);
        return;
      }
      await enqueue(context, [scan(target(split(payload.repository.full_name), payload.installation?.id, payload.repository.default_branch, payload.after))]);
    });
    app.on('pull_request.reopened', async (context) => {
      // Someone reopened our closed pull request: that is a request to bring it up to date.
      const { pull_request: pr, repository: r } = context.payload;
      if (!(pr.body ?? '').includes('<!-- osm2linkerd:state ')) return;
      await enqueue(context, [scan(target(split(r.full_name), context.payload.installation?.id, r.default_branch), { force: true })]);
    });
    app.on('check_run.rerequested', async (context) => {
      if (context.payload.check_run.name !== 'osm2linkerd') return;
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
        comment: { commentId: payload.comment.id, body: payload.comment.body, author: payload.comment.user?.login ?? '', issueNumber: payload.issue.number },
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
