import { randomUUID } from 'node:crypto';
import { DelayedError, Queue, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { DEFAULT_RETRY, DEFAULT_SHUTDOWN_GRACE_MS, DELIVERY_WINDOW_SECONDS, repositoryKey, RUNS_PER_INSTALLATION, sleep, type JobHandler, type JobQueue, type RepositoryTarget, type RetryPolicy, type RunJob, type TranslatedHeads } from './job-queue.ts';
import type { RunRequest } from './run-migration.ts';

export interface RedisQueueOptions {
  readonly url: string;
  /** Key prefix, so tests and several apps can share one Redis. */
  readonly prefix?: string;
  readonly retry?: RetryPolicy;
  /** Jobs one worker replica runs at once (different repositories). */
  readonly concurrency?: number;
  /** The repository lock's lease: renewed every third of it while a run lasts, expired this long after a crash. */
  readonly leaseMs?: number;
  /** How long a delivery id is remembered (GitHub redelivers for 3 days). */
  readonly deliveryTtlSeconds?: number;
  /** How long `close` waits for running jobs before handing them back. */
  readonly graceMs?: number;
  /**
   * Called before running jobs are handed back: stops this process's requests to GitHub and waits for those in
   * flight, so no write of a handed-back run lands after another replica has taken the job.
   */
  readonly fence?: () => Promise<void>;
  readonly log?: (message: string) => void;
}

/** A scan job holds only its repository: what to do is in the repository's pending hash, merged by every delivery. */
type StoredJob = { readonly kind: 'scan'; readonly owner: string; readonly repo: string } | { readonly kind: 'command'; readonly job: RunJob; readonly seen: string };

// Delivery id and scan request stored together: a delivery is "seen" only if its work is stored too. 1: stored;
// 2: seen before, its request still waiting to be taken; 0: seen before, nothing waiting.
const STORE_SCAN = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) == false then return redis.call('EXISTS', KEYS[2]) * 2 end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('SADD', KEYS[3], ARGV[2])
return 1`;

// The run takes what deliveries asked for; a retried or resumed run keeps what it had taken before.
const TAKE_SCAN = `
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do redis.call('HSET', KEYS[2], fields[i], fields[i + 1]) end
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('SUNIONSTORE', KEYS[4], KEYS[4], KEYS[3])
  redis.call('DEL', KEYS[3])
end
return redis.call('HGETALL', KEYS[2])`;

// The repository lock and a slot among the installation's runs, both leases on Redis's clock.
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZSCORE', KEYS[2], ARGV[1]) == false and redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return redis.call('ZCARD', KEYS[2])`;

const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

