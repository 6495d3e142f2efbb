import { stringify } from 'yaml';
import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import { replaceObjects } from '../inventory/inventory.ts';
import { locate, type LoadedDocument } from '../load/load.ts';
import { joinPath } from '../inventory/kustomize.ts';
import type { KustomizationBuild, PatchDocument, PatchStage } from '../inventory/kustomize-build.ts';
import type { Inventory, K8sObject, Kustomization, KustomizePatch } from '../inventory/model.ts';
import type { GeneratedResource, LinkerdResource } from '../linkerd/resources.ts';
import { getIn, isRecord } from '../values.ts';
import type { SourceLocation } from '../source.ts';
import type { EditIntent } from '../edits/edit-intent.ts';
import { generatedPath } from './placement.ts';

type Body = Readonly<Record<string, unknown>>;

/** What the rules make of a repository: enough of RuleOutput to compare two versions of it. */
export interface Translation {
  readonly resources: readonly GeneratedResource[];
  readonly edits: readonly EditIntent[];
  readonly findings: readonly Finding[];
}

export interface OverlayInput {
  readonly inventory: Inventory;
  readonly builds: ReadonlyMap<Kustomization, KustomizationBuild>;
  /** The translation of the repository as written (every base). */
  readonly base: Translation;
  readonly translate: (inventory: Inventory) => Translation;
  /** OSM objects the migration removes from their files (forklift): patches of them lose their target. */
  readonly removed: ReadonlySet<K8sObject>;
}

export interface OverlayPlan {
  /** Generated Linkerd patch (and resource) files, by path. */
  readonly files: ReadonlyMap<string, string>;
  /** Edits of kustomizations and patch files, so every build still finds what it lists and patches. */
  readonly intents: readonly EditIntent[];
  readonly findings: readonly Finding[];
  /** Each overlay patch of an OSM object whose translation is patched too: where it is, and the Linkerd file written for it. */
  readonly patched: readonly { readonly at: SourceLocation; readonly patchFile: string }[];
}

/**
 * What a kustomization deploys is its resources with its patches applied, so a patch of an OSM object changes the
 * Linkerd resources that object becomes in that build. For every patch that changes what the rules emit, the change
 * is written as a Linkerd patch of the same resources (JSON merge semantics, which kustomize uses for CRDs: mappings
 * merge, lists are replaced, null deletes), listed where the OSM patch was; a patch whose OSM target the migration
 * removes leaves the kustomization, since kustomize fails on a patch that matches nothing.
 */
export function planOverlays(input: OverlayInput): OverlayPlan {
  const files = new Map<string, string>();
  const intents: EditIntent[] = [];
  const findings: Finding[] = [];
  const patched: { at: SourceLocation; patchFile: string }[] = [];
  for (const build of input.builds.values()) {
    if (!build.stages.some((s) => s.changes.size > 0 || touchesRemoved(s, input.removed))) continue;
    const k = build.kustomization;
    let bodies = new Map(build.inputs);
    let previous = translationOf(input, bodies, new Map());
    const addedResources: string[] = [];
    for (const stage of build.stages) {
      let current = previous;
      const homes = patchHomes(stage);
      if (stage.changes.size > 0) {
        bodies = new Map(bodies);
        for (const [object, change] of stage.changes) bodies.set(object, change.after);
        current = translationOf(input, bodies, homes);
        intents.push(...patchDocumentEdits(previous, current, homes));
      }
      const diff = diffTranslations(previous.resources, current.resources, new Set(build.inputs.keys()));
      const where = stage.documents[0]?.at ?? { file: k.file, line: 1 };
      findings.push(...newFindings(previous.findings, current.findings, where, k, new Set(stage.documents.map((d) => d.at.file))));
      const path = stagePath(k, stage.patch);
      if (diff.patches.length > 0) files.set(path, renderPatchFile(k, stage.patch, diff.patches));
      const added = path.replace(/\.linkerd\.yaml$/, '.resources.linkerd.yaml');
      if (diff.added.length > 0) {
        files.set(added, renderPatchFile(k, stage.patch, diff.added));
        addedResources.push(relativeTo(k.dir, added));
      }
      intents.push(...listingIntents(k, stage, input.removed, diff.patches.length > 0 ? relativeTo(k.dir, path) : undefined, findings));
      if (diff.patches.length > 0 || diff.added.length > 0) {
        patched.push({ at: where, patchFile: diff.patches.length > 0 ? path : added });
        findings.push(finding('kustomize/overlay-translated', where, {
          message: `${stage.patch.entry ?? 'An inline patch'} in ${k.file} changes ${[...stage.changes.keys()].map((o) => `${o.ref.kind}/${o.ref.name}`).join(', ')}: in this build the Linkerd resources are patched by ${path}${diff.added.length > 0 ? ' and extended by a resources file' : ''}.`,
        }));
      }
      previous = current;
    }
    const last = k.resources.at(-1);
    for (const entry of addedResources) intents.push({ type: 'add-list-item', doc: k.doc, path: [listKeyOf(k)], value: entry, ...(last !== undefined ? { after: last } : {}) });
  }
  return { files, intents, findings, patched };
}

