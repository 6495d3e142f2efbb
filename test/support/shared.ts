import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/** ../shared beside the project root: the OSM corpus, the Linkerd CRD schemas and the semantics notes. */
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const CORPUS = join(SHARED, 'corpus', 'osm');
export const SCHEMAS = join(SHARED, 'schemas');
export const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/**
 * Whether ../shared sits beside the project root. A fresh clone has no ../shared: the suites that read it are skipped
 * (test/global-setup.ts says so in one line) and everything else runs; .ci/run fails instead, so CI never skips them.
 */
export const HAS_SHARED = existsSync(CORPUS) && existsSync(SCHEMAS);
export const SHARED_MISSING =
  'skipped: ../shared not found — the corpus, CRD schema and whole-repository suites need it; see README';

/**
 * A suite that reads ../shared. Without it the factory is never called (so its reads never run) and one skipped
 * placeholder stands for the suite.
 */
export function describeWithShared(name: string, factory: () => void): void {
  if (HAS_SHARED) describe(name, factory);
  else describe.skip(name, () => it('needs ../shared', () => undefined));
}

/** A test (or `.each` table of tests) that reads ../shared: skipped without it, its body never runs. */
export const itWithShared = it.skipIf(!HAS_SHARED);

/** A value read from ../shared on first use, so that importing a test file never reads ../shared. */
export function readLazily<T>(read: () => T): () => T {
  let value: { read: T } | undefined;
  return () => (value ??= { read: read() }).read;
}

/** Every file under a folder as a repository (POSIX paths relative to it). */
export function readTree(root: string, filter: (path: string) => boolean = () => true): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const rel = relative(root, path).split('\\').join('/');
        if (filter(rel)) files.set(rel, readFileSync(path, 'utf8'));
      }
    }
  };
  walk(root);
  return files;
}

/** Corpus folders: one per source repository. */
export function corpusRepositories(): { name: string; files: Map<string, string> }[] {
  if (!HAS_SHARED) throw new Error(`${CORPUS} not found: a test that reads ../shared belongs in describeWithShared or itWithShared`);
  return readdirSync(CORPUS)
    .filter((name) => statSync(join(CORPUS, name)).isDirectory())
    .sort()
    .map((name) => ({ name, files: readTree(join(CORPUS, name)) }));
}
