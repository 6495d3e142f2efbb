import type { CommandComment } from './commands.ts';
import { ConcurrencyLimit, DeliveryLog, RepositoryQueue } from './queue.ts';
import type { RunRequest } from './run-migration.ts';

/** Where a job runs: the repository and the installation whose token reads and writes it. */
export interface RepositoryTarget {
  readonly installation: number;
  readonly owner: string;
  readonly repo: string;
  /** Known from the payload (push, pull_request…); installation events do not name it, so the worker asks. */
  readonly defaultBranch?: string;
  /** The default-branch head the delivery was about (push `after`, reconcile): recorded as translated on success. */
  readonly head?: string;
}

/**
 * What a worker does for one repository. Scans of one repository coalesce into one waiting job (their requests
 * merged); each command is its own job (each is answered), run under the same repository lock.
 */
export type RunJob =
  | { readonly kind: 'scan'; readonly target: RepositoryTarget; readonly request: RunRequest; /** An org-wide config changed: read it afresh. */ readonly freshConfig?: boolean }
  | { readonly kind: 'command'; readonly target: RepositoryTarget & { readonly defaultBranch: string }; readonly comment: CommandComment };

export interface JobAttempt {
  /** 1 for the first run of the job. */
  readonly attempt: number;
  /** No retry follows if this attempt fails: the handler reports the failure where people see it. */
  readonly last: boolean;
}

export type JobHandler = (job: RunJob, attempt: JobAttempt) => Promise<void>;

export interface RetryPolicy {
  /** Runs of a failing job, the first included. */
  readonly attempts: number;
  /** Wait before the n-th retry: backoffMs × 2^(n-1). */
  readonly backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, backoffMs: 10_000 };

/** GitHub keeps a delivery for redelivery 3 days: what recovery asks about, and how long delivery ids are remembered. */
export const DELIVERY_WINDOW_SECONDS = 3 * 24 * 3600;

/** Running jobs' time to finish at shutdown before they are handed back (SHUTDOWN_GRACE_SECONDS overrides it). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 20_000;

/**
 * Default-branch heads whose run succeeded, per `owner/repo`. The reconcile reads what was translated from the
 * PR's hidden state; this record spares it that read, and covers what the state cannot: repositories without a PR
 * and runs whose unchanged translation left the PR body (state included) as it was.
 */
export interface TranslatedHeads {
  get(repository: string): Promise<string | undefined>;
  set(repository: string, head: string): Promise<void>;
}

/**
 * The app's durable work list: webhook handlers `enqueue` (the answer to GitHub waits for it), workers `work`.
 * In-process (`MemoryJobQueue`, one replica, `npm start` with nothing installed) or Redis-backed (`RedisJobQueue`,
 * any number of replicas), same behaviour: deliveries deduplicated per repository when stored, scans coalesced,
 * one run per repository at a time, a few per installation, failed runs retried with backoff.
 */
export interface JobQueue {
  /** Stores the jobs of one delivery; a delivery id already stored for a repository adds nothing. Returns the jobs stored. */
  enqueue(deliveryId: string, jobs: readonly RunJob[]): Promise<number>;
  /** Starts taking jobs (a worker replica). */
  work(handler: JobHandler): Promise<void>;
  /** Resolves when nothing is queued or running here (tests, the dry run). */
  idle(): Promise<void>;
  /** Stops taking jobs, finishes the running ones or hands them back, and lets go of connections. */
  close(): Promise<void>;
  /** False when the queue's store cannot be reached (readiness). */
  healthy(): Promise<boolean>;
  /** Jobs by state (`waiting`, `active`, `delayed` for a retry's backoff, …) for the queue-depth metric. */
  depth(): Promise<Readonly<Record<string, number>>>;
  /** Waits (without running anything for the installation's account) until `until`: GitHub's secondary rate limit. */
  pause(owner: string, until: number): Promise<void>;
  /** True for one caller per `ttlMs` across replicas (the periodic reconcile runs once, not once per replica). */
  claim(name: string, ttlMs: number): Promise<boolean>;
  readonly translated: TranslatedHeads;
  /** The most runs one installation had at once in this process. */
  readonly highWater: number;
}

export function repositoryKey(target: { readonly owner: string; readonly repo: string }): string {
  return `${target.owner}/${target.repo}`;
}

/** Two scans of one repository as one: what either asked for, the newer delivery's target. */
export function mergeScans(a: (RunJob & { kind: 'scan' }) | undefined, b: RunJob & { kind: 'scan' }): RunJob & { kind: 'scan' } {
  if (!a) return b;
  const force = (a.request.force ?? false) || (b.request.force ?? false);
  const recheck = (a.request.recheck ?? false) || (b.request.recheck ?? false);
  return {
    kind: 'scan',
    target: { ...a.target, ...b.target },
    request: { ...(force ? { force } : {}), ...(recheck ? { recheck } : {}) },
    ...(a.freshConfig || b.freshConfig ? { freshConfig: true } : {}),
  };
}

