import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import { locate, type LoadedDocument } from '../load/load.ts';
import type { Kustomization, KustomizePatch, PatchTarget } from './model.ts';

const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_FILE.test(path);
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * Joins a kustomization-relative entry to its directory, resolving `.` and `..` (POSIX, no leading slash). A `..`
 * beyond the repository root stays in the result (`../x`), so it never names a file of the repository.
 */
export function joinPath(dir: string, entry: string): string {
  const parts: string[] = dir ? dir.split('/') : [];
  for (const part of entry.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

export function isOutsideRepository(path: string): boolean {
  return path === '..' || path.startsWith('../');
}

export function isRemoteEntry(entry: string): boolean {
  return /^[a-z]+:\/\//i.test(entry) || entry.startsWith('git@') || /^github\.com\//.test(entry);
}

export function readKustomization(doc: LoadedDocument): Kustomization | undefined {
  const value = doc.value;
  if (!isRecord(value)) return undefined;
  const lists = ['resources', 'bases', 'components'].flatMap((key) => {
    const list = value[key];
    return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string') : [];
  });
  const namespace = typeof value['namespace'] === 'string' ? value['namespace'] : undefined;
  const dir = dirname(doc.file);
  return { file: doc.file, dir, resources: lists, patches: readPatches(value, dir), doc, ...(namespace ? { namespace } : {}) };
}

/** patchesStrategicMerge (paths or inline YAML), patches (path or inline, with target) and patchesJson6902, in kustomize's order. */
function readPatches(value: Record<string, unknown>, dir: string): KustomizePatch[] {
  const patches: KustomizePatch[] = [];
  const list = (key: string): readonly unknown[] => (Array.isArray(value[key]) ? (value[key] as unknown[]) : []);
  list('patchesStrategicMerge').forEach((item, index) => {
    if (typeof item !== 'string') return;
    // kustomize reads an item that parses as a document (not a bare path) as an inline patch.
    if (item.includes('\n') || /^\s*[{[]/.test(item)) patches.push({ field: 'patchesStrategicMerge', index, inline: item });
    else patches.push({ field: 'patchesStrategicMerge', index, entry: item, file: joinPath(dir, item) });
  });
  for (const field of ['patches', 'patchesJson6902'] as const) {
    list(field).forEach((item, index) => {
      if (!isRecord(item)) return;
      const target = readTarget(item['target']);
      const common = { field, index, ...(target ? { target } : {}) };
      if (typeof item['path'] === 'string') patches.push({ ...common, entry: item['path'], file: joinPath(dir, item['path']) });
      else if (typeof item['patch'] === 'string') patches.push({ ...common, inline: item['patch'] });
    });
  }
  return patches;
}

function readTarget(value: unknown): PatchTarget | undefined {
  if (!isRecord(value)) return undefined;
  const target: Record<string, string> = {};
  for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector']) {
    if (typeof value[key] === 'string') target[key] = value[key];
  }
  return target;
}

/** Every file some kustomization reads as a patch. */
export function patchFiles(kustomizations: readonly Kustomization[]): Set<string> {
  return new Set(kustomizations.flatMap((k) => k.patches.flatMap((p) => (p.file ? [p.file] : []))));
}

/** Every file some kustomization lists under resources/bases/components. */
export function resourceFiles(kustomizations: readonly Kustomization[]): Set<string> {
  return new Set(kustomizations.flatMap((k) => k.resources.filter((e) => !isRemoteEntry(e)).map((e) => joinPath(k.dir, e))));
}

/**
 * Entries that climb above the repository root name files the migration cannot see: what they deploy (and the
 * namespace they get) is unknown, so they are reported, never resolved to a file inside the repository.
 */
export function kustomizationFindings(k: Kustomization): Finding[] {
  const value = k.doc.value as Record<string, unknown>;
  const findings: Finding[] = [];
  for (const key of ['resources', 'bases', 'components']) {
    const list = value[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      if (typeof entry === 'string' && !isRemoteEntry(entry) && isOutsideRepository(joinPath(k.dir, entry))) {
        findings.push(outside(k, [key, i], entry));
      }
    });
  }
  for (const p of k.patches) {
    if (p.file && p.entry && isOutsideRepository(p.file)) {
      findings.push(outside(k, p.field === 'patchesStrategicMerge' ? [p.field, p.index] : [p.field, p.index, 'path'], p.entry));
    }
  }
  return findings;
}

function outside(k: Kustomization, path: readonly (string | number)[], entry: string): Finding {
  return finding('kustomize/entry-outside-repository', locate(k.doc, path), {
    message: `${k.file} lists ${entry}, which lies outside the repository: the migration cannot read what it deploys or patches there, and does not translate it.`,
  });
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
      if (isRemoteEntry(entry)) continue;
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
