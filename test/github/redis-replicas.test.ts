import { randomUUID } from 'node:crypto';
import type { Probot } from 'probot';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type Osm2LinkerdApp } from '../../src/github/app.ts';
import { memoryProbot } from '../../src/github/dry-run.ts';
import { MemoryGitHub, type MemoryRepository } from '../../src/github/memory/memory-github.ts';
import { RedisJobQueue } from '../../src/github/redis-queue.ts';
import { FAILED_MARKER } from '../../src/github/run-failure.ts';
import { installationCreated, pushToDefault, type WebhookEvent } from '../support/github.ts';
import { redisAvailable, redisForTests, type RedisServer } from '../support/redis.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

const BRANCH = 'osm2linkerd/migrate';
const bookstore = () => Object.fromEntries(readTree(`${EXAMPLES}bookstore`));

interface Replica { readonly probot: Probot; readonly app: Osm2LinkerdApp }

/** `n` app replicas in this process, each with its own BullMQ queue, worker and Probot, sharing one Redis and one GitHub. */
async function replicas(n: number, url: string, github: MemoryGitHub, attempts = 3): Promise<Replica[]> {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const all: Replica[] = [];
  for (let i = 0; i < n; i++) {
    const queue = new RedisJobQueue({ url, prefix, retry: { attempts, backoffMs: 50 }, leaseMs: 3_000, graceMs: 2_000 });
    const app = createApp({ queue });
    const probot = memoryProbot(github, undefined, 'fatal');
    await probot.load(app.appFn);
    all.push({ probot, app });
  }
  open.push(...all);
  return all;
}

const open: Replica[] = [];
const closing: RedisJobQueue[] = [];
afterEach(async () => {
  await Promise.all([...open.splice(0).map((r) => r.app.queue.close()), ...closing.splice(0).map((q) => q.close())]);
});

function receive(replica: Replica | undefined, event: WebhookEvent, id: string): Promise<void> {
  if (!replica) throw new Error('no replica');
  return replica.probot.receive({ id, name: event.name, payload: event.payload } as Parameters<Probot['receive']>[0]);
}

function fingerprints(repo: MemoryRepository): (string | undefined)[] {
  return repo.reviewComments.map((c) => /fp=(\S+)/.exec(c.body)?.[1]);
}