/** Repository runs one installation may have going at once: first PRs across a large organisation come a few at a time. */
export const RUNS_PER_INSTALLATION = 2;

/** The embedded queue: one process, nothing to install. Work is lost if the process dies (use Redis for that). */
export class MemoryJobQueue implements JobQueue {
  readonly #runs: RepositoryQueue;
  readonly #deliveries = new DeliveryLog();
  readonly #perInstallation = new ConcurrencyLimit(RUNS_PER_INSTALLATION);
  readonly #waiting = new Map<string, { job: RunJob & { kind: 'scan' }; deliveries: string[] }>();
  readonly #pauses = new Map<string, number>();
  readonly #heads = new Map<string, string>();
  readonly #retry: RetryPolicy;
  readonly #timers = new Set<Promise<void>>();
  #handler: JobHandler | undefined;
  #closed = false;
  #active = 0;

  readonly translated: TranslatedHeads = {
    get: (repository) => Promise.resolve(this.#heads.get(repository)),
    set: (repository, head) => {
      this.#heads.set(repository, head);
      return Promise.resolve();
    },
  };

  constructor(retry: RetryPolicy = DEFAULT_RETRY, onError: (key: string, error: unknown) => void = () => {}) {
    this.#retry = retry;
    this.#runs = new RepositoryQueue(onError);
  }

  get highWater(): number {
    return this.#perInstallation.highWater;
  }

  enqueue(deliveryId: string, jobs: readonly RunJob[]): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('the queue is shutting down'));
    let stored = 0;
    for (const job of jobs) {
      const key = repositoryKey(job.target);
      const id = job.kind === 'command' ? `${deliveryId}#${key}#${job.comment.commentId}` : `${deliveryId}#${key}`;
      if (!this.#deliveries.firstTime(id)) continue;
      stored++;
      if (job.kind === 'command') {
        void this.#runs.run(key, () => this.#attempt(job, [id], 1));
        continue;
      }
      const waiting = this.#waiting.get(key);
      this.#waiting.set(key, { job: mergeScans(waiting?.job, job), deliveries: [...(waiting?.deliveries ?? []), id] });
      void this.#runs.scan(key, async () => {
        const taken = this.#waiting.get(key);
        this.#waiting.delete(key);
        if (taken) await this.#attempt(taken.job, taken.deliveries, 1);
      });
    }
    return Promise.resolve(stored);
  }

  work(handler: JobHandler): Promise<void> {
    this.#handler = handler;
    return Promise.resolve();
  }

  async #attempt(job: RunJob, deliveries: readonly string[], attempt: number): Promise<void> {
    const handler = this.#handler;
    if (!handler) throw new Error('no worker: the embedded queue runs jobs in the process that receives them');
    const key = repositoryKey(job.target);
    const pausedUntil = this.#pauses.get(job.target.owner) ?? 0;
    if (pausedUntil > Date.now()) await sleep(pausedUntil - Date.now());
    const last = attempt >= this.#retry.attempts;
    try {
      await this.#perInstallation.run(String(job.target.installation), async () => {
        this.#active++;
        try {
          await handler(job, { attempt, last });
        } finally {
          this.#active--;
        }
      });
      if (job.kind === 'scan' && job.target.head) this.#heads.set(key, job.target.head);
    } catch (error) {
      if (last || this.#closed) {
        // Failed for good: a redelivery of the same delivery runs it again.
        for (const id of deliveries) this.#deliveries.forget(id);
        throw error;
      }
      const retry = sleep(this.#retry.backoffMs * 2 ** (attempt - 1)).then(() => {
        this.#timers.delete(retry);
        if (!this.#closed) void this.#runs.run(key, () => this.#attempt(job, deliveries, attempt + 1));
      });
      this.#timers.add(retry);
      throw error;
    }
  }

  async idle(): Promise<void> {
    do {
      await this.#runs.idle();
      await Promise.all([...this.#timers]);
    } while (this.#timers.size > 0);
    await this.#runs.idle();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#runs.idle();
  }

  healthy(): Promise<boolean> {
    return Promise.resolve(true);
  }

  depth(): Promise<Readonly<Record<string, number>>> {
    return Promise.resolve({ waiting: this.#waiting.size, active: this.#active, delayed: this.#timers.size });
  }

  claim(): Promise<boolean> {
    return Promise.resolve(true);
  }

  pause(owner: string, until: number): Promise<void> {
    this.#pauses.set(owner, Math.max(until, this.#pauses.get(owner) ?? 0));
    return Promise.resolve();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