function touchesRemoved(stage: PatchStage, removed: ReadonlySet<K8sObject>): boolean {
  return [...stage.targets.values()].some((set) => [...set].some((o) => removed.has(o)));
}

/**
 * The repository's translation with the objects of one build at the bodies the build has given them so far. An
 * object a strategic-merge patch file changed is read from that patch document (`homes`): the rules' edits of it (an
 * OSM annotation the patch sets, renamed in place) then land in the patch, where the overlay wrote the value.
 */
function translationOf(input: OverlayInput, bodies: ReadonlyMap<K8sObject, Body | undefined>, homes: ReadonlyMap<K8sObject, LoadedDocument>): Translation {
  const replacements = new Map<K8sObject, K8sObject | undefined>();
  for (const [object, body] of bodies) {
    if (body === object.body) continue;
    const home = homes.get(object);
    const at = home ? { doc: home, locate: (path: readonly (string | number)[]) => locate(home, path) } : {};
    replacements.set(object, body === undefined ? undefined : { ...object, ...at, body });
  }
  if (replacements.size === 0) return input.base;
  const translation = input.translate(replaceObjects(input.inventory, replacements));
  // Generated resources name their origin: map a replaced version back to the object the repository holds.
  const original = new Map([...replacements].flatMap(([o, r]) => (r ? [[r, o] as const] : [])));
  return { ...translation, resources: translation.resources.map((g) => ({ ...g, origin: original.get(g.origin) ?? g.origin })) };
}

/** Which strategic-merge patch document (in a file) last changed each object this stage changed. */
function patchHomes(stage: PatchStage): Map<K8sObject, LoadedDocument> {
  const homes = new Map<K8sObject, LoadedDocument>();
  for (const document of stage.documents) {
    if (!document.doc || !isRecord(document.value)) continue;
    for (const object of stage.targets.get(document) ?? []) if (stage.changes.has(object)) homes.set(object, document.doc);
  }
  return homes;
}

/**
 * The rules' edits of a patch document, when they are the patch's own: a key the patch writes (an OSM annotation
 * renamed or removed), or a key added that the earlier translation did not add (the overlay meshes a namespace its
 * base does not, so the namespace gets its Linkerd annotations in the overlay's patch).
 */
function patchDocumentEdits(previous: Translation, current: Translation, homes: ReadonlyMap<K8sObject, LoadedDocument>): EditIntent[] {
  const docs = new Set(homes.values());
  const signature = (e: EditIntent) => JSON.stringify(['path' in e ? e.path : [], 'key' in e ? e.key : '', 'value' in e ? e.value : '', 'newKey' in e ? e.newKey : '']);
  const earlier = new Set(previous.edits.map(signature));
  return current.edits.filter((e) => {
    if (!docs.has(e.doc) || !('key' in e) || !('path' in e)) return false;
    if (getIn(e.doc.value, [...e.path, e.key]) !== undefined) return true;
    return e.type === 'set-key' && !earlier.has(signature(e));
  });
}

