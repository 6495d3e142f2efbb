// npm run loadtest [-- --deliveries N --repos N --replicas N --no-kill --timeout-s N]
// App replicas (npm start's entry point) + Redis + the in-memory GitHub on loopback (in a process of its own), signed deliveries from GitHub's
// published examples; one replica SIGKILLed midway and started again. The last line is one JSON object.
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startRedisServer, type RedisServer } from '../test/support/redis.ts';
import { Cluster } from '../test/support/replicas.ts';
import type { FromGitHub, PlannedDelivery, ToGitHub } from './github-process.ts';

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
const loadAtStart = loadavg();

let ownRedis: RedisServer | undefined;
const redisUrl = process.env.REDIS_URL ?? (ownRedis = await startRedisServer()).url;

// The in-memory GitHub answers the replicas from a process of its own (bench/github-process.ts): its work must not
// delay this process's timers, which measure the acknowledgements.
const githubProcess = fork(new URL('./github-process.ts', import.meta.url), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
// GitHub is another machine in production: its stand-in here yields the CPU to the replicas (as the app's own worker
// processes do, worker-process.ts) rather than competing with the webhook path it is there to serve.
const GITHUB_NICENESS = 10;
if (githubProcess.pid !== undefined) setPriority(githubProcess.pid, GITHUB_NICENESS);
const toGitHub = (message: ToGitHub) => githubProcess.send(message);
const fromGitHub = <T extends FromGitHub['type']>(type: T) => new Promise<FromGitHub & { type: T }>((resolve) => {
  const listener = (message: FromGitHub) => {
    if (message.type !== type) return;
    githubProcess.off('message', listener);
    resolve(message as FromGitHub & { type: T });
  };
  githubProcess.on('message', listener);
});
const ready = fromGitHub('ready');
toGitHub({ type: 'setup', repositories: REPOS, deliveries: DELIVERIES });
const { host, planned } = await ready;

const cluster = new Cluster({
  redisUrl, replicas: REPLICAS,
  env: { RECONCILE_INTERVAL_HOURS: '0', LEASE_MS: '15000' },
  github: { host, recordDelivery: (attempt) => toGitHub({ type: 'delivered', attempt }) },
});
await cluster.start();

const acks: number[] = [];
const firstAck = new Map<string, { repo: string; sent: number }>();
const sentIds = new Set<string>();
let refused = 0;
let redeliveries = 0;
const byId = new Map(planned.map((p) => [p.id, p]));
githubProcess.on('message', (message: FromGitHub) => {
  if (message.type !== 'redeliver') return;
  // GitHub sends the failed delivery again; to a replica that is up.
  const plan = byId.get(message.guid);
  const live = cluster.replicas.findIndex((r) => r !== undefined);
  if (plan && live >= 0) {
    redeliveries++;
    void send(live, plan);
  }
});

// When each delivery id was first sent to a replica that was up: from then on it may be stored (a replica killed
// after storing it and before answering stored it unacknowledged; GitHub's redelivery is then absorbed by its id).
const firstReached = new Map<string, number>();

async function send(replica: number, plan: PlannedDelivery): Promise<void> {
  const sent = Date.now();
  if (cluster.replicas[replica] && !firstReached.has(plan.id)) firstReached.set(plan.id, sent);
  const { status, ms } = await cluster.deliver(replica, plan.event, plan.id);
  if (status >= 200 && status < 300) {
    acks.push(ms);
    if (!firstAck.has(plan.id)) firstAck.set(plan.id, { repo: plan.repository, sent });
  } else refused++;
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
    const plan = planned[i] as PlannedDelivery;
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

const reported = fromGitHub('report');
toGitHub({ type: 'report' });
const report = await reported;
// Acknowledged but never run: no run of its repository started after the delivery first reached a replica.
let lost = 0;
for (const [id, { repo, sent }] of firstAck) {
  const since = firstReached.get(id) ?? sent;
  const starts = report.runStarts[repo] ?? [];
  if (starts.some((t) => t >= since)) continue;
  lost++;
  log(`lost: ${id} for ${repo}, first sent to a live replica at ${since}; its runs started at ${starts.join(', ') || 'no time'}`);
}
const sorted = [...acks].sort((a, b) => a - b);
const quantile = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
const result = {
  // Sent by the harness; every tenth repeats an earlier delivery's id (as GitHub's retries do), hence fewer distinct ids.
  deliveries: next,
  distinctDeliveryIds: sentIds.size,
  repositories: REPOS,
  replicas: REPLICAS,
  killed: killed ? 1 : 0,
  // Distinct delivery ids answered 2xx at least once (first send or GitHub's redelivery), and those never answered 2xx.
  acknowledged: firstAck.size,
  neverAcknowledged: sentIds.size - firstAck.size,
  // Answers that were not 2xx: sent to the killed replica while it was down (a refused connection).
  refused,
  // Sent again by GitHub when the restarted replica asked for its failed deliveries (POST …/attempts), to a live replica.
  redeliveries,
  redeliveredIds: report.redeliveredIds,
  // Over every 2xx answer (redeliveries included).
  ackMs: { answers: acks.length, p50: quantile(0.5), p99: quantile(0.99), max: quantile(1) },
  jobsRun: Object.values(report.runStarts).reduce((n, t) => n + t.length, 0),
  pullRequests: report.pullRequests,
  duplicates: report.duplicates,
  lost,
  peakRssMiB: [...rss.entries()].sort(([a], [b]) => a - b).map(([, kib]) => Math.round(kib / 1024)),
  seconds: Math.round((Date.now() - started) / 1000),
  timedOut,
  // The machine's load averages (1, 5, 15 min) at the start and the end: the figures mean little on a busy machine.
  loadAverage: { start: loadAtStart.map((n) => Math.round(n * 100) / 100), end: loadavg().map((n) => Math.round(n * 100) / 100) },
};
await cluster.stop();
githubProcess.disconnect();
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
