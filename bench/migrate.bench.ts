/**
 * npm run bench: the migration's cost next to the floor, a bare `yaml` parse + stringify of the same documents.
 * The ratio is the figure to watch. Inputs: the OSM corpus, and a generated repository of 10,000 resources.
 */
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { migrate } from '../src/core/index.ts';
import { corpusRepositories } from '../test/support/shared.ts';
import { generatedRepository } from './generate-repository.ts';

/** Mean milliseconds of `runs` runs after one warm-up run (whose result is returned for the report). */
function time<T>(fn: () => T, runs: number): { ms: number; result: T } {
  const result = fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return { ms: (performance.now() - start) / runs, result };
}

function bareYaml(files: ReadonlyMap<string, string>): void {
  for (const [path, text] of files) {
    if (!/\.(ya?ml|json)$/.test(path)) continue;
    for (const doc of parseAllDocuments(text)) if (doc.errors.length === 0) doc.toString();
  }
}

function report(name: string, files: ReadonlyMap<string, string>, runs: number): void {
  const { ms: core, result: plan } = time(() => migrate(files), runs);
  const { ms: floor } = time(() => bareYaml(files), runs);
  console.log(
    `${name.padEnd(28)} files ${String(files.size).padStart(5)}  resources out ${String(plan.resources.length).padStart(6)}  ` +
    `verify requests ${String(plan.verification.requests).padStart(7)}  migrate ${core.toFixed(1).padStart(8)} ms  ` +
    `yaml parse+stringify ${floor.toFixed(1).padStart(7)} ms  ratio ${(core / floor).toFixed(1)}x`,
  );
}

const corpus = new Map<string, string>();
for (const r of corpusRepositories()) for (const [path, text] of r.files) corpus.set(`${r.name}/${path}`, text);
report('corpus (all repositories)', corpus, 3);
report('generated, 10,000 resources', generatedRepository(10_000), 1);
