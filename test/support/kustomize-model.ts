import { parseAllDocuments } from 'yaml';

/**
 * A small model of `kustomize build`, written for the tests and sharing nothing with the translator: it answers
 * "does this kustomization still build, and what does it deploy?". It fails where kustomize fails on the things a
 * migration can break: a listed file or directory that is missing, an empty patch file, a patch that matches
 * nothing, the same object twice, a JSON 6902 operation on a path that does not exist. Patches follow kustomize for
 * CRDs (JSON merge patch: lists replaced, null deletes, `$patch: delete` removes the object); built-in kinds are
 * merged the same way, which is exact for the metadata and scalar fields the tests patch.
 */
export type Obj = Record<string, unknown>;
export type BuildResult = { readonly ok: true; readonly objects: readonly Obj[] } | { readonly ok: false; readonly error: string };

const FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

class BuildError extends Error {}

/** Directories holding a kustomization file. */
export function kustomizationDirs(files: ReadonlyMap<string, string>): string[] {
  return [...files.keys()].filter((p) => FILE_NAMES.includes(p.split('/').pop() ?? '')).map(dirOf).sort();
}

export function kustomizeBuild(files: ReadonlyMap<string, string>, dir: string): BuildResult {
  try {
    return { ok: true, objects: build(files, dir, []) };
  } catch (error) {
    if (error instanceof BuildError) return { ok: false, error: error.message };
    throw error;
  }
}

function build(files: ReadonlyMap<string, string>, dir: string, stack: readonly string[]): Obj[] {
  if (stack.includes(dir)) throw new BuildError(`cycle through ${dir}`);
  const file = FILE_NAMES.map((n) => join(dir, n)).find((p) => files.has(p));
  if (file === undefined) throw new BuildError(`${dir || '.'} has no kustomization`);
  const parsed = parseAllDocuments(files.get(file) ?? '')[0];
  if (parsed && (parsed.errors.length > 0 || parsed.warnings.length > 0)) throw new BuildError(`${file} is not valid YAML: ${[...parsed.errors, ...parsed.warnings][0]?.message ?? ''}`);
  const k = (parsed?.toJS() ?? {}) as Obj;
  if (typeof k !== 'object' || Array.isArray(k)) throw new BuildError(`${file} is not a mapping`);
  let objects: Obj[] = [];
  const listed = new Set<string>();
  for (const entry of [...list(k['resources']), ...list(k['bases']), ...list(k['components'])]) {
    if (typeof entry !== 'string') throw new BuildError(`${file}: a resource entry is not a string`);
    if (/^[a-z]+:\/\//i.test(entry) || entry.startsWith('git@') || entry.startsWith('github.com/')) throw new BuildError(`${file}: remote ${entry}`);
    const path = join(dir, entry);
    if (path.startsWith('..')) throw new BuildError(`${file}: ${entry} is outside the repository`);
    if (listed.has(path)) throw new BuildError(`${file}: ${entry} is listed twice`);
    listed.add(path);
    if (files.has(path)) objects.push(...documents(files, path));
    else if ([...files.keys()].some((p) => p.startsWith(`${path}/`))) objects.push(...build(files, path, [...stack, dir]));
    else throw new BuildError(`${file}: ${entry} does not exist`);
  }
  for (const item of list(k['patchesStrategicMerge'])) {
    const docs = typeof item === 'string' && !item.includes('\n') ? patchFile(files, dir, item, file) : inline(String(item));
    for (const doc of docs) objects = strategic(objects, doc, undefined, file);
  }
  for (const item of list(k['patches'])) {
    const p = item as Obj;
    const docs = typeof p['path'] === 'string' ? patchFile(files, dir, p['path'], file) : inline(String(p['patch'] ?? ''));
    for (const doc of docs) objects = Array.isArray(doc) ? json6902(objects, doc, p['target'] as Obj | undefined, file) : strategic(objects, doc as Obj, p['target'] as Obj | undefined, file);
  }
  const namespace = k['namespace'];
  if (typeof namespace === 'string') {
    objects = objects.map((o) => (CLUSTER_SCOPED.has(String(o['kind'])) ? o : { ...o, metadata: { ...(o['metadata'] as Obj), namespace } }));
  }
  for (const item of list(k['patchesJson6902'])) {
    const p = item as Obj;
    const docs = typeof p['path'] === 'string' ? patchFile(files, dir, p['path'], file) : inline(String(p['patch'] ?? ''));
    for (const doc of docs) objects = json6902(objects, doc, p['target'] as Obj | undefined, file);
  }
  const ids = objects.map(id);
  const twice = ids.find((x, i) => ids.indexOf(x) !== i);
  if (twice) throw new BuildError(`${file}: ${twice} is defined twice`);
  return objects;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function documents(files: ReadonlyMap<string, string>, path: string): Obj[] {
  return parseAllDocuments(files.get(path) ?? '')
    .map((d) => d.toJS() as unknown)
    .filter((v): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v));
}

function patchFile(files: ReadonlyMap<string, string>, dir: string, entry: string, file: string): unknown[] {
  const path = join(dir, entry);
  if (!files.has(path)) throw new BuildError(`${file}: patch ${entry} does not exist`);
  const docs = parseAllDocuments(files.get(path) ?? '').map((d) => d.toJS() as unknown).filter((v) => v !== null && v !== undefined);
  if (docs.length === 0) throw new BuildError(`${file}: patch ${entry} is empty`);
  return docs;
}

function inline(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS() as unknown).filter((v) => v !== null && v !== undefined);
}

