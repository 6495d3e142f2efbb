// npm run loadtest [-- --deliveries N --repos N --replicas N --no-kill --timeout-s N]
// App replicas (npm start's entry point) + Redis + the in-memory GitHub on loopback, signed deliveries from GitHub's
// published examples; one replica SIGKILLed midway and started again. The last line is one JSON object.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { MemoryRepository } from '../src/github/memory/memory-github.ts';
import { installationRepositoriesAdded, pushToDefault, type WebhookEvent } from '../test/support/github.ts';
import { startRedisServer, type RedisServer } from '../test/support/redis.ts';
import { Cluster } from '../test/support/replicas.ts';
import { EXAMPLES, readTree } from '../test/support/shared.ts';

const { values } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '1000' },
    repos: { type: 'string', default: '200' },
    replicas: { type: 'string', default: '3' },
    'no-kill': { type: 'boolean', default: false },
    'timeout-s': { type: 'string', default: '900' },
    'in-flight': { type: 'string', default: '16' },
  },
});
const DELIVERIES = Math.min(20_000, Number(values.deliveries));
const REPOS = Math.min(2_000, Number(values.repos));
const REPLICAS = Math.min(8, Number(values.replicas));
const IN_FLIGHT = Number(values['in-flight']);
const deadline = Date.now() + Number(values['timeout-s']) * 1_000;
const log = (message: string) => process.stderr.write(`loadtest: ${message}\n`);

let ownRedis: RedisServer | undefined;
const redisUrl = process.env.REDIS_URL ?? (ownRedis = await startRedisServer()).url;
const runStarts = new Map<string, number[]>();
const cluster = new Cluster({
  redisUrl, replicas: REPLICAS,
  env: { RECONCILE_INTERVAL_HOURS: '0', LEASE_MS: '15000' },
  onRequest: (method, path) => {
    // Every run starts by reading the default branch.
    const run = method === 'GET' ? /^\/repos\/([^/]+\/[^/]+)\/branches\/main$/.exec(path) : null;
    if (run?.[1]) runStarts.set(run[1], [...(runStarts.get(run[1]) ?? []), Date.now()]);
  },
});
await cluster.start();

// Twenty organisations, each its own installation (its own share of the per-installation runs).
const files = Object.fromEntries(readTree(`${EXAMPLES}bookstore`));
const repos: MemoryRepository[] = Array.from({ length: REPOS }, (_, i) => cluster.github.addRepository(`org-${i % 20}`, `mesh-${i}`, files));
const installationOf = (repo: MemoryRepository) => 1 + Number(repo.owner.slice(4));

interface Planned { readonly id: string; readonly repo: MemoryRepository; readonly event: WebhookEvent }
function planned(i: number): Planned {
  const repo = repos[i % REPOS] as MemoryRepository;
  // Every tenth is a redelivery of an earlier delivery (same id); one in ten an installation_repositories.added.
  if (i % 10 === 9 && i > REPOS) return planned(i - REPOS);
  const event = i % 10 === 4 ? installationRepositoriesAdded(repo) : pushToDefault(repo, ['bookstore/traffic-access.yaml']);
  event.payload.installation = { ...(event.payload.installation as object), id: installationOf(repo) };
  return { id: `load-${i}`, repo, event };
}

const acks: number[] = [];
const firstAck = new Map<string, { repo: string; sent: number }>();
const sentIds = new Set<string>();
let failedAnswers = 0;
let redelivered = 0;
const events = new Map<string, Planned>();
cluster.github.onRedeliver = (delivery) => {
  // GitHub sends the failed delivery again; to a replica that is up.
  const plan = events.get(delivery.guid);
  const live = cluster.replicas.findIndex((r) => r !== undefined);
  if (plan && live >= 0) {
    redelivered++;
    void send(live, plan);
  }
};