describe.skipIf(!redisAvailable())('replicas sharing one Redis (BullMQ) and one GitHub', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await redisForTests();
  });
  afterAll(() => redis.stop());

  it('the same push ×10 to three replicas: one branch, one PR, one review, no duplicate comment, one check run per head', async () => {
    const github = new MemoryGitHub();
    const repo = github.addRepository('acme', 'mesh', bookstore());
    const three = await replicas(3, redis.url, github);
    const push = pushToDefault(repo, ['bookstore/traffic-access.yaml']);
    // Five redeliveries of one delivery and five distinct deliveries of the same push, spread over the replicas.
    await Promise.all(Array.from({ length: 10 }, (_, i) => receive(three[i % 3], push, i < 5 ? 'push-1' : `push-${i}`)));
    await three[0]?.app.idle();
    expect([...repo.refs.keys()].sort()).toEqual(['main', BRANCH]);
    expect(repo.pulls).toHaveLength(1);
    expect(repo.reviews).toHaveLength(1);
    expect(new Set(fingerprints(repo)).size).toBe(repo.reviewComments.length);
    expect(repo.checkRuns).toHaveLength(new Set(repo.checkRuns.map((c) => c.headSha)).size);
    expect(repo.checkRuns).toHaveLength(1);
    const opened = three.flatMap((r) => r.app.outcomes).filter((o) => o.status === 'opened');
    expect(opened).toHaveLength(1);
  });

  it('an installation on many repositories runs at most two of them at once across all replicas', async () => {
    const github = new MemoryGitHub();
    const repos = Array.from({ length: 6 }, (_, i) => github.addRepository('acme', `mesh-${i}`, bookstore()));
    const three = await replicas(3, redis.url, github);
    let running = 0;
    let most = 0;
    // A run is "on" from reading its default branch to posting its check run.
    github.beforeRequest = (method, path) => {
      if (method === 'GET' && /\/branches\/main$/.test(path)) most = Math.max(most, ++running);
      if (method === 'POST' && path.endsWith('/check-runs')) running--;
    };
    await receive(three[0], installationCreated(...repos), 'install-1');
    await three[0]?.app.idle();
    expect(repos.map((r) => r.pulls.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBeGreaterThanOrEqual(1);
  });

  it('a failed run is retried with backoff and succeeds', async () => {
    const github = new MemoryGitHub();
    const repo = github.addRepository('acme', 'mesh', bookstore());
    const [one] = await replicas(1, redis.url, github);
    github.fail({ method: 'POST', path: /\/pulls$/, status: 500, times: 1 });
    await receive(one, installationCreated(repo), 'install-retry');
    await one?.app.idle();
    expect(github.requests.filter((r) => r.status === 500)).toHaveLength(1);
    expect(repo.pulls).toHaveLength(1);
    expect(repo.checkRuns).toHaveLength(1);
    expect(one?.app.outcomes.map((o) => o.status)).toEqual(['opened']);
  });

  it('a run failing every attempt leaves a note on the PR; a redelivery of that delivery runs it again', async () => {
    const github = new MemoryGitHub();
    const repo = github.addRepository('acme', 'mesh', bookstore());
    const [one, two] = await replicas(2, redis.url, github, 2);
    await receive(one, installationCreated(repo), 'install');
    await one?.app.idle();
    repo.commitFiles('main', { 'extra/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n  annotations:\n    openservicemesh.io/sidecar-injection: enabled\n' }, 'octocat');
    github.fail({ method: 'POST', path: /\/git\/trees$/, status: 500, times: 2 });
    const push = pushToDefault(repo, ['extra/namespace.yaml']);
    await receive(one, push, 'push-that-fails');
    await one?.app.idle();
    expect(github.requests.filter((r) => r.status === 500)).toHaveLength(2);
    const notes = repo.issueComments.filter((c) => c.body.includes(FAILED_MARKER));
    expect(notes).toHaveLength(1);
    expect(repo.filesOn(BRANCH).get('extra/namespace.yaml') ?? '').not.toContain('linkerd.io/inject');
    // GitHub's "Redeliver" sends the same delivery id again, to any replica: it runs now.
    await receive(two, push, 'push-that-fails');
    await one?.app.idle();
    expect(repo.filesOn(BRANCH).get('extra/namespace.yaml')).toContain('linkerd.io/inject');
    expect(repo.pulls).toHaveLength(1);
    // A delivery that succeeded is not run again when it is redelivered.
    const runs = [one, two].flatMap((r) => r?.app.outcomes ?? []).length;
    await receive(one, push, 'push-that-fails');
    await one?.app.idle();
    expect([one, two].flatMap((r) => r?.app.outcomes ?? [])).toHaveLength(runs);
  });

  it('a replica that died between storing a delivery and queueing its job: GitHub\'s redelivery of the unanswered delivery runs it', async () => {
    const github = new MemoryGitHub();
    const repo = github.addRepository('acme', 'mesh', bookstore());
    const [one, two] = await replicas(2, redis.url, github);
    // The delivery id and its request are stored, then the job is never added (the process died there): no answer.
    const add = vi.spyOn(Queue.prototype, 'add').mockRejectedValueOnce(new Error('killed between the two writes'));
    await expect(receive(one, installationCreated(repo), 'install-unanswered')).rejects.toThrow();
    add.mockRestore();
    // Its request waits in Redis with no job to run it (the queue is not idle: `idle` would wait for it forever).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(repo.pulls).toHaveLength(0);
    await receive(two, installationCreated(repo), 'install-unanswered');
    await two?.app.idle();
    expect(repo.pulls).toHaveLength(1);
    expect(repo.checkRuns).toHaveLength(1);
  });

  it('SIGTERM past the grace period: the running job is handed back (lock released, back to waiting, not a failed attempt) and another replica runs it at once', async () => {
    const prefix = `t${randomUUID().slice(0, 8)}`;
    let fenced = false;
    let startedHere!: () => void;
    const started = new Promise<void>((resolve) => (startedHere = resolve));
    const log: string[] = [];
    // The lock's lease (60 s) is far longer than the test: only an explicit hand-back lets the other replica in.
    const options = { url: redis.url, prefix, retry: { attempts: 2, backoffMs: 30_000 }, leaseMs: 60_000, graceMs: 300 };
    const leaving = new RedisJobQueue({ ...options, log: (m) => log.push(m), fence: () => Promise.resolve(void (fenced = true)) });
    const staying = new RedisJobQueue(options);
    closing.push(staying);
    const runs: { replica: string; attempt: number }[] = [];
    // A run that lasts until its requests are fenced off, then fails as a fenced request would.
    await leaving.work(async (_job, attempt) => {
      runs.push({ replica: 'leaving', attempt: attempt.attempt });
      startedHere();
      while (!fenced) await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('shutting down: this run was handed back to the queue');
    });
    const target = { installation: 7, owner: 'acme', repo: 'mesh', head: 'c0ffee' };
    expect(await leaving.enqueue('push-1', [{ kind: 'scan', target, request: { force: true } }])).toBe(1);
    await started;
    const handedOver = Date.now();
    await staying.work((job, attempt) => {
      runs.push({ replica: 'staying', attempt: attempt.attempt });
      expect(job).toMatchObject({ kind: 'scan', target, request: { force: true } });
      return Promise.resolve();
    });
    await leaving.close();
    await staying.idle();
    expect(Date.now() - handedOver).toBeLessThan(10_000);
    expect(runs).toEqual([{ replica: 'leaving', attempt: 1 }, { replica: 'staying', attempt: 1 }]);
    expect(log.some((m) => m.includes('handed job scan-acme/mesh back'))).toBe(true);
    expect(await staying.translated.get('acme/mesh')).toBe('c0ffee');
    expect((await staying.depth()).failed).toBe(0);
  });

  it('on start, failed deliveries of the last 3 days are redelivered once each; the reconcile finds what no webhook announced', async () => {
    const github = new MemoryGitHub();
    const missed = github.addRepository('acme', 'missed', bookstore());
    const unannounced = github.addRepository('acme', 'unannounced', bookstore());
    const [one] = await replicas(1, redis.url, github);
    const install = installationCreated(missed);
    github.recordDelivery({ guid: 'lost-1', event: 'installation', action: 'created', statusCode: 503 });
    github.recordDelivery({ guid: 'ok-later', event: 'push', action: null, statusCode: 502 });
    github.recordDelivery({ guid: 'ok-later', event: 'push', action: null, statusCode: 200 });
    github.recordDelivery({ guid: 'too-old', event: 'push', action: null, statusCode: 500, deliveredAt: new Date(Date.now() - 4 * 24 * 3600_000).toISOString() });
    const redelivered: string[] = [];
    github.onRedeliver = (d) => {
      redelivered.push(d.guid);
      if (d.guid === 'lost-1') void receive(one, install, d.guid);
    };
    expect(await one?.app.redeliverFailed()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await one?.app.idle();
    expect(redelivered).toEqual(['lost-1']);
    expect(missed.pulls).toHaveLength(1);
    expect(unannounced.pulls).toHaveLength(0);

    // `missed` was translated (its PR's hidden state names its head): only `unannounced` is queued.
    expect(await one?.app.reconcile()).toBe(1);
    await one?.app.idle();
    expect(unannounced.pulls).toHaveLength(1);
    expect(missed.pulls).toHaveLength(1);
    // Both heads are recorded as translated now: the next reconcile queues nothing.
    expect(await one?.app.reconcile()).toBe(0);
  });
});
