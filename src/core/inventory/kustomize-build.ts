import { parseAllDocuments } from 'yaml';
import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import { locate, type LoadedDocument } from '../load/load.ts';
import type { SourceLocation } from '../source.ts';
import { asRecord, asStringMap, isRecord } from '../values.ts';
import { isNamespaced } from './inventory.ts';
import { isRemoteEntry, joinPath } from './kustomize.ts';
import type { Inventory, K8sObject, Kustomization, KustomizePatch } from './model.ts';
import { applyJson6902, applyStrategicMerge, selects, type PatchCandidate, type PatchResult } from './patches.ts';

type Body = Readonly<Record<string, unknown>>;

/** One object as a kustomization has built it so far. `body` undefined: a `$patch: delete` removed it. */
interface BuiltObject {
  readonly object: K8sObject;
  readonly body: Body | undefined;
  /** metadata.namespace as the object is written, and after the namespace transformers applied so far. */
  readonly writtenNamespace?: string;
  readonly namespace?: string;
}

/** One document of a patch, with the line findings point to. */
export interface PatchDocument {
  readonly value: unknown;
  readonly at: SourceLocation;
  /** The document in its patch file (undefined for an inline patch). */
  readonly doc?: LoadedDocument;
}

/** What one patch entry of a kustomization did to the objects its kustomization builds. */
export interface PatchStage {
  readonly patch: KustomizePatch;
  readonly documents: readonly PatchDocument[];
  /** Bodies of the objects the patch changed, before and after it (undefined: deleted). */
  readonly changes: ReadonlyMap<K8sObject, { readonly before: Body | undefined; readonly after: Body | undefined }>;
  /** Every object each document targets, changed or not. */
  readonly targets: ReadonlyMap<PatchDocument, ReadonlySet<K8sObject>>;
  /** The patch could not be applied exactly: its targets keep their earlier bodies, and a finding says so. */
  readonly inexact: boolean;
}

/** A kustomization's build: the objects it deploys (by source object) and what each of its patches did. */
export interface KustomizationBuild {
  readonly kustomization: Kustomization;
  /** Every object the build contains, with its body as its resources build it (their own patches applied)... */
  readonly inputs: ReadonlyMap<K8sObject, Body | undefined>;
  /** ... and once this kustomization's patches applied too. */
  readonly objects: ReadonlyMap<K8sObject, Body | undefined>;
  readonly stages: readonly PatchStage[];
}

export interface KustomizeBuildResult {
  readonly builds: ReadonlyMap<Kustomization, KustomizationBuild>;
  readonly findings: readonly Finding[];
}

/**
 * What each kustomization deploys: its resources (files and other kustomizations, recursively) with its patches
 * applied in kustomize's order (patchesStrategicMerge, patches, patchesJson6902). Patches match objects by kind, name
 * and namespace (as written or as the bases set it), or by their `target` selector.
 */
export function buildKustomizations(inventory: Inventory): KustomizeBuildResult {
  const byDir = new Map(inventory.kustomizations.map((k) => [k.dir, k]));
  const objectsByFile = groupBy(inventory.objects, (o) => o.doc.file);
  const docsByFile = groupBy([...inventory.patchDocuments, ...inventory.objects.map((o) => o.doc)], (d) => d.file);
  const builds = new Map<Kustomization, { build: KustomizationBuild; items: BuiltObject[] }>();
  const findings: Finding[] = [];

  const build = (k: Kustomization, stack: ReadonlySet<Kustomization>): BuiltObject[] => {
    const done = builds.get(k);
    if (done) return done.items;
    if (stack.has(k)) return [];
    const inner = new Set(stack).add(k);
    let items: BuiltObject[] = [];
    let opaque = false;
    for (const entry of k.resources) {
      if (isRemoteEntry(entry)) {
        opaque = true;
        continue;
      }
      const path = joinPath(k.dir, entry);
      const child = byDir.get(path);
      if (child) items.push(...build(child, inner));
      else {
        for (const object of objectsByFile.get(path) ?? []) {
          const written = asRecord(object.body['metadata'])['namespace'];
          const ns = typeof written === 'string' ? written : undefined;
          items.push({ object, body: object.body, ...(ns !== undefined ? { writtenNamespace: ns, namespace: ns } : {}) });
        }
        if (!objectsByFile.has(path)) opaque ||= !(docsByFile.has(path));
      }
    }
    const inputs = new Map(items.map((i) => [i.object, i.body]));
    const stages: PatchStage[] = [];
    // A Component's patches apply to the resources of the kustomization that includes it, which this model does not
    // follow: they are left alone (neither applied here nor reported as matching nothing).
    const component = asRecord(k.doc.value)['kind'] === 'Component';
    for (const patch of component ? [] : k.patches) {
      const documents = patchDocuments(k, patch, docsByFile, findings);
      const stage = applyPatch(k, patch, documents, items, opaque, findings);
      items = stage.items;
      stages.push(stage.stage);
    }
    if (k.namespace !== undefined) items = items.map((i) => (isClusterScoped(i.object) ? i : { ...i, namespace: k.namespace }));
    const objects = new Map(items.map((i) => [i.object, i.body]));
    builds.set(k, { build: { kustomization: k, inputs, objects, stages }, items });
    return items;
  };
  for (const k of inventory.kustomizations) build(k, new Set());
  return { builds: new Map([...builds].map(([k, v]) => [k, v.build])), findings };
}

