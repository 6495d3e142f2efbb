import { RE2JS } from 're2js';
import { apiGroup } from '../source.ts';
import { isRecord } from '../values.ts';
import type { PatchTarget } from './model.ts';

/** A JSON value as YAML parses it into plain data. */
type Value = unknown;
type Mapping = Record<string, unknown>;

/** The patched object, `deleted` when a `$patch: delete` removes it, or why the patch cannot be applied exactly. */
export type PatchResult =
  | { readonly ok: true; readonly value: Mapping; readonly deleted?: false }
  | { readonly ok: true; readonly deleted: true }
  | { readonly ok: false; readonly reason: string };

/**
 * API groups whose kinds kustomize knows from the Kubernetes OpenAPI schema, so their lists merge by the schema's
 * merge keys. Every other kind (OSM, SMI, Linkerd and other CRDs) gets JSON merge patch semantics (RFC 7386): mappings
 * merge, lists are replaced whole, null deletes a key.
 */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'networking.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'autoscaling', 'extensions',
  'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io',
]);

export function isBuiltInKind(apiVersion: string): boolean {
  return BUILT_IN_GROUPS.has(apiGroup(apiVersion));
}

/** patchMergeKey of the built-in list fields manifests here use (Kubernetes OpenAPI); other lists are replaced whole. */
function mergeKeyOf(path: readonly string[]): string | undefined {
  const field = path.at(-1);
  const parent = path.at(-2);
  switch (field) {
    case 'containers': case 'initContainers': case 'ephemeralContainers': case 'env': case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts': return 'mountPath';
    case 'volumeDevices': return 'devicePath';
    case 'hostAliases': return 'ip';
    case 'topologySpreadConstraints': return 'topologyKey';
    // A container's ports merge by containerPort; a Service's by port.
    case 'ports': return parent === 'spec' ? 'port' : 'containerPort';
    default: return undefined;
  }
}

/** Applies a strategic-merge patch document to an object the way kustomize does for the object's kind. */
export function applyStrategicMerge(base: Mapping, patch: Mapping): PatchResult {
  const builtIn = isBuiltInKind(String(base['apiVersion'] ?? ''));
  if (patch['$patch'] === 'delete') return { ok: true, deleted: true };
  try {
    return { ok: true, value: mergeMapping(base, withoutIdentity(patch), [], builtIn) };
  } catch (error) {
    if (error instanceof NotExact) return { ok: false, reason: error.message };
    throw error;
  }
}

/** The patch's apiVersion/kind/name say which object it patches; they are not changes (a target selector may rename). */
function withoutIdentity(patch: Mapping): Mapping {
  const rest = without(patch, ['apiVersion', 'kind']);
  const metadata = rest['metadata'];
  return isRecord(metadata) ? { ...rest, metadata: without(metadata, ['name', 'namespace']) } : rest;
}

function without(mapping: Mapping, keys: readonly string[]): Mapping {
  return Object.fromEntries(Object.entries(mapping).filter(([key]) => !keys.includes(key)));
}

class NotExact extends Error {}

function mergeMapping(base: Mapping, patch: Mapping, path: readonly string[], builtIn: boolean): Mapping {
  for (const key of Object.keys(patch)) {
    if (key.startsWith('$') && key !== '$patch') throw new NotExact(`the directive ${key} at ${describe(path)} is not supported`);
  }
  if (patch['$patch'] === 'replace') {
    return without(patch, ['$patch']);
  }
  if (patch['$patch'] !== undefined) throw new NotExact(`$patch: ${String(patch['$patch'])} at ${describe(path)} is not supported`);
  const result: Mapping = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const at = [...path, key];
    if (value === null) delete result[key];
    else if (isRecord(value)) result[key] = mergeMapping(isRecord(base[key]) ? base[key] : {}, value, at, builtIn);
    else if (Array.isArray(value)) result[key] = builtIn ? mergeList(base[key], value, at) : stripDirectives(value, at);
    else result[key] = value;
  }
  return result;
}