function id(o: Obj): string {
  const m = (o['metadata'] ?? {}) as Obj;
  return `${String(o['apiVersion']).split('/').slice(0, -1).join('/')}|${String(o['kind'])}|${String(m['namespace'] ?? '')}|${String(m['name'])}`;
}

function selected(o: Obj, target: Obj): boolean {
  const m = (o['metadata'] ?? {}) as Obj;
  const [group, version] = String(o['apiVersion']).includes('/') ? String(o['apiVersion']).split('/') : ['', String(o['apiVersion'])];
  const checks: [unknown, unknown][] = [[target['group'], group], [target['version'], version], [target['kind'], o['kind']]];
  if (checks.some(([want, have]) => want !== undefined && want !== have)) return false;
  if (target['name'] !== undefined && !new RegExp(`^(?:${String(target['name'])})$`).test(String(m['name']))) return false;
  return target['namespace'] === undefined || new RegExp(`^(?:${String(target['namespace'])})$`).test(String(m['namespace'] ?? ''));
}

function strategic(objects: Obj[], patch: unknown, target: Obj | undefined, file: string): Obj[] {
  const p = patch as Obj;
  const pm = (p['metadata'] ?? {}) as Obj;
  const hits = objects.filter((o) => {
    if (target) return selected(o, target);
    const m = (o['metadata'] ?? {}) as Obj;
    return o['kind'] === p['kind'] && m['name'] === pm['name'] && (m['namespace'] ?? 'default') === (pm['namespace'] ?? m['namespace'] ?? 'default');
  });
  if (hits.length === 0) throw new BuildError(`${file}: no resource matches the patch of ${String(p['kind'])}/${String(pm['name'])}`);
  if (p['$patch'] === 'delete') return objects.filter((o) => !hits.includes(o));
  const changes = Object.fromEntries(Object.entries(p).filter(([key]) => key !== 'apiVersion' && key !== 'kind'));
  const metadata = Object.fromEntries(Object.entries(pm).filter(([key]) => key !== 'name' && key !== 'namespace'));
  return objects.map((o) => (hits.includes(o) ? (mergePatch(o, { ...changes, metadata }) as Obj) : o));
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Obj = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Obj) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function json6902(objects: Obj[], ops: unknown, target: Obj | undefined, file: string): Obj[] {
  if (!Array.isArray(ops) || !target) throw new BuildError(`${file}: a JSON 6902 patch needs a list of operations and a target`);
  const hits = objects.filter((o) => selected(o, target));
  if (hits.length === 0) throw new BuildError(`${file}: no resource matches the JSON 6902 target`);
  return objects.map((o) => {
    if (!hits.includes(o)) return o;
    const copy = structuredClone(o);
    for (const op of ops as Obj[]) apply(copy, op, file);
    return copy;
  });
}

function apply(doc: Obj, op: Obj, file: string): void {
  const parts = String(op['path']).split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop() ?? '';
  let node: unknown = doc;
  for (const part of parts) {
    node = (node as Record<string, unknown> | undefined)?.[part];
    if (node === undefined) throw new BuildError(`${file}: ${String(op['path'])} does not exist`);
  }
  if (Array.isArray(node)) {
    const index = last === '-' ? node.length : Number(last);
    if (op['op'] !== 'add' && !(index < node.length)) throw new BuildError(`${file}: ${String(op['path'])} does not exist`);
    node.splice(index, op['op'] === 'add' ? 0 : 1, ...(op['op'] === 'remove' ? [] : [op['value']]));
    return;
  }
  const holder = node as Record<string, unknown>;
  if (op['op'] !== 'add' && !Object.hasOwn(holder, last)) throw new BuildError(`${file}: ${String(op['path'])} does not exist`);
  if (op['op'] === 'remove') delete holder[last];
  else holder[last] = op['value'];
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function join(dir: string, entry: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const part of entry.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