function patchDocuments(k: Kustomization, patch: KustomizePatch, docsByFile: ReadonlyMap<string, readonly LoadedDocument[]>, findings: Finding[]): PatchDocument[] {
  const entryPath = patch.field === 'patchesStrategicMerge' ? [patch.field, patch.index] : [patch.field, patch.index, patch.file ? 'path' : 'patch'];
  if (patch.inline !== undefined) {
    const at = locate(k.doc, entryPath);
    const values = parseInline(patch.inline);
    if (values === undefined) {
      findings.push(finding('kustomize/patch-not-exact', at, { message: `The inline patch #${patch.index + 1} of ${patch.field} in ${k.file} is not valid YAML (or expands too many aliases), so what it changes is unknown.` }));
      return [];
    }
    return values.map((value) => ({ value, at }));
  }
  return (docsByFile.get(patch.file ?? '') ?? [])
    .filter((doc) => doc.value !== null && doc.value !== undefined)
    .map((doc) => ({ value: doc.value, doc, at: locate(doc, []) }));
}

function parseInline(text: string): unknown[] | undefined {
  const parsed = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(parsed) || parsed.some((d) => d.errors.length > 0)) return undefined;
  try {
    return parsed.map((d) => d.toJS() as unknown).filter((v) => v !== null && v !== undefined);
  } catch {
    return undefined;
  }
}

function applyPatch(
  k: Kustomization,
  patch: KustomizePatch,
  documents: readonly PatchDocument[],
  items: readonly BuiltObject[],
  opaque: boolean,
  findings: Finding[],
): { items: BuiltObject[]; stage: PatchStage } {
  const current = [...items];
  const changes = new Map<K8sObject, { before: Body | undefined; after: Body | undefined }>();
  const targets = new Map<PatchDocument, Set<K8sObject>>();
  let inexact = false;
  const fail = (at: SourceLocation, reason: string): void => {
    inexact = true;
    findings.push(finding('kustomize/patch-not-exact', at, { message: `${describePatch(k, patch)}: ${reason}.` }));
  };
  for (const document of documents) {
    const json6902 = Array.isArray(document.value);
    if (json6902 !== (patch.field === 'patchesJson6902') && patch.field !== 'patches') {
      fail(document.at, json6902 ? 'a JSON 6902 operation list is listed as a strategic-merge patch' : 'patchesJson6902 lists a document that is not a list of operations');
      continue;
    }
    const matched: number[] = [];
    let unknownSelector = false;
    current.forEach((item, index) => {
      if (item.body === undefined) return;
      const hit = patch.target ? selects(patch.target, candidate(item)) : !json6902 && sameObject(document.value, item);
      if (hit === undefined) unknownSelector = true;
      else if (hit) matched.push(index);
    });
    if (unknownSelector) {
      fail(document.at, 'its target selector uses set-based terms (in, notin) the migration does not evaluate');
      continue;
    }
    if (json6902 && !patch.target) {
      fail(document.at, 'a JSON 6902 patch has no target');
      continue;
    }
    if (matched.length === 0) {
      // A base the migration cannot read (a remote URL, a path outside the repository) may hold the target.
      if (!opaque) findings.push(finding('kustomize/patch-target-missing', document.at, { message: `${describePatch(k, patch)} matches nothing ${k.file} builds.` }));
      continue;
    }
    const documentTargets = new Set<K8sObject>();
    targets.set(document, documentTargets);
    for (const index of matched) {
      const item = current[index] as BuiltObject;
      documentTargets.add(item.object);
      const body = item.body as Body;
      const result: PatchResult = json6902 ? applyJson6902(body, document.value) : applyStrategicMerge(body, asRecord(document.value));
      if (!result.ok) {
        fail(document.at, `${result.reason} (target ${item.object.ref.kind}/${item.object.ref.name})`);
        continue;
      }
      const after = result.deleted ? undefined : result.value;
      const before = changes.get(item.object)?.before ?? body;
      changes.set(item.object, { before, after });
      current[index] = { ...item, body: after };
    }
  }
  for (const [object, change] of changes) if (JSON.stringify(change.before) === JSON.stringify(change.after)) changes.delete(object);
  return { items: current, stage: { patch, documents, changes, targets, inexact } };
}

function describePatch(k: Kustomization, patch: KustomizePatch): string {
  return `The patch ${patch.entry ?? `inline #${patch.index + 1}`} of ${patch.field} in ${k.file}`;
}

function candidate(item: BuiltObject): PatchCandidate {
  const body = item.body ?? {};
  const metadata = asRecord(body['metadata']);
  return {
    apiVersion: String(body['apiVersion'] ?? ''),
    kind: String(body['kind'] ?? ''),
    name: String(metadata['name'] ?? ''),
    ...(item.namespace !== undefined ? { namespace: item.namespace } : {}),
    labels: asStringMap(metadata['labels']),
    annotations: asStringMap(metadata['annotations']),
  };
}

/**
 * A strategic-merge patch without target patches the object with its apiVersion, kind, name and namespace; kustomize
 * compares the namespace with the object's current one and with the one it was written with, and reads an absent
 * namespace as `default`.
 */
function sameObject(patch: unknown, item: BuiltObject): boolean {
  if (!isRecord(patch) || !item.body) return false;
  const metadata = asRecord(patch['metadata']);
  const own = asRecord(item.body['metadata']);
  if (patch['kind'] !== item.body['kind'] || metadata['name'] !== own['name']) return false;
  if (patch['apiVersion'] !== undefined && patch['apiVersion'] !== item.body['apiVersion']) return false;
  const wanted = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : 'default';
  return [item.namespace, item.writtenNamespace].some((ns) => (ns ?? 'default') === wanted) || isClusterScoped(item.object);
}

function isClusterScoped(object: K8sObject): boolean {
  return !isNamespaced(object.ref.kind);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(key(item));
    if (list) list.push(item);
    else map.set(key(item), [item]);
  }
  return map;
}