async function send(replica: number, plan: Planned): Promise<void> {
  const sent = Date.now();
  const { status, ms } = await cluster.deliver(replica, plan.event, plan.id);
  if (status >= 200 && status < 300) {
    acks.push(ms);
    if (!firstAck.has(plan.id)) firstAck.set(plan.id, { repo: plan.repo.fullName, sent });
  } else failedAnswers++;
}

const rss = new Map<number, number>();
const sampleRss = () => {
  for (const [i, replica] of cluster.replicas.entries()) {
    if (!replica?.child.pid) continue;
    const total = processTree(replica.child.pid).reduce((sum, pid) => sum + rssOf(pid), 0);
    rss.set(i, Math.max(rss.get(i) ?? 0, total));
  }
};
const sampler = setInterval(sampleRss, 250);

let next = 0;
let killed = false;
const killAt = Math.floor(DELIVERIES / 2);
const sender = async () => {
  while (next < DELIVERIES && Date.now() < deadline) {
    const i = next++;
    const plan = planned(i);
    events.set(plan.id, plan);
    sentIds.add(plan.id);
    if (i === killAt && !values['no-kill'] && REPLICAS > 1) {
      killed = true;
      log(`SIGKILL replica 1 at delivery ${i}`);
      await cluster.kill(1);
      void cluster.startReplica(1).then(() => log('replica 1 is back'));
    }
    await send(i % REPLICAS, plan);
  }
};
const started = Date.now();
await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
log(`${DELIVERIES} deliveries sent in ${Date.now() - started} ms; waiting for the queue`);
while (cluster.replicas.some((r) => r === undefined) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
// The restarted replica asks GitHub for the deliveries it failed; give their redeliveries time to arrive.
await new Promise((resolve) => setTimeout(resolve, 2_000));
let timedOut = false;
try {
  await cluster.idle(Math.max(1_000, deadline - Date.now()));
} catch {
  timedOut = true;
}
sampleRss();
clearInterval(sampler);

const duplicates = { prs: 0, reviews: 0, comments: 0, checkRuns: 0 };
for (const repo of repos) {
  duplicates.prs += Math.max(0, repo.pulls.length - 1);
  duplicates.reviews += Math.max(0, repo.reviews.length - repo.pulls.length);
  const fps = repo.reviewComments.map((c) => /fp=(\S+)/.exec(c.body)?.[1] ?? String(c.id));
  const markers = repo.issueComments.map((c) => `${c.issue}:${/<!-- osm2linkerd:[a-z-]+ -->/.exec(c.body)?.[0] ?? c.id}`);
  duplicates.comments += fps.length - new Set(fps).size + markers.length - new Set(markers).size;
  duplicates.checkRuns += repo.checkRuns.length - new Set(repo.checkRuns.map((c) => c.headSha)).size;
}
// Acknowledged but never run: no run of its repository started after the delivery was sent.
let lost = 0;
for (const { repo, sent } of firstAck.values()) if (!(runStarts.get(repo) ?? []).some((t) => t >= sent)) lost++;
const sorted = [...acks].sort((a, b) => a - b);
const quantile = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
const result = {
  deliveries: next,
  distinctDeliveryIds: sentIds.size,
  repositories: REPOS,
  replicas: REPLICAS,
  killed: killed ? 1 : 0,
  acknowledged: firstAck.size,
  answersNot2xx: failedAnswers,
  // Deliveries a replica failed to answer (it was down), redelivered through GitHub's API by the restarted replica.
  redelivered,
  ackMs: { p50: quantile(0.5), p99: quantile(0.99), max: quantile(1) },
  jobsRun: [...runStarts.values()].reduce((n, t) => n + t.length, 0),
  pullRequests: repos.reduce((n, r) => n + r.pulls.length, 0),
  duplicates,
  lost,
  peakRssMiB: [...rss.entries()].sort(([a], [b]) => a - b).map(([, kib]) => Math.round(kib / 1024)),
  seconds: Math.round((Date.now() - started) / 1000),
  timedOut,
};
await cluster.stop();
await ownRedis?.stop();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);

function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return [pid, ...children.flatMap(processTree)];
}

function rssOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
