import type { ChildProcess } from 'node:child_process';
import { metricsSnapshot, type MetricsSnapshot } from './metrics.ts';

/** The IPC message a replica sends its worker process to ask for its metrics, and the answer. */
interface MetricsRequest { readonly type: 'osm2linkerd:metrics'; readonly id: number }
interface MetricsAnswer extends MetricsRequest { readonly metrics: MetricsSnapshot }

export function isMetricsMessage(message: unknown): message is MetricsRequest {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'osm2linkerd:metrics';
}

/** In a worker process: answers its parent's requests with this process's metrics. */
export function answerMetricsRequests(): void {
  process.on('message', (message: unknown) => {
    if (!isMetricsMessage(message)) return;
    void metricsSnapshot().then((metrics) => process.send?.({ type: message.type, id: message.id, metrics } satisfies MetricsAnswer));
  });
}

let nextId = 0;

/** In the replica: the worker process's metrics, or undefined when it is not running or does not answer in time. */
export function askForMetrics(child: ChildProcess | undefined, timeoutMs = 1_000): Promise<MetricsSnapshot | undefined> {
  if (!child?.connected) return Promise.resolve(undefined);
  const id = ++nextId;
  return new Promise((resolve) => {
    const done = (metrics: MetricsSnapshot | undefined) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(metrics);
    };
    const onMessage = (message: unknown) => {
      if (isMetricsMessage(message) && message.id === id) done((message as MetricsAnswer).metrics);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    child.on('message', onMessage);
    child.send({ type: 'osm2linkerd:metrics', id } satisfies MetricsRequest, (error) => {
      if (error) done(undefined);
    });
  });
}
