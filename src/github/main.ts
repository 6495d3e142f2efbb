#!/usr/bin/env node
import { createProbot, run, type Server } from 'probot';
import { createApp } from './app.ts';
import { DEFAULT_RETRY, DEFAULT_SHUTDOWN_GRACE_MS, MemoryJobQueue, sleep, type JobQueue } from './job-queue.ts';
import { includeChildMetrics, observeQueueDepth } from './metrics.ts';
import { appOctokit } from './octokit.ts';
import { RedisJobQueue } from './redis-queue.ts';
import { answerMetricsRequests, askForMetrics } from './child-metrics.ts';
import { startServer } from './server.ts';
import { serveJobs, WorkerProcess } from './worker-process.ts';

// Probot reads APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, … from the environment (.env.example); without them it serves the
// page that registers a new GitHub App from app.yml. The process model (docs/github-app.md, "Queue and replicas"):
//   no REDIS_URL   one replica, in-process queue (nothing to install); its jobs run in a worker process;
//   REDIS_URL      any number of replicas; each takes webhooks (WEBHOOKS=0: not) and runs jobs (WORKERS=0: not), the
//                  jobs in a worker process of its own when it does both, so the HTTP event loop only answers.
const env = process.env;
const redisUrl = env.REDIS_URL;
const workerProcess = env.OSM2LINKERD_WORKER_PROCESS === '1';
const webhooks = !workerProcess && (env.WEBHOOKS !== '0' || !redisUrl);
const workers = workerProcess || env.WORKERS !== '0' || !redisUrl;
const loaded = Boolean(env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH));
// A replica that answers webhooks hands its jobs to a worker process (a worker-only replica runs them itself).
const forkWorker = loaded && webhooks && workers;
const reconcileHours = Number(env.RECONCILE_INTERVAL_HOURS ?? 24);
const graceMs = env.SHUTDOWN_GRACE_SECONDS === undefined ? DEFAULT_SHUTDOWN_GRACE_MS : Number(env.SHUTDOWN_GRACE_SECONDS) * 1_000;
const retry = { attempts: Number(env.RETRY_ATTEMPTS ?? DEFAULT_RETRY.attempts), backoffMs: Number(env.RETRY_BACKOFF_MS ?? DEFAULT_RETRY.backoffMs) };
const say = (message: string) => process.stderr.write(`osm2linkerd[${process.pid}]: ${message}\n`);

// Every request this process makes to GitHub, so a shutdown can stop them before handing its running jobs back.
let fenced = false;
let inFlight = 0;
const fencedFetch = (inner: typeof fetch): typeof fetch => async (input, init) => {
  if (fenced) throw new Error('shutting down: this run was handed back to the queue');
  inFlight++;
  try {
    return await inner(input, init);
  } finally {
    inFlight--;
  }
};
const fence = async () => {
  fenced = true;
  const deadline = Date.now() + 5_000;
  while (inFlight > 0 && Date.now() < deadline) await sleep(20);
  if (inFlight > 0) say(`shutdown: ${inFlight} requests to GitHub still unanswered; handing the jobs back all the same`);
};

const queue: JobQueue = redisUrl
  ? new RedisJobQueue({
    url: redisUrl, graceMs, retry, log: say, fence,
    ...(env.REDIS_PREFIX ? { prefix: env.REDIS_PREFIX } : {}),
    ...(env.LEASE_MS ? { leaseMs: Number(env.LEASE_MS) } : {}),
    ...(env.WORKER_CONCURRENCY ? { concurrency: Number(env.WORKER_CONCURRENCY) } : {}),
  })
  : new MemoryJobQueue(retry, (key, error) => say(`run for ${key} failed: ${error instanceof Error ? error.message : String(error)}`));
