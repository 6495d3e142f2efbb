/**
 * npm run bench [-- --shape generated,overlays --sizes 1000,5000 --corpus]: the migration's cost next to the floor, a
 * bare `yaml` parse + stringify of the same documents in the same process. The ratio is the figure to watch (the
 * machine is shared, so times are CPU time and the ratio is the figure to compare); t(2n)/t(n) shows whether the cost grows linearly. Each shape and
 * size runs in a child process of its own, whose process.resourceUsage().maxRSS is the peak memory.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { migrate, type MigrationOptionsInput } from '../src/core/index.ts';
import { corpusRepositories } from '../test/support/shared.ts';
import { SHAPES, type BenchShape } from './generate-repository.ts';

interface Measurement {
  readonly shape: string;
  readonly size: number;
  readonly files: number;
  readonly documents: number;
  readonly requests: number;
  /** CPU milliseconds (user + system) of one migrate, and its wall-clock milliseconds. */
  readonly migrateMs: number;
  readonly migrateWallMs: number;
  /** CPU milliseconds of one bare parse + stringify (mean of three). */
  readonly yamlMs: number;
  readonly maxRssMiB: number;
}

function bareYaml(files: ReadonlyMap<string, string>): number {
  let documents = 0;
  for (const [path, text] of files) {
    if (!/\.(ya?ml|json)$/.test(path)) continue;
    for (const doc of parseAllDocuments(text)) {
      documents++;
      if (doc.errors.length === 0) doc.toString();
    }
  }
  return documents;
}

/**
 * CPU milliseconds of one call of `fn` (user + system of the process, GC threads included): on a shared machine
 * wall-clock time mostly measures the neighbours. Wall-clock milliseconds beside it.
 */
function elapsed(fn: () => unknown): { cpu: number; wall: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / 1000, wall: performance.now() - start };
}

/** One shape at one size, in this (child) process: a small warm-up run of each, then one timed migrate and the mean of three bare parses. */
function measure(shapeName: string, size: number): Measurement {
  const shape = SHAPES.find((s) => s.name === shapeName) as BenchShape;
  const files = shape.generate(size);
  const warmUp = shape.generate(Math.min(size, 300));
  migrate(warmUp, shape.options);
  bareYaml(warmUp);
  let requests = 0;
  const run = elapsed(() => {
    requests = migrate(files, shape.options).verification.requests;
  });
  let documents = 0;
  const yamlMs = (elapsed(() => (documents = bareYaml(files))).cpu + elapsed(() => bareYaml(files)).cpu + elapsed(() => bareYaml(files)).cpu) / 3;
  return {
    shape: shapeName, size, files: files.size, documents, requests, migrateMs: run.cpu, migrateWallMs: run.wall, yamlMs,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function runChild(shape: string, size: number): Measurement {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', '--shape', shape, '--sizes', String(size)], {
    encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Measurement;
}

function row(m: Measurement, previous: Measurement | undefined): string {
  const growth = previous && m.size === 2 * previous.size ? `  t(${m.size / 1000}k)/t(${previous.size / 1000}k) ${(m.migrateMs / previous.migrateMs).toFixed(2)}` : '';
  return `${m.shape.padEnd(21)} ${String(m.size).padStart(6)}  docs ${String(m.documents).padStart(6)}  requests ${String(m.requests).padStart(8)}  ` +
    `migrate cpu ${(m.migrateMs / 1000).toFixed(2).padStart(7)} s (wall ${(m.migrateWallMs / 1000).toFixed(2).padStart(7)} s)  yaml cpu ${(m.yamlMs / 1000).toFixed(2).padStart(6)} s  ` +
    `ratio ${(m.migrateMs / m.yamlMs).toFixed(1).padStart(5)}x  peak RSS ${m.maxRssMiB.toFixed(0).padStart(5)} MiB${growth}`;
}

function corpusReport(): void {
  const corpus = new Map<string, string>();
  for (const r of corpusRepositories()) for (const [path, text] of r.files) corpus.set(`${r.name}/${path}`, text);
  if (corpus.size === 0) return void console.log('corpus: ../shared/corpus not present, skipped');
  const options: MigrationOptionsInput = {};
  migrate(corpus, options);
  const runs = 3;
  const migrateMs = elapsed(() => { for (let i = 0; i < runs; i++) migrate(corpus, options); }).cpu / runs;
  bareYaml(corpus);
  const yamlMs = elapsed(() => { for (let i = 0; i < runs; i++) bareYaml(corpus); }).cpu / runs;
  console.log(`corpus (all repositories) files ${corpus.size}  migrate cpu ${migrateMs.toFixed(1)} ms  yaml cpu ${yamlMs.toFixed(1)} ms  ratio ${(migrateMs / yamlMs).toFixed(1)}x`);
}

const { values } = parseArgs({
  options: {
    shape: { type: 'string', default: SHAPES.map((s) => s.name).join(',') },
    sizes: { type: 'string', default: '1000,5000,10000,20000' },
    corpus: { type: 'boolean', default: false },
    child: { type: 'boolean', default: false },
  },
});
const shapes = (values.shape ?? '').split(',').filter(Boolean);
const sizes = (values.sizes ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const unknown = shapes.filter((s) => !SHAPES.some((shape) => shape.name === s));
if (unknown.length > 0 || sizes.length === 0) {
  console.error(`usage: npm run bench -- [--shape ${SHAPES.map((s) => s.name).join(',')}] [--sizes 1000,5000,10000,20000] [--corpus]`);
  process.exit(2);
}

if (values.child) {
  console.log(JSON.stringify(measure(shapes[0] as string, sizes[0] as number)));
} else {
  for (const shape of SHAPES.filter((s) => shapes.includes(s.name))) {
    console.log(`# ${shape.name}: ${shape.description}`);
    let previous: Measurement | undefined;
    for (const size of sizes) {
      const m = runChild(shape.name, size);
      console.log(row(m, previous));
      previous = m;
    }
  }
  if (values.corpus) corpusReport();
}
