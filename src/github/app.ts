import type { ApplicationFunction, Context, Probot } from 'probot';
import { isManifestCandidate } from '../core/index.ts';
import { handleCommand } from './commands.ts';
import { CONFIG_FILE, OctokitRepository } from './octokit-repository.ts';
import { ConcurrencyLimit, DeliveryLog, LruCache, RepositoryQueue } from './queue.ts';
import { observeJob, recordDelivery, recordFailure } from './metrics.ts';
import { runMigration, type Log, type RunContext, type RunOutcome, type RunRequest } from './run-migration.ts';

/** Repository runs one installation may have going at once: first PRs across a large organisation come a few at a time. */
export const RUNS_PER_INSTALLATION = 2;

export interface Osm2LinkerdApp {
  readonly appFn: ApplicationFunction;
  /** Resolves when every queued run has finished. */
  idle(): Promise<void>;
  /** Outcomes of finished runs, newest last (for logs, tests and the dry run). */
  readonly outcomes: RunOutcome[];
  readonly perInstallation: ConcurrencyLimit;
}

interface RepositoryRef { readonly owner: string; readonly repo: string }

/**
 * The Probot app: webhooks become queued runs (the handler returns at once; GitHub wants an answer within seconds),
 * single-flight per repository (its base is always the default branch, which installation payloads do not name, so
 * the repository alone is the key), each delivery handled once.
 */
export function createApp(): Osm2LinkerdApp {
  const outcomes: RunOutcome[] = [];
  let queue: RepositoryQueue | undefined;
  const deliveries = new DeliveryLog();
  const perInstallation = new ConcurrencyLimit(RUNS_PER_INSTALLATION);
  const configCache = new LruCache<{ raw: unknown }>(1_000);

  const appFn: ApplicationFunction = (app: Probot) => {
    // Every line a run logs carries the delivery that asked for it and the repository (JSON fields with LOG_FORMAT=json).
    const runLog = (context: Context, repository: string): Log => {
      const child = app.log.child({ deliveryId: context.id, event: context.name, repository });
      return { info: (m) => child.info(m), warn: (m) => child.warn(m) };
    };
    const runs = new RepositoryQueue((key, error) => {
      recordFailure(true);
      app.log.error({ err: error, repository: key }, `osm2linkerd run for ${key} failed`);
    });
    queue = runs;
    let botLogin: Promise<string> | undefined;
    // Asked once per process; a failed answer is forgotten so the next run asks again.
    const login = () => (botLogin ??= app.auth()
      .then(async (octokit) => `${(await octokit.rest.apps.getAuthenticated()).data?.slug ?? 'osm2linkerd'}[bot]`)
      .catch((error: unknown) => {
        botLogin = undefined;
        throw error;
      }));

    // A scan that joins one already waiting for the repository adds what it asks for (force, recheck) to it.
    const waiting = new Map<string, RunRequest>();
    const scan = (context: Context, ref: RepositoryRef, request: RunRequest, defaultBranch?: string, installation = 0): void => {
      const port = new OctokitRepository(context.octokit, ref.owner, ref.repo);
      const key = `${ref.owner}/${ref.repo}`;
      waiting.set(key, mergeRequests(waiting.get(key), request));
      void runs.scan(key, () => perInstallation.run(String(installation), () => timed(async () => {
        const merged = waiting.get(key) ?? request;
        waiting.delete(key);
        const ctx: RunContext = { port, configCache, botLogin: await login(), defaultBranch: defaultBranch ?? (await port.defaultBranch()), log: runLog(context, key) };
        const outcome = await runMigration(ctx, merged);
        outcomes.push(outcome);
        return outcome.status;
      })));
    };
    const once = (context: Context): boolean => {
      const first = deliveries.firstTime(context.id);
      if (!first) recordDelivery(context.name, 'duplicate');
      return first;
    };

    app.on('installation.created', (context) => {
      if (!once(context)) return;
      for (const r of context.payload.repositories ?? []) scan(context, split(r.full_name), {}, undefined, context.payload.installation.id);
    });
    app.on('installation_repositories.added', (context) => {
      if (!once(context)) return;
      for (const r of context.payload.repositories_added) scan(context, split(r.full_name), {}, undefined, context.payload.installation.id);
    });
    app.on('push', async (context) => {
      const { payload } = context;
      if (!once(context) || payload.ref !== `refs/heads/${payload.repository.default_branch}`) return;
      if (payload.repository.name === '.github' && touches(payload.commits, (p) => p.endsWith('osm2linkerd.yml'))) {
        // An org-wide config changed: every repository of the installation is evaluated again.
        configCache.forget(`${split(payload.repository.full_name).owner}/`);
        const repositories = await context.octokit.paginate(context.octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
        for (const r of repositories) scan(context, { owner: r.owner.login, repo: r.name }, {}, r.default_branch, payload.installation?.id);
        return;
      }
      if (!touches(payload.commits, (p) => isManifestCandidate(p) || p === CONFIG_FILE)) {
        runLog(context, payload.repository.full_name).info(`${payload.repository.full_name}: push changes no manifest; skipped`);
        return;
      }
      scan(context, split(payload.repository.full_name), {}, payload.repository.default_branch, payload.installation?.id);
    });
    app.on('pull_request.reopened', (context) => {
      // Someone reopened our closed pull request: that is a request to bring it up to date.
      const { pull_request: pr, repository: r } = context.payload;
      if (!once(context) || !(pr.body ?? '').includes('<!-- osm2linkerd:state ')) return;
      scan(context, split(r.full_name), { force: true }, r.default_branch, context.payload.installation?.id);
    });
    app.on('check_run.rerequested', (context) => {
      if (!once(context) || context.payload.check_run.name !== 'osm2linkerd') return;
      const r = context.payload.repository;
      scan(context, { owner: r.owner.login, repo: r.name }, { recheck: true, force: true }, r.default_branch, context.payload.installation?.id);
    });
    app.on('issue_comment.created', (context) => {
      const { payload } = context;
      if (!once(context) || context.isBot || !payload.issue.pull_request || !payload.comment.body.trimStart().toLowerCase().startsWith('/osm2linkerd')) return;
      const r = payload.repository;
      const port = new OctokitRepository(context.octokit, r.owner.login, r.name);
      void runs.run(`${r.owner.login}/${r.name}`, () => timed(async () => {
        const ctx: RunContext = { port, configCache, botLogin: await login(), defaultBranch: r.default_branch, log: runLog(context, r.full_name) };
        const result = await handleCommand(ctx, {
          commentId: payload.comment.id, body: payload.comment.body, author: payload.comment.user?.login ?? '', issueNumber: payload.issue.number,
          pullRequestAuthor: payload.issue.user?.login ?? null, pullRequestBody: payload.issue.body ?? '',
        });
        return `command-${result}`;
      }));
    });
  };

  return { appFn, outcomes, perInstallation, idle: async () => { await queue?.idle(); } };
}

/** Runs `task` and records its duration by outcome (`failed` when it throws). */
async function timed(task: () => Promise<string>): Promise<void> {
  const started = performance.now();
  let outcome = 'failed';
  try {
    outcome = await task();
  } finally {
    observeJob(outcome, (performance.now() - started) / 1000);
  }
}

function mergeRequests(a: RunRequest | undefined, b: RunRequest): RunRequest {
  if (!a) return b;
  return { force: (a.force ?? false) || (b.force ?? false), recheck: (a.recheck ?? false) || (b.recheck ?? false) };
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