// The embedded queue lives in the parent: its worker process only runs the jobs it is handed.
const app = createApp({ queue, worker: workers && !forkWorker && !(workerProcess && !redisUrl) });
// OSM2LINKERD_THROTTLE=0 turns Octokit's client-side throttling off (one write a second per process): only for the
// loopback tests and the load test against the in-memory GitHub.
const Octokit = appOctokit({ ...(env.OSM2LINKERD_THROTTLE === '0' ? { throttle: { enabled: false } } : {}), onSecondaryRateLimit: (owner, seconds) => void queue.pause(owner, Date.now() + seconds * 1_000) })
  .defaults((options: Record<string, unknown>) => {
    const request = (options.request ?? {}) as { fetch?: typeof fetch };
    return { ...options, request: { ...request, fetch: fencedFetch(request.fetch ?? globalThis.fetch) } };
  });

// Probot would also take REDIS_URL for its own Redis-clustered request throttling, whose slots a killed replica keeps
// until they time out: the queue already shares the rate-limit pauses, so Probot throttles per process.
const probotEnv = { ...env, REDIS_URL: undefined };

observeQueueDepth(() => queue.depth());
const readiness = [{ name: 'queue', check: async () => { if (!(await queue.healthy())) throw new Error('the queue store (Redis) does not answer'); } }];
let server: { stop(): Promise<unknown> } | undefined;
// A worker process serves nothing (its parent answers HTTP); a worker-only replica serves health, readiness and metrics.
if (workerProcess) await createProbot({ overrides: { Octokit }, env: probotEnv }).load(app.appFn);
else if (loaded) {
  const running = await startServer(app.appFn, { Octokit, readiness, webhooks, env: probotEnv });
  server = { stop: running.close };
} else server = await run(app.appFn, { Octokit, env: probotEnv }) satisfies Server;

let worker: WorkerProcess | undefined;
if (workerProcess) {
  // A worker process whose parent died goes too (the parent's replacement starts its own); with Redis its job is
  // handed back by its expiring leases, without it the parent's retry runs it again.
  process.on('disconnect', () => process.exit(1));
  if (!redisUrl) serveJobs(app.runJob);
  answerMetricsRequests();
} else if (forkWorker) {
  const started = new WorkerProcess(import.meta.filename, { ...env, WEBHOOKS: '0' });
  worker = started;
  started.start();
  if (!redisUrl) await queue.work(started.handler);
  // The jobs' metrics live in the worker process: /metrics here merges them in.
  includeChildMetrics(() => askForMetrics(started.process));
}

let reconciling: NodeJS.Timeout | undefined;
// Recovery runs where the queue's worker is: the worker process with Redis, the parent without.
if (loaded && workers && (redisUrl ? !forkWorker : !workerProcess)) {
  // On start: what GitHub could not deliver, and what no webhook announced; then the reconcile every interval.
  const recover = async (first: boolean) => {
    // Every worker that starts asks for the failed deliveries (one GitHub sends twice is absorbed by its delivery id):
    // a replica restarted after a crash must not be kept from it by the others' start.
    if (first) await app.redeliverFailed().catch((error: unknown) => say(`redelivery of failed deliveries: ${String(error)}`));
    // RECONCILE_INTERVAL_HOURS=0: no reconcile at all. Replicas started together (a rollout) reconcile once; the
    // periodic reconcile runs once per interval.
    const interval = reconcileHours * 3_600_000;
    if (reconcileHours <= 0 || !(await queue.claim(first ? 'start' : 'reconcile', first ? 10_000 : Math.max(60_000, interval / 2)))) return;
    await app.reconcile().catch((error: unknown) => say(`reconcile: ${String(error)}`));
  };
  void recover(true);
  if (reconcileHours > 0) reconciling = setInterval(() => void recover(false), reconcileHours * 3_600_000).unref();
}

// SIGTERM: stop accepting, let the running jobs finish (or hand them back after the grace period), then exit.
process.once('SIGTERM', () => {
  clearInterval(reconciling);
  void (async () => {
    await server?.stop().catch(() => {});
    // Embedded: the queue first (its running jobs finish in the worker process), then the worker process.
    if (!redisUrl) await queue.close().catch((error: unknown) => say(`closing the queue: ${String(error)}`));
    await worker?.stop();
    await queue.close().catch((error: unknown) => say(`closing the queue: ${String(error)}`));
    process.exit(0);
  })();
});