function mergeList(base: Value, patch: readonly Value[], path: readonly string[]): Value[] {
  const key = mergeKeyOf(path);
  if (key === undefined || !Array.isArray(base)) return stripDirectives(patch, path);
  const result: Value[] = [...(base as Value[])];
  // kustomize (v5.5, checked with `kubectl kustomize`) puts the items only the patch has before the base's items.
  const added: Value[] = [];
  for (const item of patch) {
    if (!isRecord(item) || item[key] === undefined) throw new NotExact(`an item of ${describe(path)} has no ${key}, the list's merge key`);
    const at = result.findIndex((b) => isRecord(b) && b[key] === item[key]);
    if (item['$patch'] === 'delete') {
      if (at >= 0) result.splice(at, 1);
      continue;
    }
    if (at >= 0) result[at] = mergeMapping(result[at] as Mapping, item, [...path, String(item[key])], true);
    else added.push(mergeMapping({}, item, [...path, String(item[key])], true));
  }
  return [...added, ...result];
}

/** A replaced list is taken as written, but a directive inside it has no meaning kustomize would apply: not exact. */
function stripDirectives(list: readonly Value[], path: readonly string[]): Value[] {
  if (JSON.stringify(list).includes('"$')) {
    const directive = /"(\$[^"]+)"/.exec(JSON.stringify(list))?.[1] ?? '$';
    throw new NotExact(`the directive ${directive} inside ${describe(path)} is not supported`);
  }
  return [...list];
}

function describe(path: readonly string[]): string {
  return path.length === 0 ? 'the top level' : path.join('.');
}

/** Applies JSON 6902 operations (RFC 6902 with RFC 6901 pointers) to a copy of the object. */
export function applyJson6902(base: Mapping, operations: Value): PatchResult {
  if (!Array.isArray(operations)) return { ok: false, reason: 'a JSON 6902 patch must be a list of operations' };
  let doc: Value = structuredClone(base);
  for (const [i, raw] of operations.entries()) {
    if (!isRecord(raw) || typeof raw['op'] !== 'string' || typeof raw['path'] !== 'string') {
      return { ok: false, reason: `operation ${i + 1} has no op or path` };
    }
    const result = applyOperation(doc, raw);
    if (typeof result === 'string') return { ok: false, reason: `operation ${i + 1} (${raw['op']} ${raw['path']}): ${result}` };
    doc = result.value;
  }
  return isRecord(doc) ? { ok: true, value: doc } : { ok: false, reason: 'the result is not an object' };
}

function applyOperation(doc: Value, op: Mapping): { value: Value } | string {
  const path = parsePointer(String(op['path']));
  if (path === undefined) return 'the path is not a JSON pointer';
  switch (op['op']) {
    case 'add': return 'value' in op ? insert(doc, path, op['value']) : 'no value';
    case 'replace': {
      if (!('value' in op)) return 'no value';
      const removed = remove(doc, path);
      return typeof removed === 'string' ? removed : insert(removed.value, path, op['value']);
    }
    case 'remove': return remove(doc, path);
    case 'move': case 'copy': {
      const from = parsePointer(String(op['from'] ?? ''));
      if (from === undefined || typeof op['from'] !== 'string') return 'no from pointer';
      const value = read(doc, from);
      if (value === undefined) return `${op['from']} does not exist`;
      const source = op['op'] === 'move' ? remove(doc, from) : { value: doc };
      return typeof source === 'string' ? source : insert(source.value, path, structuredClone(value));
    }
    case 'test': {
      const value = read(doc, path);
      return JSON.stringify(value) === JSON.stringify(op['value']) ? { value: doc } : 'the test failed (kustomize would stop)';
    }
    default: return `the operation ${String(op['op'])} is not JSON 6902`;
  }
}

function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function read(doc: Value, path: readonly string[]): Value {
  let node = doc;
  for (const part of path) {
    if (Array.isArray(node)) node = /^\d+$/.test(part) ? node[Number(part)] : undefined;
    else if (isRecord(node)) node = Object.hasOwn(node, part) ? node[part] : undefined;
    else return undefined;
  }
  return node;
}