const RELEASE = `
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

interface Scripts {
  storeScan(delivery: string, pending: string, deliveries: string, ttl: number, id: string, ...fields: string[]): Promise<number>;
  takeScan(pending: string, run: string, pendingDeliveries: string, runDeliveries: string): Promise<string[]>;
  acquire(lock: string, slots: string, token: string, leaseMs: number, max: number): Promise<number>;
  renew(lock: string, slots: string, token: string, leaseMs: number): Promise<number>;
  release(lock: string, slots: string, token: string): Promise<number>;
}

/**
 * The queue on Redis with BullMQ, for any number of replicas. Scan jobs are keyed by repository, so the deliveries
 * for one repository coalesce into one waiting job; a run holds the repository's lock (a lease renewed while it
 * lasts) and a slot among its installation's runs, both in Redis; a job that cannot have them, or whose account
 * GitHub asked to slow down, waits in BullMQ's delayed set. A crashed worker's job is found stalled by BullMQ and run
 * again once its lock has expired.
 */
export class RedisJobQueue implements JobQueue {
  readonly #redis: Redis & Scripts;
  readonly #queue: Queue<StoredJob>;
  readonly #options: Required<Omit<RedisQueueOptions, 'log' | 'prefix' | 'fence'>> & { prefix: string };
  readonly #fence: () => Promise<void>;
  /** Jobs running here, by job id, with what handing one back releases. */
  readonly #running = new Map<string, { job: Job<StoredJob>; token: string | undefined; lock: string; slots: string; holder: string; renewal: NodeJS.Timeout }>();
  readonly #handedBack = new Set<string>();
  readonly #log: (message: string) => void;
  readonly #replica = randomUUID().slice(0, 8);
  #worker: Worker<StoredJob> | undefined;
  #highWater = 0;

  readonly translated: TranslatedHeads;

  constructor(options: RedisQueueOptions) {
    this.#options = {
      prefix: options.prefix ?? 'osm2linkerd',
      retry: options.retry ?? DEFAULT_RETRY,
      concurrency: options.concurrency ?? 4,
      leaseMs: options.leaseMs ?? 30_000,
      deliveryTtlSeconds: options.deliveryTtlSeconds ?? DELIVERY_WINDOW_SECONDS,
      graceMs: options.graceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
      url: options.url,
    };
    this.#log = options.log ?? (() => {});
    this.#fence = options.fence ?? (() => Promise.resolve());
    // BullMQ's blocking commands need maxRetriesPerRequest: null; commands wait while Redis is away and go on after.
    const redis = new Redis(options.url, { maxRetriesPerRequest: null, enableReadyCheck: true });
    redis.on('error', (error: Error) => this.#log(`redis: ${error.message}`));
    redis.defineCommand('storeScan', { numberOfKeys: 3, lua: STORE_SCAN });
    redis.defineCommand('takeScan', { numberOfKeys: 4, lua: TAKE_SCAN });
    redis.defineCommand('acquire', { numberOfKeys: 2, lua: ACQUIRE });
    redis.defineCommand('renew', { numberOfKeys: 2, lua: RENEW });
    redis.defineCommand('release', { numberOfKeys: 2, lua: RELEASE });
    this.#redis = redis as Redis & Scripts;
    this.#queue = new Queue<StoredJob>('runs', { connection: redis, prefix: this.#options.prefix });
    this.#queue.on('error', (error: Error) => this.#log(`queue: ${error.message}`));
    const heads = this.#key('translated');
    this.translated = {
      get: async (repository) => (await this.#redis.hget(heads, repository)) ?? undefined,
      set: async (repository, head) => { await this.#redis.hset(heads, repository, head); },
    };
  }

  get highWater(): number {
    return this.#highWater;
  }

  #key(...parts: string[]): string {
    return [this.#options.prefix, ...parts].join(':');
  }

  #jobOptions(jobId: string) {
    const { attempts, backoffMs } = this.#options.retry;
    return { jobId, attempts, backoff: { type: 'exponential', delay: backoffMs }, removeOnComplete: true, removeOnFail: true };
  }

  async enqueue(deliveryId: string, jobs: readonly RunJob[]): Promise<number> {
    let stored = 0;
    for (const job of jobs) {
      const repository = repositoryKey(job.target);
      if (job.kind === 'command') {
        // The job id is the comment: two replicas given the same delivery store one job.
        const seen = this.#key('delivery', `${deliveryId}#${repository}#${job.comment.commentId}`);
        if (await this.#redis.exists(seen)) continue;
        await this.#queue.add('command', { kind: 'command', job, seen }, this.#jobOptions(`command-${repository}-${job.comment.commentId}`));
        await this.#redis.set(seen, repository, 'EX', this.#options.deliveryTtlSeconds);
        stored++;
        continue;
      }
      const fresh = await this.#redis.storeScan(
        this.#key('delivery', `${deliveryId}#${repository}`), this.#key('pending', repository), this.#key('pending-deliveries', repository),
        this.#options.deliveryTtlSeconds, `${deliveryId}#${repository}`, ...targetFields(job.target), ...requestFields(job.request), ...(job.freshConfig ? ['freshConfig', '1'] : []),
      );
      if (fresh === 0) continue;
      // Seen, its request still waiting: queued again all the same (a no-op while its job waits), for the replica that
      // stored it may have died before queueing it, and GitHub's redelivery of that unanswered delivery must not be lost.
      await this.#addScan(job.target);
      if (fresh === 1) stored++;
    }
    return stored;
  }

  /** A job already waiting (or delayed) for the repository absorbs this one: BullMQ ignores a second job with its id. */
  async #addScan(target: { owner: string; repo: string }): Promise<void> {
    await this.#queue.add('scan', { kind: 'scan', owner: target.owner, repo: target.repo }, this.#jobOptions(`scan-${repositoryKey(target)}`));
  }

  async work(handler: JobHandler): Promise<void> {
    await this.#resume();
    const { leaseMs, concurrency } = this.#options;
    const worker = new Worker<StoredJob>('runs', (job, token) => this.#process(job, token, handler), {
      connection: this.#redis, prefix: this.#options.prefix, concurrency, lockDuration: leaseMs, stalledInterval: leaseMs, maxStalledCount: 3, drainDelay: 1,
    });
    worker.on('error', (error: Error) => this.#log(`worker: ${error.message}`));
    // A scan asked for while its repository's job was running was absorbed by that job's id: run it now.
    const again = (job: Job<StoredJob> | undefined) => {
      if (job?.data.kind !== 'scan') return;
      const { owner, repo } = job.data;
      void this.#redis.exists(this.#key('pending', `${owner}/${repo}`)).then((n) => (n ? this.#addScan({ owner, repo }) : undefined))
        .catch((error: unknown) => this.#log(`re-queue ${owner}/${repo}: ${String(error)}`));
    };
    worker.on('completed', again);
    worker.on('failed', again);
    this.#worker = worker;
  }

  /** On start: scans stored but never queued (a crash between the two), or taken by a run that died, are queued again. */
  async #resume(): Promise<void> {
    for (const kind of ['pending', 'run']) {
      const prefix = `${this.#key(kind)}:`;
      let cursor = '0';
      do {
        const [next, keys] = await this.#redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        for (const key of keys) {
          const [owner = '', repo = ''] = key.slice(prefix.length).split('/');
          await this.#addScan({ owner, repo });
        }
      } while (cursor !== '0');
    }
  }

  async #process(job: Job<StoredJob>, token: string | undefined, handler: JobHandler): Promise<void> {
    const data = job.data;
    const target = data.kind === 'scan' ? { owner: data.owner, repo: data.repo } : data.job.target;
    const repository = repositoryKey(target);
    const paused = Number((await this.#redis.get(this.#key('pause', target.owner))) ?? 0);
    if (paused > Date.now()) return this.#delay(job, token, paused);
    const installation = data.kind === 'command' ? data.job.target.installation : Number((await this.#redis.hget(this.#key('pending', repository), 'installation')) ?? (await this.#redis.hget(this.#key('run', repository), 'installation')) ?? 0);
    const lock = this.#key('lock', repository);
    const slots = this.#key('installation', String(installation));
    const holder = `${this.#replica}:${job.id ?? ''}`;
    const { leaseMs } = this.#options;
    const running = await this.#redis.acquire(lock, slots, holder, leaseMs, RUNS_PER_INSTALLATION);
    if (running === 0) return this.#delay(job, token, Date.now() + 200 + Math.floor(Math.random() * 300));
    this.#highWater = Math.max(this.#highWater, running);
    const renewal = setInterval(() => {
      this.#redis.renew(lock, slots, holder, leaseMs).then((held) => {
        if (!held) this.#log(`${repository}: the repository lock's lease was lost`);
      }, (error: unknown) => this.#log(`${repository}: lease renewal failed: ${String(error)}`));
    }, Math.max(100, Math.floor(leaseMs / 3)));
    const id = job.id ?? holder;
    this.#running.set(id, { job, token, lock, slots, holder, renewal });
    try {
      const attempt = job.attemptsMade + 1;
      const last = attempt >= (job.opts.attempts ?? 1);
      let run: RunJob;
      let head: string | undefined;
      if (data.kind === 'scan') {
        const taken = toRecord(await this.#redis.takeScan(this.#key('pending', repository), this.#key('run', repository), this.#key('pending-deliveries', repository), this.#key('run-deliveries', repository)));
        if (!taken.owner) return; // nothing asked: a job re-queued after its request was already run
        head = taken.head;
        run = { kind: 'scan', target: fromFields(taken), request: { ...(taken.force ? { force: true } : {}), ...(taken.recheck ? { recheck: true } : {}) }, ...(taken.freshConfig ? { freshConfig: true } : {}) };
      } else run = data.job;
      try {
        await handler(run, { attempt, last });
      } catch (error) {
        // Handed back at shutdown (its requests fenced off): not a failure; BullMQ leaves the job where it was moved.
        if (this.#handedBack.has(id)) throw new WaitingError();
        if (last) await this.#forgetDeliveries(data, repository);
        throw error;
      }
      if (this.#handedBack.has(id)) throw new WaitingError(); // finished as it was handed back: it runs again, finding it done
      if (data.kind === 'scan') await this.#redis.del(this.#key('run', repository), this.#key('run-deliveries', repository));
      if (head) await this.translated.set(repository, head);
    } finally {
      this.#running.delete(id);
      this.#handedBack.delete(id);
      clearInterval(renewal);
      await this.#redis.release(lock, slots, holder);
    }
  }

  /**
   * Shutdown after the grace period: each running job's repository lock and installation slot are released and the
   * job is moved back to waiting with its BullMQ token, so another replica takes it at once (not when its leases
   * run out). Its request to run stays stored (`run:` hash): the next run takes it.
   */
  async #handBack(): Promise<void> {
    await this.#fence();
    for (const [id, running] of this.#running) {
      this.#handedBack.add(id);
      clearInterval(running.renewal);
      try {
        await this.#redis.release(running.lock, running.slots, running.holder);
        await running.job.moveToWait(running.token);
        this.#log(`shutdown: handed job ${id} back to the queue`);
      } catch (error) {
        this.#log(`shutdown: could not hand job ${id} back (its leases will run out): ${String(error)}`);
      }
    }
  }

  /** Failed for good: its deliveries are forgotten, so GitHub's "redeliver" runs them again. */
  async #forgetDeliveries(data: StoredJob, repository: string): Promise<void> {
    if (data.kind === 'command') {
      await this.#redis.del(data.seen);
      return;
    }
    const runDeliveries = this.#key('run-deliveries', repository);
    const ids = await this.#redis.smembers(runDeliveries);
    await this.#redis.del(...ids.map((id) => this.#key('delivery', id)), this.#key('run', repository), runDeliveries);
  }

  async #delay(job: Job<StoredJob>, token: string | undefined, until: number): Promise<never> {
    await job.moveToDelayed(until, token);
    throw new DelayedError();
  }

  async idle(): Promise<void> {
    for (;;) {
      const counts = await this.#queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const pending = await this.#redis.keys(`${this.#key('pending')}:*`);
      if (Object.values(counts).every((n) => n === 0) && pending.length === 0) return;
      await sleep(25);
    }
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    if (worker) {
      // Running jobs get the grace period; those still running then are handed back, and their processors end.
      const closed = worker.close();
      const finished = await Promise.race([closed.then(() => true), sleep(this.#options.graceMs).then(() => false)]);
      if (!finished) {
        await this.#handBack();
        const ended = await Promise.race([closed.then(() => true), sleep(2_000).then(() => false)]);
        if (!ended) await worker.close(true);
      }
    }
    await this.#queue.close();
    this.#redis.disconnect();
  }

  async healthy(): Promise<boolean> {
    if (this.#redis.status !== 'ready') return false;
    const pong = await Promise.race([this.#redis.ping().catch(() => ''), sleep(1_000).then(() => '')]);
    return pong === 'PONG';
  }

  async depth(): Promise<Readonly<Record<string, number>>> {
    return this.#queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
  }

  async claim(name: string, ttlMs: number): Promise<boolean> {
    return (await this.#redis.set(this.#key('claim', name), this.#replica, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async pause(owner: string, until: number): Promise<void> {
    const key = this.#key('pause', owner);
    const current = Number((await this.#redis.get(key)) ?? 0);
    if (until > current) await this.#redis.set(key, String(until), 'PX', Math.max(1, until - Date.now()));
  }
}

function targetFields(target: RepositoryTarget): string[] {
  return [
    'installation', String(target.installation), 'owner', target.owner, 'repo', target.repo,
    ...(target.defaultBranch ? ['defaultBranch', target.defaultBranch] : []),
    ...(target.head ? ['head', target.head] : []),
  ];
}

/** Flags are written only when set, so merging two requests in the hash is their OR. */
function requestFields(request: RunRequest): string[] {
  return [...(request.force ? ['force', '1'] : []), ...(request.recheck ? ['recheck', '1'] : [])];
}

function toRecord(pairs: readonly string[]): Record<string, string | undefined> {
  const record: Record<string, string | undefined> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) record[pairs[i] ?? ''] = pairs[i + 1];
  return record;
}

function fromFields(fields: Record<string, string | undefined>): RepositoryTarget {
  return {
    installation: Number(fields.installation ?? 0), owner: fields.owner ?? '', repo: fields.repo ?? '',
    ...(fields.defaultBranch ? { defaultBranch: fields.defaultBranch } : {}),
    ...(fields.head ? { head: fields.head } : {}),
  };
}