interface TranslationDiff {
  /** JSON merge patches (and `$patch: delete` documents) of resources both translations emit or the earlier one only. */
  readonly patches: readonly Record<string, unknown>[];
  /** Resources only the later translation emits. */
  readonly added: readonly LinkerdResource[];
}

function diffTranslations(before: readonly GeneratedResource[], after: readonly GeneratedResource[], members: ReadonlySet<K8sObject>): TranslationDiff {
  const index = (list: readonly GeneratedResource[]) =>
    new Map(list.filter((g) => members.has(g.origin)).map((g) => [resourceKey(g.resource), g.resource]));
  const was = index(before);
  const now = index(after);
  const patches: Record<string, unknown>[] = [];
  const added: LinkerdResource[] = [];
  for (const [key, resource] of now) {
    const old = was.get(key);
    if (!old) added.push(resource);
    else {
      const change = mergePatch(old as unknown as Body, resource as unknown as Body);
      if (change !== undefined) patches.push(withIdentity(resource, change));
    }
  }
  for (const [key, resource] of was) if (!now.has(key)) patches.push({ ...identity(resource), $patch: 'delete' });
  return { patches, added };
}

/** The patch names its target first (apiVersion, kind, name, namespace), then the changes, metadata ones included. */
function withIdentity(r: LinkerdResource, change: Record<string, unknown>): Record<string, unknown> {
  const head = identity(r);
  const metadata = isRecord(change['metadata']) ? { ...(head['metadata'] as Record<string, unknown>), ...change['metadata'] } : head['metadata'];
  return { ...head, ...change, metadata };
}

function identity(r: LinkerdResource): Record<string, unknown> {
  return { apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.metadata.name, ...(r.metadata.namespace !== undefined ? { namespace: r.metadata.namespace } : {}) } };
}

function resourceKey(r: LinkerdResource): string {
  return `${r.apiVersion}|${r.kind}|${r.metadata.namespace ?? ''}|${r.metadata.name}`;
}

/** RFC 7386 merge patch from `a` to `b`, undefined when they are equal. */
function mergePatch(a: Body, b: Body): Record<string, unknown> | undefined {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(b)) {
    const old = a[key];
    if (JSON.stringify(old) === JSON.stringify(value)) continue;
    if (isRecord(old) && isRecord(value)) {
      const inner = mergePatch(old, value);
      if (inner !== undefined) patch[key] = inner;
    } else patch[key] = value;
  }
  for (const key of Object.keys(a)) if (!(key in b)) patch[key] = null;
  return Object.keys(patch).length === 0 ? undefined : patch;
}

/** Findings the patched version raises and the unpatched one did not, said on the patch's line (or its own line in the patch). */
function newFindings(before: readonly Finding[], after: readonly Finding[], where: { file: string; line: number }, k: Kustomization, patchFiles: ReadonlySet<string>): Finding[] {
  const seen = new Set(before.map((f) => `${f.id}\u0000${f.message}`));
  return after
    .filter((f) => !seen.has(`${f.id}\u0000${f.message}`))
    .map((f) => {
      const message = `In the build of ${k.file}: ${f.message}`;
      if (patchFiles.has(f.file)) return { ...f, message };
      // Moved to the patch's line: a suggested replacement of the original line would not apply there.
      const moved: Finding = { id: f.id, severity: f.severity, file: where.file, line: where.line, resource: f.resource, message, remediation: f.remediation, docsUrl: f.docsUrl };
      return f.affects ? { ...moved, affects: f.affects } : moved;
    });
}

