import { mkdtempSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_NICENESS, WorkerProcess } from './worker-process.ts';

describe('WorkerProcess', () => {
  // Issue 10: "/ping took up to 2 s while a scan ran": the translation runs in a child that yields the CPU to the
  // process answering GitHub and the probes.
  it('starts the worker child at a lower scheduling priority than the HTTP process', async () => {
    const entry = join(mkdtempSync(join(tmpdir(), 'osm2linkerd-worker-')), 'idle.mjs');
    writeFileSync(entry, "process.on('message', () => {}); process.on('disconnect', () => process.exit(0));\n");
    const worker = new WorkerProcess(entry, process.env);
    worker.start();
    const pid = worker.process?.pid;
    expect(pid).toBeTypeOf('number');
    try {
      expect(getPriority(pid as number) - getPriority()).toBe(WORKER_NICENESS);
    } finally {
      await worker.stop();
    }
  });
});
