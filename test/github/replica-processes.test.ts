import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryRepository } from '../../src/github/memory/memory-github.ts';
import { installationCreated } from '../support/github.ts';
import { redisAvailable, redisForTests, startRedisServer, type RedisServer } from '../support/redis.ts';
import { Cluster, until } from '../support/replicas.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

const BRANCH = 'osm2linkerd/migrate';
const bookstore = () => Object.fromEntries(readTree(`${EXAMPLES}bookstore`));

let cluster: Cluster | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await cluster?.stop();
  await redis?.stop();
  cluster = undefined;
  redis = undefined;
});

function expectComplete(repo: MemoryRepository): void {
  expect([...repo.refs.keys()].sort()).toEqual(['main', BRANCH]);
  expect(repo.pulls).toHaveLength(1);
  expect(repo.reviews).toHaveLength(1);
  expect(repo.checkRuns).toHaveLength(1);
  expect(repo.checkRuns[0]?.headSha).toBe(repo.headOf(BRANCH));
}

/** Resolves at the first request matching `method` and `path` (the run is then in the middle of its writes). */
function when(c: { onRequest?: (m: string, p: string) => void }, method: string, path: RegExp): Promise<void> {
  return new Promise((resolve) => {
    c.onRequest = (m, p) => {
      if (m === method && path.test(p)) resolve();
    };
  });
}

describe.skipIf(!redisAvailable())('app processes (npm start) on one Redis: crashes and restarts lose nothing', () => {
  it('SIGKILL in the middle of a run: after a restart the run completes, with nothing done twice', async () => {
    redis = await redisForTests();
    const hooks: { onRequest?: (m: string, p: string) => void } = {};
    cluster = new Cluster({ redisUrl: redis.url, replicas: 1, latencyMs: 10, onRequest: (m, p) => hooks.onRequest?.(m, p) });
    await cluster.start();
    const repos = Array.from({ length: 3 }, (_, i) => cluster?.github.addRepository('acme', `mesh-${i}`, bookstore()) as MemoryRepository);
    const midRun = when(hooks, 'POST', /\/git\/commits$/);
    expect((await cluster.deliver(0, installationCreated(...repos), 'install-1')).status).toBe(200);
    await midRun;
    await cluster.kill(0);
    expect(repos.some((r) => r.pulls.length === 0)).toBe(true);
    await cluster.startReplica(0);
    await cluster.idle();
    for (const repo of repos) expectComplete(repo);
  });

  it('SIGTERM in the middle of a run: the replica finishes or hands back its jobs and exits 0; everything acknowledged runs', async () => {
    redis = await redisForTests();
    const hooks: { onRequest?: (m: string, p: string) => void } = {};
    cluster = new Cluster({ redisUrl: redis.url, replicas: 2, latencyMs: 10, onRequest: (m, p) => hooks.onRequest?.(m, p) });
    await cluster.start();
    const repos = Array.from({ length: 4 }, (_, i) => cluster?.github.addRepository('acme', `mesh-${i}`, bookstore()) as MemoryRepository);
    const midRun = when(hooks, 'POST', /\/git\/trees$/);
    for (const [i, repo] of repos.entries()) expect((await cluster.deliver(i % 2, installationCreated(repo), `install-${i}`)).status).toBe(200);
    await midRun;
    expect(await Promise.all([cluster.terminate(0), cluster.terminate(1)])).toEqual([0, 0]);
    await cluster.startReplica(0);
    await cluster.idle();
    for (const repo of repos) expectComplete(repo);
  });

  it('SIGTERM with no grace period: the running job is handed back at once, not when its five-minute lease runs out', async () => {
    redis = await redisForTests();
    const hooks: { onRequest?: (m: string, p: string) => void } = {};
    cluster = new Cluster({ redisUrl: redis.url, replicas: 1, latencyMs: 10, onRequest: (m, p) => hooks.onRequest?.(m, p), env: { SHUTDOWN_GRACE_SECONDS: '0', LEASE_MS: '300000' } });
    await cluster.start();
    const repo = cluster.github.addRepository('acme', 'mesh', bookstore());
    const midRun = when(hooks, 'POST', /\/git\/trees$/);
    expect((await cluster.deliver(0, installationCreated(repo), 'install-1')).status).toBe(200);
    await midRun;
    expect(await cluster.terminate(0)).toBe(0);
    expect(repo.pulls).toHaveLength(0);
    const handedBack = Date.now();
    await cluster.startReplica(0);
    // Within the lease the job would still count as running: only the hand-back lets the new replica run it now.
    await cluster.idle(120_000);
    expect(Date.now() - handedBack).toBeLessThan(150_000);
    expectComplete(repo);
  }, 240_000); // process start-ups are slow on a busy machine; the lease is longer still

  it('Redis restarted in the middle of a run: the replicas reconnect and the runs complete', async () => {
    // A server of our own, so it can be restarted (its append-only file keeps the queue across the restart).
    redis = await startRedisServer();
    const hooks: { onRequest?: (m: string, p: string) => void } = {};
    cluster = new Cluster({ redisUrl: redis.url, replicas: 2, latencyMs: 10, onRequest: (m, p) => hooks.onRequest?.(m, p) });
    await cluster.start();
    const repos = Array.from({ length: 3 }, (_, i) => cluster?.github.addRepository('acme', `mesh-${i}`, bookstore()) as MemoryRepository);
    const midRun = when(hooks, 'POST', /\/git\/trees$/);
    expect((await cluster.deliver(0, installationCreated(...repos), 'install-1')).status).toBe(200);
    await midRun;
    await redis.restart();
    await cluster.idle();
    for (const repo of repos) expectComplete(repo);
    // Deliveries after the restart are taken as before.
    const later = cluster.github.addRepository('acme', 'later', bookstore());
    expect((await cluster.deliver(1, installationCreated(later), 'install-2')).status).toBe(200);
    await cluster.idle();
    expectComplete(later);
  });
});

describe('npm start without Redis (the embedded queue)', () => {
  it('runs the jobs in its worker process; SIGTERM lets the queued ones finish, then exits 0', async () => {
    cluster = new Cluster({ replicas: 1, latencyMs: 5 });
    await cluster.start();
    const repos = Array.from({ length: 2 }, (_, i) => cluster?.github.addRepository('acme', `mesh-${i}`, bookstore()) as MemoryRepository);
    expect((await cluster.deliver(0, installationCreated(...repos), 'install-1')).status).toBe(200);
    await until(() => (cluster?.github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git/trees')).length ?? 0) > 0);
    expect(await cluster.terminate(0)).toBe(0);
    for (const repo of repos) expectComplete(repo);
  });
});