function stagePath(k: Kustomization, patch: KustomizePatch): string {
  if (patch.file !== undefined) return generatedPath(patch.file);
  return joinPath(k.dir, `kustomization-${patch.field}-${patch.index + 1}.linkerd.yaml`);
}

function renderPatchFile(k: Kustomization, patch: KustomizePatch, documents: readonly unknown[]): string {
  const header = `# Generated by osm2linkerd from ${patch.entry ?? `an inline patch`} of ${k.file}: the same change, made to the Linkerd resources. Review it before applying; re-running the migration rewrites this file.\n`;
  const docs = documents.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false }));
  return header + docs.map((d, i) => (i === 0 ? d : `---\n${d}`)).join('');
}

/**
 * Keeps the kustomization building: an OSM patch whose every target the migration removes leaves the list (its
 * generated Linkerd patch takes its place); a patch that still has targets stays, with the documents that targeted
 * removed objects taken out of its file, and the generated patch is listed beside it.
 */
function listingIntents(k: Kustomization, stage: PatchStage, removed: ReadonlySet<K8sObject>, generated: string | undefined, findings: Finding[]): EditIntent[] {
  const { patch } = stage;
  const gone = (d: PatchDocument) => {
    const targets = stage.targets.get(d);
    return targets !== undefined && targets.size > 0 && [...targets].every((o) => removed.has(o));
  };
  const goneDocs = stage.documents.filter(gone);
  const intents: EditIntent[] = [];
  const list = [patch.field];
  const keep = goneDocs.length < stage.documents.length || goneDocs.length === 0;
  if (!keep) {
    // The entry names only removed objects. A strategic-merge or `patches` path entry is repointed at the Linkerd patch.
    if (generated !== undefined && patch.file !== undefined && patch.field === 'patchesStrategicMerge' && patch.entry !== undefined) {
      return [{ type: 'replace-list-item', doc: k.doc, path: list, old: patch.entry, value: generated }];
    }
    // An inline entry is replaced in one edit too (a removal and an addition at the same place would overlap).
    if (generated !== undefined && patch.field === 'patches') {
      return [{ type: 'replace-list-entry', doc: k.doc, path: list, index: patch.index, entry: { key: 'path', value: generated } }];
    }
    if (generated !== undefined && patch.field === 'patchesStrategicMerge') {
      return [{ type: 'replace-list-entry', doc: k.doc, path: list, index: patch.index, entry: generated }];
    }
    intents.push({ type: 'remove-list-entry', doc: k.doc, path: list, index: patch.index });
  } else if (goneDocs.length > 0) {
    for (const d of goneDocs) {
      if (d.doc) intents.push({ type: 'remove-document', doc: d.doc });
      else {
        findings.push(finding('kustomize/patch-not-exact', d.at, {
          message: `An inline patch in ${k.file} patches OSM objects the migration removes and other objects: remove its OSM part by hand, or the build fails.`,
        }));
      }
    }
  }
  if (generated !== undefined) intents.push(addPatchEntry(k, generated));
  return intents;
}

/** A new `patches:` entry (created when the kustomization lists its patches only under the deprecated fields). */
function addPatchEntry(k: Kustomization, path: string): EditIntent {
  const value = k.doc.value as Record<string, unknown>;
  if (!Array.isArray(value['patches']) && Array.isArray(value['patchesStrategicMerge'])) {
    return { type: 'add-list-item', doc: k.doc, path: ['patchesStrategicMerge'], value: path };
  }
  return { type: 'add-list-mapping', doc: k.doc, path: ['patches'], entry: { key: 'path', value: path } };
}

function listKeyOf(k: Kustomization): string {
  const value = k.doc.value as Record<string, unknown>;
  return ['resources', 'bases'].find((key) => Array.isArray(value[key]) && (value[key] as unknown[]).includes(k.resources.at(-1))) ?? 'resources';
}

function relativeTo(dir: string, path: string): string {
  return dir && path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : path;
}
