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
}
