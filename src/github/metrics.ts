import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/**
 * The app's Prometheus metrics, served on `/metrics`. One registry per process: the webhook entry, the runs, the
 * queue and the Octokit hooks record into it through the functions below (no module needs prom-client itself).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'osm2linkerd_' });

/** What happened to a webhook delivery at the HTTP entry and in the handler. */
export type DeliveryOutcome = 'accepted' | 'duplicate' | 'ignored' | 'unsigned' | 'bad-signature' | 'too-large' | 'malformed' | 'failed';

const deliveries = new Counter({
  name: 'osm2linkerd_webhook_deliveries_total',
  help: 'Webhook deliveries by event and outcome',
  labelNames: ['event', 'outcome'] as const,
  registers: [registry],
});
let readQueueDepth: (() => Promise<Readonly<Record<string, number>>>) | undefined;
// Registered by its constructor; read at each scrape through `collect`.
new Gauge({
  name: 'osm2linkerd_queue_depth',
  help: 'Repository jobs by state (waiting, active, delayed, …), read from the queue at each scrape',
  labelNames: ['state'] as const,
  registers: [registry],
  // Every process of a replica reads the same queue: merged, the counts are taken once, not added up.
  aggregator: 'max',
  async collect() {
    const depth = await readQueueDepth?.().catch(() => undefined);
    for (const [state, count] of Object.entries(depth ?? {})) this.set({ state }, count);
  },
});
const jobDuration = new Histogram({
  name: 'osm2linkerd_job_duration_seconds',
  help: 'Duration of one repository run, by its outcome (a run status, or "failed")',
  labelNames: ['outcome'] as const,
  buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
  registers: [registry],
});
const retries = new Counter({ name: 'osm2linkerd_job_retries_total', help: 'Repository runs attempted again after a failure', registers: [registry] });
const failures = new Counter({ name: 'osm2linkerd_job_failures_total', help: 'Repository runs that failed (each attempt)', labelNames: ['final'] as const, registers: [registry] });
const githubRequests = new Counter({
  name: 'osm2linkerd_github_requests_total',
  help: 'Requests to GitHub by method and answer status (0: no answer)',
  labelNames: ['method', 'status'] as const,
  registers: [registry],
});
const rateLimitWaits = new Counter({
  name: 'osm2linkerd_github_rate_limit_waits_total',
  help: 'Times a request waited out a GitHub rate limit, by kind (primary, secondary)',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export function recordDelivery(event: string, outcome: DeliveryOutcome): void {
  deliveries.inc({ event: event || 'unknown', outcome });
}

/** The queue's job counts by state, read at each scrape (for a Redis queue: every replica sees the same counts). */
export function observeQueueDepth(read: () => Promise<Readonly<Record<string, number>>>): void {
  readQueueDepth = read;
}

export function observeJob(outcome: string, seconds: number): void {
  jobDuration.observe({ outcome }, seconds);
}

export function recordRetry(): void {
  retries.inc();
}

/** `final`: no attempt is left (the failure is now visible to people, not only to the queue). */
export function recordFailure(final: boolean): void {
  failures.inc({ final: String(final) });
}

export function recordGitHubRequest(method: string, status: number): void {
  githubRequests.inc({ method, status: String(status) });
}

export function recordRateLimitWait(kind: 'primary' | 'secondary'): void {
  rateLimitWaits.inc({ kind });
}

export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];
let readChildMetrics: (() => Promise<MetricsSnapshot | undefined>) | undefined;

/**
 * A replica that runs its jobs in a child process (`main.ts`) serves the child's metrics with its own: `read` asks
 * the child for a snapshot (undefined when it does not answer), merged by prom-client's aggregation (counters and
 * histograms add up, the queue depth is taken once).
 */
export function includeChildMetrics(read: () => Promise<MetricsSnapshot | undefined>): void {
  readChildMetrics = read;
}

/** This process's metrics as JSON, for the parent process to merge (the child side of `includeChildMetrics`). */
export function metricsSnapshot(): Promise<MetricsSnapshot> {
  return registry.getMetricsAsJSON();
}

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  const child = await readChildMetrics?.().catch(() => undefined);
  if (!child) return { contentType: registry.contentType, body: await registry.metrics() };
  const merged = AggregatorRegistry.aggregate([await registry.getMetricsAsJSON(), child]);
  return { contentType: merged.contentType, body: await merged.metrics() };
}
