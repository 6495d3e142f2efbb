import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MemoryGitHub, type HookDeliveryRecord } from '../../src/github/memory/memory-github.ts';
import { serveMemoryGitHub, type ServeOptions, type ServedGitHub } from '../../src/github/memory/http.ts';
import { RedisJobQueue } from '../../src/github/redis-queue.ts';
import { freePort } from './redis.ts';

export const WEBHOOK_SECRET = 'memory-github';

export interface AppProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

export interface DeliveryResult {
  readonly status: number;
  readonly ms: number;
}

export interface ClusterOptions extends ServeOptions {
  /** Absent: each replica is a single embedded one (in-process queue). */
  readonly redisUrl?: string;
  readonly replicas: number;
  /** Extra environment for every replica. */
  readonly env?: Readonly<Record<string, string>>;
  /** A GitHub served by another process (the load test's): replicas use it and deliveries are recorded there. */
  readonly github?: ExternalGitHub;
}

export interface ExternalGitHub {
  /** `host:port`, for the replicas' `GHE_HOST`. */
  readonly host: string;
  recordDelivery(attempt: Omit<HookDeliveryRecord, 'id' | 'deliveredAt' | 'redelivery'>): void;
}

/**
 * App replicas as operators run them (`node src/github/main.ts`, the real Probot server and BullMQ worker processes)
 * against one Redis and one in-memory GitHub served on loopback. Deliveries are signed like GitHub's and recorded in
 * the GitHub's delivery log.
 */
export class Cluster {
  readonly github = new MemoryGitHub();
  readonly prefix = `c${randomUUID().slice(0, 8)}`;
  readonly replicas: (AppProcess | undefined)[] = [];
  readonly #options: ClusterOptions;
  readonly #key = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
  #served: ServedGitHub | undefined;
  #observer: RedisJobQueue | undefined;

  constructor(options: ClusterOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    if (!this.#options.github) this.#served = await serveMemoryGitHub(this.github, this.#options);
    if (this.#options.redisUrl) this.#observer = new RedisJobQueue({ url: this.#options.redisUrl, prefix: this.prefix });
    await Promise.all(Array.from({ length: this.#options.replicas }, (_, i) => this.startReplica(i)));
  }

  async startReplica(i: number): Promise<AppProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['src/github/main.ts'], {
      detached: true,
      stdio: process.env.OSM2LINKERD_TEST_LOGS ? ['ignore', 'inherit', 'inherit'] : 'ignore',
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', LOG_LEVEL: process.env.OSM2LINKERD_TEST_LOGS ? 'info' : 'error',
        APP_ID: '1', PRIVATE_KEY: this.#key, WEBHOOK_SECRET, GHE_HOST: this.#options.github?.host ?? this.#served?.host ?? '', GHE_PROTOCOL: 'http',
        HOST: '127.0.0.1', PORT: String(port), ...(this.#options.redisUrl ? { REDIS_URL: this.#options.redisUrl, REDIS_PREFIX: this.prefix } : {}),
        LEASE_MS: '6000', RETRY_BACKOFF_MS: '200', SHUTDOWN_GRACE_SECONDS: '10', OSM2LINKERD_THROTTLE: '0',
        ...this.#options.env,
      },
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const replica = { url: `http://127.0.0.1:${port}`, child, exited };
    this.replicas[i] = replica;
    await waitForPing(replica);
    return replica;
  }

  /** SIGKILL to the replica's process group (its worker process too), as when a container is killed. */
  async kill(i: number): Promise<void> {
    const replica = this.replicas[i];
    if (!replica?.child.pid) return;
    try {
      process.kill(-replica.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await replica.exited;
    this.replicas[i] = undefined;
  }

  /** SIGTERM to the replica's main process; resolves with its exit code. */
  async terminate(i: number): Promise<number | null> {
    const replica = this.replicas[i];
    if (!replica) return null;
    replica.child.kill('SIGTERM');
    const code = await replica.exited;
    this.replicas[i] = undefined;
    return code;
  }

  /** A signed delivery to replica `i`, recorded with the answer's status in GitHub's delivery log. */
  async deliver(i: number, event: { name: string; payload: Record<string, unknown> }, id: string): Promise<DeliveryResult> {
    const replica = this.replicas[i];
    const body = JSON.stringify(event.payload);
    const started = performance.now();
    let status = 0;
    if (replica) {
      try {
        const response = await fetch(`${replica.url}/api/github/webhooks`, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json', 'x-github-event': event.name, 'x-github-delivery': id,
            'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`,
          },
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
    }
    const ms = performance.now() - started;
    (this.#options.github ?? this.github).recordDelivery({ guid: id, event: event.name, action: typeof event.payload.action === 'string' ? event.payload.action : null, statusCode: status });
    return { status, ms };
  }

  /** Resolves when the shared queue has nothing waiting, delayed or running. */
  async idle(timeoutMs = 120_000): Promise<void> {
    const observer = this.#observer;
    if (!observer) throw new Error('an embedded replica\'s queue cannot be watched from outside: wait for its effects');
    await Promise.race([
      observer.idle(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`the queue was not idle after ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  }

  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((_, i) => this.kill(i)));
    await this.#observer?.close();
    await this.#served?.close();
  }
}

/** Polls `done` until it holds. */
export async function until(done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not done after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForPing(replica: AppProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void replica.exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    try {
      if ((await fetch(`${replica.url}/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`replica ${replica.url} did not answer /ping${gone ? ' (it exited)' : ''}`);
}
