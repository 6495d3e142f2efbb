import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the project root: the OSM corpus, the Linkerd CRD schemas and the semantics notes. */
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const CORPUS = join(SHARED, 'corpus', 'osm');
export const SCHEMAS = join(SHARED, 'schemas');
export const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

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
  return readdirSync(CORPUS)
    .filter((name) => statSync(join(CORPUS, name)).isDirectory())
    .sort()
    .map((name) => ({ name, files: readTree(join(CORPUS, name)) }));
}
