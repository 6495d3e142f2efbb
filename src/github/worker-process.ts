import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { isMetricsMessage } from './child-metrics.ts';
import type { JobAttempt, JobHandler, RunJob } from './job-queue.ts';

interface JobMessage { readonly id: number; readonly job: RunJob; readonly attempt: JobAttempt }
interface DoneMessage { readonly id: number; readonly error?: string }

/**
 * The embedded queue's jobs run in a child process (this same entry point, `OSM2LINKERD_WORKER_PROCESS=1`), so the
 * translation never blocks the process that answers GitHub and the health checks. A child that dies fails the jobs
 * it had (the queue retries them) and is started again.
 */
export class WorkerProcess {
  readonly #entry: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #running = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #child: ChildProcess | undefined;
  #next = 0;
  #stopping = false;

  constructor(entry: string, env: NodeJS.ProcessEnv) {
    this.#entry = entry;
    this.#env = env;
  }

  start(): void {
    const child = fork(this.#entry, [], { env: { ...this.#env, OSM2LINKERD_WORKER_PROCESS: '1' }, stdio: 'inherit' });
    this.#child = child;
    // On a shared CPU the translation yields to the process that answers GitHub and the probes.
    if (child.pid !== undefined) lowerPriority(child.pid);
    child.on('message', (message: DoneMessage) => {
      if (isMetricsMessage(message)) return; // /metrics' own exchange (child-metrics.ts)
      const waiting = this.#running.get(message.id);
      this.#running.delete(message.id);
      if (message.error === undefined) waiting?.resolve();
      else waiting?.reject(new Error(message.error));
    });
    child.on('exit', (code, signal) => {
      for (const [id, waiting] of this.#running) {
        this.#running.delete(id);
        waiting.reject(new Error(`the worker process exited (${signal ?? code}) during the job`));
      }
      if (!this.#stopping) setTimeout(() => this.start(), 1_000).unref();
    });
  }

  /** The running child process, if any (for its metrics). */
  get process(): ChildProcess | undefined {
    return this.#child;
  }

  /** The queue's handler: the job goes to the child, its outcome comes back. */
  readonly handler: JobHandler = (job, attempt) => new Promise<void>((resolve, reject) => {
    const id = ++this.#next;
    const child = this.#child;
    if (!child?.connected) return reject(new Error('no worker process is running'));
    this.#running.set(id, { resolve, reject });
    child.send({ id, job, attempt } satisfies JobMessage);
  });

  /** Stops the child after its jobs: SIGTERM, which it answers by finishing them. */
  async stop(): Promise<void> {
    this.#stopping = true;
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** In the child: runs each job its parent sends with `run` and answers. */
export function serveJobs(run: JobHandler): void {
  process.on('message', (message: JobMessage) => {
    if (isMetricsMessage(message)) return; // /metrics' own exchange (child-metrics.ts)
    run(message.job, message.attempt).then(
      () => process.send?.({ id: message.id } satisfies DoneMessage),
      (error: unknown) => process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies DoneMessage),
    );
  });
}

/** Niceness of the worker process (Unix: 0 is normal, 19 the lowest priority). */
export const WORKER_NICENESS = 10;

function lowerPriority(pid: number): void {
  try {
    setPriority(pid, WORKER_NICENESS);
  } catch {
    // Not permitted (some containers forbid it): the worker keeps the normal priority.
  }
}
