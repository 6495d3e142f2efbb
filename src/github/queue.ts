/**
 * Single flight per repository and base branch: runs for one key never overlap, and a scan requested while another
 * is waiting joins it instead of queueing twice. Work for different repositories runs side by side.
 */
export class RepositoryQueue {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #waitingScans = new Map<string, Promise<void>>();
  readonly #onError: (key: string, error: unknown) => void;

  constructor(onError: (key: string, error: unknown) => void) {
    this.#onError = onError;
  }

  /** Queues `task` after the key's current work. Errors are reported, never thrown into the webhook handler. */
  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => this.#onError(key, error));
    this.#tails.set(key, next);
    void next.then(() => {
      if (this.#tails.get(key) === next) this.#tails.delete(key);
    });
    return next;
  }

  /** Like `run`, but a scan already waiting for this key (not yet started) absorbs this one. */
  scan(key: string, task: () => Promise<void>): Promise<void> {
    const waiting = this.#waitingScans.get(key);
    if (waiting) return waiting;
    const queued = this.run(key, async () => {
      this.#waitingScans.delete(key);
      await task();
    });
    this.#waitingScans.set(key, queued);
    return queued;
  }

  /** Resolves when no work is queued or running (tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all([...this.#tails.values()]);
  }
}

/** Remembers recent webhook delivery ids, so a redelivered event is handled once. */
export class DeliveryLog {
  readonly #seen = new Set<string>();
  readonly #capacity: number;

  constructor(capacity = 5_000) {
    this.#capacity = capacity;
  }

  /** True the first time an id is seen. */
  firstTime(id: string): boolean {
    if (this.#seen.has(id)) return false;
    this.#seen.add(id);
    if (this.#seen.size > this.#capacity) this.#seen.delete(this.#seen.values().next().value ?? '');
    return true;
  }

  /** The delivery's work failed for good: a redelivery of it is handled again. */
  forget(id: string): void {
    this.#seen.delete(id);
  }
}

/**
 * At most `max` tasks at once per key: an installation on a large organisation opens its first pull requests a few
 * at a time instead of all at once (GitHub's secondary rate limits punish bursts of writes; Renovate staggers too).
 */
export class ConcurrencyLimit {
  readonly #max: number;
  readonly #active = new Map<string, number>();
  readonly #waiting = new Map<string, (() => void)[]>();
  /** The most tasks that ever ran at once for one key (observability and tests). */
  highWater = 0;

  constructor(max: number) {
    this.#max = max;
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    if ((this.#active.get(key) ?? 0) >= this.#max) await new Promise<void>((resolve) => this.#waiting.set(key, [...(this.#waiting.get(key) ?? []), resolve]));
    const active = (this.#active.get(key) ?? 0) + 1;
    this.#active.set(key, active);
    this.highWater = Math.max(this.highWater, active);
    try {
      return await task();
    } finally {
      this.#active.set(key, (this.#active.get(key) ?? 1) - 1);
      const next = this.#waiting.get(key)?.shift();
      if (next) next();
    }
  }
}

/** Appends `item` to `log` and drops its oldest entries beyond `limit`, so the log keeps the last `limit` only. */
export function appendBounded<T>(log: T[], item: T, limit: number): void {
  log.push(item);
  if (log.length > limit) log.splice(0, log.length - limit);
}

/** A small least-recently-used map (config per default-branch commit). */
export class LruCache<V> {
  readonly #entries = new Map<string, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value ?? '');
  }

  /** Drops every entry whose key starts with `prefix` (an organisation's config changed). */
  forget(prefix: string): void {
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#entries.delete(key);
  }
}
