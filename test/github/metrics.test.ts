import { fork } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { askForMetrics } from '../../src/github/child-metrics.ts';
import { includeChildMetrics, metricsText, observeJob, observeQueueDepth } from '../../src/github/metrics.ts';

const SOURCE = join(import.meta.dirname, '../../src/github');

describe('metrics of a replica whose jobs run in a worker process', () => {
  // A worker process as main.ts forks it: it records job metrics and answers the parent's requests over IPC.
  const dir = mkdtempSync(join(tmpdir(), 'osm2linkerd-metrics-'));
  const script = join(dir, 'worker.ts');
  writeFileSync(script, [
    `import { answerMetricsRequests } from ${JSON.stringify(join(SOURCE, 'child-metrics.ts'))};`,
    `import { observeJob, observeQueueDepth } from ${JSON.stringify(join(SOURCE, 'metrics.ts'))};`,
    `observeJob('opened', 1.5); observeJob('opened', 2.5);`,
    `observeQueueDepth(async () => ({ waiting: 3 }));`,
    `answerMetricsRequests();`,
    `process.on('disconnect', () => process.exit(0));`,
    `process.send?.('ready');`,
  ].join('\n'));
  const child = fork(script, [], { stdio: 'ignore' });
  afterAll(() => {
    child.kill();
  });

  it('/metrics merges the worker\'s job metrics with its own; the queue depth is taken once', async () => {
    await new Promise((resolve) => child.once('message', resolve));
    observeJob('opened', 0.5);
    observeQueueDepth(async () => ({ waiting: 3 }));
    includeChildMetrics(() => askForMetrics(child));
    const { body } = await metricsText();
    expect(body).toMatch(/osm2linkerd_job_duration_seconds_count\{outcome="opened"\} 3\n/);
    expect(body).toMatch(/osm2linkerd_job_duration_seconds_sum\{outcome="opened"\} 4.5\n/);
    expect(body).toMatch(/osm2linkerd_queue_depth\{state="waiting"\} 3\n/);
    // A worker that is gone leaves this process's own metrics.
    includeChildMetrics(() => askForMetrics(undefined));
    expect((await metricsText()).body).toMatch(/osm2linkerd_job_duration_seconds_count\{outcome="opened"\} 1\n/);
    includeChildMetrics(() => Promise.resolve(undefined));
  });
});