/** Returns a new document with `value` at `path` (an array index inserts, `-` appends). */
function insert(doc: Value, path: readonly string[], value: Value): { value: Value } | string {
  if (path.length === 0) return { value };
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(doc)) {
    const index = head === '-' ? doc.length : /^\d+$/.test(head) ? Number(head) : NaN;
    if (!(index >= 0 && index <= doc.length)) return `index ${head} is out of range`;
    const copy = [...doc];
    if (rest.length === 0) {
      copy.splice(index, 0, value);
      return { value: copy };
    }
    if (index === doc.length) return `index ${head} is out of range`;
    const inner = insert(copy[index], rest, value);
    if (typeof inner === 'string') return inner;
    copy[index] = inner.value;
    return { value: copy };
  }
  if (!isRecord(doc)) return `${head} has no parent object`;
  if (rest.length === 0) return { value: { ...doc, [head]: value } };
  if (!Object.hasOwn(doc, head)) return `${head} does not exist`;
  const inner = insert(doc[head], rest, value);
  return typeof inner === 'string' ? inner : { value: { ...doc, [head]: inner.value } };
}

function remove(doc: Value, path: readonly string[]): { value: Value } | string {
  if (path.length === 0) return 'the whole document cannot be removed';
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(doc)) {
    const index = /^\d+$/.test(head) ? Number(head) : NaN;
    if (!(index >= 0 && index < doc.length)) return `index ${head} does not exist`;
    const copy = [...doc];
    if (rest.length === 0) copy.splice(index, 1);
    else {
      const inner = remove(copy[index], rest);
      if (typeof inner === 'string') return inner;
      copy[index] = inner.value;
    }
    return { value: copy };
  }
  if (!isRecord(doc) || !Object.hasOwn(doc, head)) return `${head} does not exist`;
  if (rest.length === 0) {
    return { value: without(doc, [head]) };
  }
  const inner = remove(doc[head], rest);
  return typeof inner === 'string' ? inner : { value: { ...doc, [head]: inner.value } };
}

/** What a patch selector is matched against: an object as the kustomization has built it so far. */
export interface PatchCandidate {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** Whether a `target` selector selects the candidate; undefined when the selector uses syntax the model does not read. */
export function selects(target: PatchTarget, c: PatchCandidate): boolean | undefined {
  const slash = c.apiVersion.indexOf('/');
  const version = slash < 0 ? c.apiVersion : c.apiVersion.slice(slash + 1);
  if (target.group !== undefined && target.group !== apiGroup(c.apiVersion)) return false;
  if (target.version !== undefined && target.version !== version) return false;
  if (target.kind !== undefined && target.kind !== c.kind) return false;
  if (target.name !== undefined && !anchored(target.name).test(c.name)) return false;
  if (target.namespace !== undefined && !anchored(target.namespace).test(c.namespace ?? '')) return false;
  const labels = target.labelSelector === undefined ? true : selectorMatches(target.labelSelector, c.labels);
  const annotations = target.annotationSelector === undefined ? true : selectorMatches(target.annotationSelector, c.annotations);
  if (labels === false || annotations === false) return false;
  return labels === undefined || annotations === undefined ? undefined : true;
}

/**
 * kustomize compiles name and namespace selectors as Go regexes anchored at both ends: RE2, so a hostile pattern
 * cannot backtrack. A pattern RE2 rejects matches only itself, literally.
 */
function anchored(pattern: string): { test(value: string): boolean } {
  try {
    const re = RE2JS.compile(`^(?:${pattern})$`);
    return { test: (value: string) => re.matches(value) };
  } catch {
    return { test: (value: string) => value === pattern };
  }
}

/** Equality-based label selectors (`a=b,c!=d,e,!f`); set-based ones (`in`, `notin`) are not modelled. */
function selectorMatches(selector: string, values: Readonly<Record<string, string>>): boolean | undefined {
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (term === '') continue;
    if (/\s(in|notin)\s/.test(term) || term.includes('(')) return undefined;
    const m = /^(!?)([^=!]+?)\s*(?:(==|=|!=)\s*(.*))?$/.exec(term);
    if (!m) return undefined;
    const [, not, key = '', op, value = ''] = m;
    const present = Object.hasOwn(values, key);
    if (op === undefined) {
      if (not ? present : !present) return false;
    } else if (op === '!=') {
      if (present && values[key] === value) return false;
    } else if (values[key] !== value) return false;
  }
  return true;
}
