#!/usr/bin/env node
import { fork, type ChildProcess } from 'node:child_process';
import { createProbot, run } from 'probot';
import { createApp } from './app.ts';
import { DEFAULT_RETRY, MemoryJobQueue, sleep, type JobQueue } from './job-queue.ts';
import { appOctokit } from './octokit.ts';
import { RedisJobQueue } from './redis-queue.ts';
import { answerMetricsRequests, askForMetrics } from './child-metrics.ts';
import { includeChildMetrics, observeQueueDepth } from './metrics.ts';
import { startServer } from './server.ts';

// Probot reads APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, … from the environment (.env.example); without them it serves the
// page that registers a new GitHub App from app.yml. The process model (docs/github-app.md, "Replicas"):
//   no REDIS_URL   one replica, in-process queue (nothing to install);
//   REDIS_URL      any number of replicas; each takes webhooks (WEBHOOKS=0: not) and runs jobs (WORKERS=0: not), the
//                  jobs in a child process so the HTTP event loop only answers.
const env = process.env;
const redisUrl = env.REDIS_URL;
const webhooks = env.WEBHOOKS !== '0' || !redisUrl;
const workers = env.WORKERS !== '0' || !redisUrl;
const forkWorker = Boolean(redisUrl) && webhooks && workers;
const reconcileHours = Number(env.RECONCILE_INTERVAL_HOURS ?? 24);
const graceMs = Number(env.SHUTDOWN_GRACE_SECONDS ?? 20) * 1_000;
const retry = { attempts: Number(env.RETRY_ATTEMPTS ?? DEFAULT_RETRY.attempts), backoffMs: Number(env.RETRY_BACKOFF_MS ?? DEFAULT_RETRY.backoffMs) };
const say = (message: string) => process.stderr.write(`osm2linkerd[${process.pid}]: ${message}\n`);

const queue: JobQueue = redisUrl
  ? new RedisJobQueue({ url: redisUrl, graceMs, ...(env.REDIS_PREFIX ? { prefix: env.REDIS_PREFIX } : {}), retry, ...(env.LEASE_MS ? { leaseMs: Number(env.LEASE_MS) } : {}), log: say })
  : new MemoryJobQueue(retry, (key, error) => say(`run for ${key} failed: ${error instanceof Error ? error.message : String(error)}`));
const app = createApp({ queue, worker: workers && !forkWorker });
observeQueueDepth(() => queue.depth());
// OSM2LINKERD_THROTTLE=0 turns Octokit's client-side throttling off (one write a second per process): only for the
// loopback tests and the load test against the in-memory GitHub.
const Octokit = appOctokit({ ...(env.OSM2LINKERD_THROTTLE === '0' ? { throttle: { enabled: false } } : {}), onSecondaryRateLimit: (owner, seconds) => void queue.pause(owner, Date.now() + seconds * 1_000) });

// Probot would also take REDIS_URL for its own Redis-clustered request throttling, whose slots a killed replica keeps
// until they time out: the queue already shares the rate-limit pauses, so Probot throttles per process.
const probotEnv = { ...env, REDIS_URL: undefined };

// With credentials, the app's own HTTP entry (limits, signature before parsing, /healthz, /readyz, /metrics) serves
// webhook replicas and worker-only replicas (probes and metrics); a worker forked by a webhook replica serves nothing.
const credentials = Boolean(env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH));
const readiness = [{ name: 'queue', check: async () => { if (!(await queue.healthy())) throw new Error('the queue store (Redis) does not answer'); } }];
let server: { stop(): Promise<void> } | undefined;
let loaded = credentials;
if (credentials && !process.send) {
  const running = await startServer(app.appFn, { Octokit, readiness, webhooks, env: probotEnv });
  server = { stop: running.close };
} else if (webhooks) server = await run(app.appFn, { Octokit, env: probotEnv });
else {
  await createProbot({ overrides: { Octokit }, env: probotEnv }).load(app.appFn);
  loaded = true;
}

// A worker process whose parent died goes too (the parent's replacement starts its own); its job is handed back by
// its expiring leases.
if (process.send) process.on('disconnect', () => process.exit(1));

let child: ChildProcess | undefined;
let stopping = false;
const startWorker = (): void => {
  const started = fork(import.meta.filename, [], { env: { ...env, WEBHOOKS: '0' }, stdio: 'inherit' });
  child = started;
  started.on('exit', (code, signal) => {
    if (stopping) return;
    say(`worker process exited (${signal ?? code}); starting another`);
    void sleep(1_000).then(startWorker);
  });
};
if (forkWorker) {
  startWorker();
  // The jobs' metrics live in the worker process: /metrics here merges them in.
  includeChildMetrics(() => askForMetrics(child));
}
if (process.send) answerMetricsRequests();

let reconciling: NodeJS.Timeout | undefined;
if (loaded && workers && !forkWorker) {
  // On start: what GitHub could not deliver, and what no webhook announced; then the reconcile every interval.
  const recover = async (first: boolean) => {
    const interval = reconcileHours * 3_600_000;
    // Replicas started together (a rollout) recover once; the periodic reconcile runs once per interval.
    if (!(await queue.claim(first ? 'start' : 'reconcile', first ? 10_000 : Math.max(60_000, interval / 2)))) return;
    if (first) await app.redeliverFailed().catch((error: unknown) => say(`redelivery of failed deliveries: ${String(error)}`));
    // RECONCILE_INTERVAL_HOURS=0: no reconcile at all.
    if (reconcileHours > 0) await app.reconcile().catch((error: unknown) => say(`reconcile: ${String(error)}`));
  };
  void recover(true);
  if (reconcileHours > 0) reconciling = setInterval(() => void recover(false), reconcileHours * 3_600_000).unref();
}

// SIGTERM: stop accepting, let the running jobs finish (or hand them back after the grace period), then exit.
process.once('SIGTERM', () => {
  stopping = true;
  clearInterval(reconciling);
  void (async () => {
    await server?.stop().catch(() => {});
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await queue.close().catch((error: unknown) => say(`closing the queue: ${String(error)}`));
    process.exit(0);
  })();
});
