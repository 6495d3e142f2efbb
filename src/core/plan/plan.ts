import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import { getIn } from '../values.ts';
import type { Inventory, K8sObject } from '../inventory/model.ts';
import { joinPath, kustomizationsListing } from '../inventory/kustomize.ts';
import { objectKey } from '../inventory/object-versions.ts';
import type { GeneratedResource } from '../linkerd/resources.ts';
import type { LoadResult, LoadedDocument } from '../load/load.ts';
import type { MigrationOptions } from '../options.ts';
import type { Consumed } from '../rules/rule.ts';
import type { EditIntent, KeyValue, TextEdit } from '../edits/edit-intent.ts';
import { generatedPath, groupByOriginFile, renderGeneratedFile } from './placement.ts';
import { applyTextEdits, EditsByOffset } from './text-edit.ts';
import type { FileChange } from './types.ts';
import { intentToTextEdits } from './yaml-edit.ts';

export interface FilePlanInput {
  readonly load: LoadResult;
  readonly inventory: Inventory;
  readonly resources: readonly GeneratedResource[];
  readonly edits: readonly EditIntent[];
  readonly consumed: readonly Consumed[];
  readonly options: MigrationOptions;
  /** Linkerd patch files of kustomize overlays and the kustomization edits that list them (plan/overlays.ts). */
  readonly overlays?: { readonly files: ReadonlyMap<string, string>; readonly intents: readonly EditIntent[] };
  /** A phase before the lock-down keeps the OSM documents: OSM still runs beside Linkerd. */
  readonly keepOsmDocuments?: boolean;
}

export interface FilePlan {
  readonly files: readonly FileChange[];
  readonly findings: readonly Finding[];
}

/**
 * New files beside their sources, added to the kustomizations that list the source; rule edits as minimal text
 * edits; OSM documents removed unless a phase keeps them.
 */
export function planFiles(input: FilePlanInput): FilePlan {
  const findings: Finding[] = [];
  const byOrigin = groupByOriginFile(input.resources);
  const created = new Map<string, string>();
  for (const [source, resources] of byOrigin) created.set(generatedPath(source), renderGeneratedFile(source, resources));
  for (const [path, content] of input.overlays?.files ?? []) if (!created.has(path)) created.set(path, content);
  // A file with a syntax error is left exactly as it is (its load finding says so); its valid documents still translate.
  const broken = new Set(input.load.findings.filter((f) => f.id === 'load/yaml-syntax-error').map((f) => f.file));
  const removable = !input.keepOsmDocuments ? removableDocuments(input.consumed).filter((d) => !broken.has(d.file)) : [];
  const emptied = filesFullyRemoved(input.load, new Set(removable.map(docKey)));
  const kept = filesWithoutReplacement(emptied, created, input.inventory);
  findings.push(...[...kept].map(keptFinding));
  const removed = removable.filter((d) => !kept.has(d.file));
  const removedKeys = new Set(removed.map(docKey));
  const intents: EditIntent[] = [
    ...input.edits.filter((e) => !removedKeys.has(docKey(e.doc)) && !broken.has(e.doc.file)),
    ...removed.map((doc): EditIntent => ({ type: 'remove-document', doc })),
  ];
  const deletedFiles = new Set([...emptied].filter((f) => !kept.has(f)));
  intents.push(...kustomizationIntents(input.inventory, byOrigin, deletedFiles, removedKeys), ...(input.overlays?.intents ?? []));
  const modified = applyIntents(input.load, intents, findings);
  const files: FileChange[] = [];
  for (const [path, content] of created) {
    const previous = input.load.files.get(path)?.text;
    if (previous === content) continue;
    files.push(previous === undefined ? { path, action: 'create', content } : { path, action: 'modify', content, previous });
  }
  for (const [path, content] of modified) {
    if (created.has(path)) continue;
    const previous = input.load.files.get(path)?.text ?? '';
    if (deletedFiles.has(path)) files.push({ path, action: 'delete', content: '', previous });
    else if (content !== previous) files.push({ path, action: 'modify', content, previous });
  }
  return { files: files.sort((a, b) => a.path.localeCompare(b.path)), findings };
}

function docKey(doc: LoadedDocument): string {
  return `${doc.file}#${doc.index}`;
}

/** Whole OSM objects a rule took over. Objects no rule consumed stay (their unhandled finding says so). */
function removableDocuments(consumed: readonly Consumed[]): LoadedDocument[] {
  const seen = new Map<string, LoadedDocument>();
  for (const c of consumed) if (!c.path && isOsmApi(c.object)) seen.set(docKey(c.object.doc), c.object.doc);
  return [...seen.values()];
}

/** The objects forklift removes (patches of them lose their target). */
export function removedObjects(consumed: readonly Consumed[]): Set<K8sObject> {
  return new Set(consumed.filter((c) => !c.path && isOsmApi(c.object)).map((c) => c.object));
}

function isOsmApi(object: K8sObject): boolean {
  return /smi-spec\.io|openservicemesh\.io/.test(object.ref.apiVersion) || !object.ref.apiVersion.includes('.');
}

