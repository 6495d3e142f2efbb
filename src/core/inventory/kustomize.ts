import type { LoadedDocument } from '../load/load.ts';
import type { Kustomization } from './model.ts';

const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_FILE.test(path);
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Joins a kustomization-relative entry to its directory, resolving `.` and `..` (POSIX, no leading slash). */
export function joinPath(dir: string, entry: string): string {
  const parts: string[] = dir ? dir.split('/') : [];
  for (const part of entry.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

export function readKustomization(doc: LoadedDocument): Kustomization | undefined {
  const value = doc.value;
  if (!isRecord(value)) return undefined;
  const lists = ['resources', 'bases', 'components'].flatMap((key) => {
    const list = value[key];
    return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string') : [];
  });
  const namespace = typeof value['namespace'] === 'string' ? value['namespace'] : undefined;
  return { file: doc.file, dir: dirname(doc.file), resources: lists, doc, ...(namespace ? { namespace } : {}) };
}

/**
 * For each file, the namespaces kustomize would give it. Kustomize's namespace transformer of an outer
 * kustomization wins over an inner one, so every build is walked from its root (a kustomization nobody includes).
 */
export function namespacesByFile(kustomizations: readonly Kustomization[], files: ReadonlySet<string>): Map<string, Set<string>> {
  const byDir = new Map(kustomizations.map((k) => [k.dir, k]));
  const included = new Set<string>();
  for (const k of kustomizations) {
    for (const entry of k.resources) {
      const child = byDir.get(joinPath(k.dir, entry));
      if (child) included.add(child.file);
    }
  }
  const result = new Map<string, Set<string>>();
  const walk = (k: Kustomization, inherited: string | undefined, seen: Set<string>): void => {
    if (seen.has(k.file)) return;
    const next = new Set(seen).add(k.file);
    const namespace = inherited ?? k.namespace;
    for (const entry of k.resources) {
      if (/^[a-z]+:\/\//i.test(entry) || entry.startsWith('git@')) continue;
      const target = joinPath(k.dir, entry);
      const child = byDir.get(target);
      if (child) walk(child, namespace, next);
      else if (files.has(target) && namespace) {
        const set = result.get(target) ?? new Set<string>();
        set.add(namespace);
        result.set(target, set);
      }
    }
  };
  for (const k of kustomizations) if (!included.has(k.file)) walk(k, undefined, new Set());
  return result;
}

/** The kustomizations that list `file` directly in resources:. */
export function kustomizationsListing(kustomizations: readonly Kustomization[], file: string): Kustomization[] {
  return kustomizations.filter((k) => k.resources.some((entry) => joinPath(k.dir, entry) === file));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