function filesFullyRemoved(load: LoadResult, removedKeys: ReadonlySet<string>): Set<string> {
  const deleted = new Set<string>();
  for (const [path, file] of load.files) {
    if (file.documents.length > 0 && file.documents.every((d) => removedKeys.has(docKey(d))) && !hasOtherContent(file.text, file.documents)) {
      deleted.add(path);
    }
  }
  return deleted;
}

/**
 * The invariant that no translation is lost with its file: a file is deleted only when its replacement is written.
 * That is its own generated file beside it, or, for a file whose objects are each the only definition of their
 * object (an HTTPRouteGroup, a MeshConfig), the translation the rules wrote where the object is used. A version of
 * an object several files define has no such other place (the other versions are translated each in their own
 * file), so without a generated file of its own it is kept.
 */
export function filesWithoutReplacement(candidates: ReadonlySet<string>, created: ReadonlyMap<string, string>, inventory: Inventory): Set<string> {
  const filesByKey = new Map<string, Set<string>>();
  for (const o of inventory.objects) filesByKey.set(objectKey(o), (filesByKey.get(objectKey(o)) ?? new Set()).add(o.doc.file));
  const versionedFiles = new Set(inventory.objects.filter((o) => (filesByKey.get(objectKey(o))?.size ?? 0) > 1).map((o) => o.doc.file));
  return new Set([...candidates].filter((file) => !created.has(generatedPath(file)) && versionedFiles.has(file)));
}

function keptFinding(file: string): Finding {
  return finding('plan/file-kept', { file, line: 1 }, {
    message: `${file} is kept with its OSM documents: they are versions of objects other files define too, and no translation of their own is written beside them, so deleting it would lose this version. Remove it by hand once you have checked the translation of the version you apply.`,
  });
}

/** Comments or empty documents outside the parsed documents keep a file alive (someone wrote them for a reason). */
function hasOtherContent(text: string, docs: readonly LoadedDocument[]): boolean {
  let rest = text;
  for (const d of [...docs].sort((a, b) => b.range[0] - a.range[0])) rest = rest.slice(0, d.range[0]) + rest.slice(d.range[1]);
  return rest.split('\n').some((line) => line.trim() !== '' && line.trim() !== '---' && !line.trim().startsWith('#'));
}

/** List each generated file where its source is listed; replace the entry when the source file goes away. */
function kustomizationIntents(
  inventory: Inventory,
  byOrigin: ReadonlyMap<string, readonly GeneratedResource[]>,
  deletedFiles: ReadonlySet<string>,
  removedKeys: ReadonlySet<string>,
): EditIntent[] {
  const intents: EditIntent[] = [];
  for (const source of new Set([...byOrigin.keys(), ...deletedFiles])) {
    const target = byOrigin.has(source) ? generatedPath(source) : undefined;
    for (const k of kustomizationsListing(inventory.kustomizations, source)) {
      if (removedKeys.has(docKey(k.doc))) continue;
      const entry = k.resources.find((e) => joinPath(k.dir, e) === source);
      if (entry === undefined) continue;
      const listKey = listKeyHolding(k.doc, entry);
      // A removed file with nothing generated beside it leaves the list: kustomize fails on a missing resource.
      if (target === undefined) {
        intents.push({ type: 'remove-list-item', doc: k.doc, path: [listKey], value: entry });
        continue;
      }
      if (k.resources.some((e) => joinPath(k.dir, e) === target)) continue;
      const relative = relativeTo(k.dir, target);
      if (deletedFiles.has(source)) intents.push({ type: 'replace-list-item', doc: k.doc, path: [listKey], old: entry, value: relative });
      else intents.push({ type: 'add-list-item', doc: k.doc, path: [listKey], value: relative, after: entry });
    }
  }
  return intents;
}

function listKeyHolding(doc: LoadedDocument, entry: string): string {
  const value = doc.value as Record<string, unknown>;
  for (const key of ['resources', 'bases', 'components']) {
    const list = value[key];
    if (Array.isArray(list) && list.includes(entry)) return key;
  }
  return 'resources';
}

function relativeTo(dir: string, path: string): string {
  return dir && path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : path;
}

/** Turns intents into text edits per file and applies them; an intent that cannot be done losslessly is a finding. */
function applyIntents(load: LoadResult, intents: readonly EditIntent[], findings: Finding[]): Map<string, string> {
  const byFile = new Map<string, EditIntent[]>();
  for (const intent of intents) {
    const list = byFile.get(intent.doc.file);
    if (list) list.push(intent);
    else byFile.set(intent.doc.file, [intent]);
  }
  const result = new Map<string, string>();
  for (const [path, fileIntents] of byFile) {
    const text = load.files.get(path)?.text ?? '';
    const edits = new EditsByOffset();
    for (const intent of mergeRemovals(mergeSetKeys(fileIntents, findings))) {
      const r = intentToTextEdits(text, intent);
      if (!r.ok) {
        findings.push(editFailure(intent, r.reason));
        continue;
      }
      if (r.edits.some((e) => edits.overlapping(e).some((x) => !(isDeletion(e) && isDeletion(x))))) {
        findings.push(editFailure(intent, 'it overlaps another change to the same lines'));
        continue;
      }
      for (const e of r.edits) edits.add(e);
    }
    result.set(path, applyTextEdits(text, mergeDeletions(edits.all)));
  }
  return result;
}

/**
 * Set-keys on the same mapping become one intent: two rules adding annotations to a Service that has none must create
 * one `annotations:` mapping holding both, not two. A key set twice to different values keeps the first, with a finding.
 */
function mergeSetKeys(intents: readonly EditIntent[], findings: Finding[]): EditIntent[] {
  const merged: EditIntent[] = [];
  const groups = new Map<string, { index: number; entries: KeyValue[] }>();
  const docIds = new Map<LoadedDocument, number>();
  for (const intent of intents) {
    if (intent.type !== 'set-key') {
      merged.push(intent);
      continue;
    }
    if (!docIds.has(intent.doc)) docIds.set(intent.doc, docIds.size);
    const key = `${docIds.get(intent.doc) ?? 0}\u0000${JSON.stringify(intent.path)}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { index: merged.length, entries: [{ key: intent.key, value: intent.value }] });
      merged.push({ type: 'set-keys', doc: intent.doc, path: intent.path, entries: [] });
      continue;
    }
    const same = group.entries.find((e) => e.key === intent.key);
    if (!same) group.entries.push({ key: intent.key, value: intent.value });
    else if (same.value !== intent.value) findings.push(editFailure(intent, `${intent.key} is also set to "${same.value}" by another rule`));
  }
  for (const group of groups.values()) {
    const placeholder = merged[group.index];
    if (placeholder?.type !== 'set-keys') continue;
    merged[group.index] = { ...placeholder, entries: group.entries };
    findings.push(...replacedValues({ ...placeholder, entries: group.entries }));
  }
  return merged;
}

/**
 * An annotation someone wrote that a rule overwrites is said, never replaced silently. (Other fields a rule sets, such
 * as a Service port's OSM appProtocol, are the OSM values being translated.)
 */
function replacedValues(intent: Extract<EditIntent, { type: 'set-keys' }>): Finding[] {
  if (intent.path.at(-1) !== 'annotations') return [];
  const current = getIn(intent.doc.value, intent.path);
  if (current === null || typeof current !== 'object' || Array.isArray(current)) return [];
  return intent.entries.flatMap((entry) => {
    const before = (current as Record<string, unknown>)[entry.key];
    if (before === undefined || String(before) === String(entry.value)) return [];
    const at = { file: intent.doc.file, line: intent.doc.lineCounter.linePos(intent.doc.range[0]).line };
    return [finding('plan/value-replaced', at, { message: `${entry.key} was ${JSON.stringify(before)} in ${intent.doc.file} and becomes "${entry.value}": the translation needs it; check that nothing relied on the old value.` })];
  });
}

/** Removals from one sequence become one intent, so removing its last items leaves `[]` rather than a null. */
function mergeRemovals(intents: readonly EditIntent[]): EditIntent[] {
  const merged: EditIntent[] = [];
  const groups = new Map<LoadedDocument, Map<string, number>>();
  for (const intent of intents) {
    if (intent.type !== 'remove-list-item') {
      merged.push(intent);
      continue;
    }
    const byPath = groups.get(intent.doc) ?? new Map<string, number>();
    groups.set(intent.doc, byPath);
    const at = byPath.get(JSON.stringify(intent.path));
    const existing = at === undefined ? undefined : merged[at];
    if (existing?.type === 'remove-list-items') {
      if (!existing.values.includes(intent.value)) merged[at ?? 0] = { ...existing, values: [...existing.values, intent.value] };
      continue;
    }
    byPath.set(JSON.stringify(intent.path), merged.length);
    merged.push({ type: 'remove-list-items', doc: intent.doc, path: intent.path, values: [intent.value] });
  }
  return merged;
}

function isDeletion(e: TextEdit): boolean {
  return e.text === '' && e.end > e.start;
}

/** Removing two neighbouring documents can claim the same separator line: deletions that overlap become one. */
function mergeDeletions(edits: readonly TextEdit[]): TextEdit[] {
  const deletions = edits.filter(isDeletion).sort((a, b) => a.start - b.start);
  const merged: TextEdit[] = [];
  for (const d of deletions) {
    const last = merged.at(-1);
    if (last && d.start <= last.end) merged[merged.length - 1] = { ...last, end: Math.max(last.end, d.end) };
    else merged.push(d);
  }
  return [...edits.filter((e) => !isDeletion(e)), ...merged];
}

function editFailure(intent: EditIntent, reason: string): Finding {
  const at = { file: intent.doc.file, line: intent.doc.lineCounter.linePos(intent.doc.range[0]).line };
  const what = 'key' in intent ? `set ${intent.key}`
    : intent.type === 'set-keys' ? `set ${intent.entries.map((e) => e.key).join(', ')}`
    : intent.type === 'remove-list-items' ? `remove ${intent.values.join(', ')}` : intent.type;
  return finding('plan/edit-failed', at, { message: `Could not ${what} in ${intent.doc.file}: ${reason}.` });
}
