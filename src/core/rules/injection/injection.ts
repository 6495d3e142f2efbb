import type { Finding } from '../../findings/finding.ts';
import { finding, raises, type RaisedId } from './findings.ts';
import { meshExclusions, unionList, type MeshExclusion } from '../../inventory/mesh-config.ts';
import type { Inventory, K8sObject } from '../../inventory/model.ts';
import { IGNORE, injectionValue, MONITORED_BY, namespaceMonitoring, SIDECAR_INJECTION } from '../../osm/meshed.ts';
import { locate, type LoadedDocument } from '../../load/load.ts';
import { formatRef, type NodePath } from '../../source.ts';
import { asRecord, getIn } from '../../values.ts';
import { Emitter } from '../emitter.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';
import { translateNamespaceInjection } from './namespace-injection.ts';

/**
 * openservicemesh.io annotations and labels → their Linkerd equivalents, rewritten on the same line
 * (osm-semantics §5; linkerd-semantics §3). Pod-level keys count only on the pod template, as in OSM.
 * A pod's exclusion list was a "Union with `MeshConfig.traffic…ExclusionList`" (§5) in OSM, while in Linkerd the pod's
 * `config.linkerd.io/skip-*` hides the namespace's: the rewritten line holds the union (the mesh-config rule leaves
 * those pods to this one).
 * OSM injected only in monitored namespaces, never in ignored ones (§5): in a namespace labelled
 * `openservicemesh.io/ignore` the result is `linkerd.io/inject: disabled`; a Namespace manifest without `monitored-by`
 * is translated as if monitored (the label is often set by `osm namespace add`, outside Git), with one warning.
 * Where OSM's injection itself was set outside Git, Linkerd's is written on the Namespace manifest or asked for
 * (namespace-injection.ts).
 */
export const injectionRule = defineRule({
  id: 'injection',
  consumes: ['annotation:openservicemesh.io/', 'label:openservicemesh.io/', 'label:osm-proxy-uuid'],
  raises,
  translate: translateInjection,
});

/** Pod-template annotations with a Linkerd counterpart; lists are comma-separated, spaces allowed in OSM. */
const POD_RENAMES: Readonly<Record<string, string>> = {
  'openservicemesh.io/inbound-port-exclusion-list': 'config.linkerd.io/skip-inbound-ports',
  'openservicemesh.io/outbound-port-exclusion-list': 'config.linkerd.io/skip-outbound-ports',
  'openservicemesh.io/outbound-ip-range-exclusion-list': 'config.linkerd.io/skip-subnets',
};
const INCLUSION_LIST = 'openservicemesh.io/outbound-ip-range-inclusion-list';
const POD_ONLY = new Set([...Object.keys(POD_RENAMES), INCLUSION_LIST, SIDECAR_INJECTION]);

/** Labels and annotations removed outright: Linkerd has no counterpart (finding says what replaces them). */
const REMOVALS: readonly { field: 'labels' | 'annotations'; key: string; id: RaisedId }[] = [
  { field: 'labels', key: MONITORED_BY, id: 'injection/monitored-by-removed' },
  { field: 'labels', key: IGNORE, id: 'injection/ignore-label' },
  { field: 'annotations', key: 'openservicemesh.io/metrics', id: 'injection/metrics-removed' },
  { field: 'labels', key: 'osm-proxy-uuid', id: 'injection/proxy-uuid-label' },
];

interface Place {
  readonly object: K8sObject;
  readonly metadata: NodePath;
  /** A pod template (or a Pod's own metadata): where OSM read pod-level annotations. */
  readonly isPod: boolean;
  /** A Namespace's metadata: sidecar-injection counts there too. */
  readonly isNamespace: boolean;
  /** The namespace is labelled openservicemesh.io/ignore (osm-semantics §5): OSM injected nothing there. */
  readonly ignored: boolean;
}

/** The mesh-wide exclusion values, by OSM pod annotation key. */
type MeshWide = ReadonlyMap<string, MeshExclusion>;

export function translateInjection(input: RuleInput): RuleOutput {
  const { inventory } = input;
  const out = new Emitter();
  const meshWide = meshExclusions(inventory);
  const podTemplates = new Map(inventory.workloads.map((w) => [w.object, w.podMetadataPath]));
  for (const object of inventory.objects) {
    const template = podTemplates.get(object);
    const isNamespace = object.ref.kind === 'Namespace';
    const ignored = namespaceMonitoring(inventory, isNamespace ? object.ref.name : object.ref.namespace) === 'ignored';
    const places: Place[] = [{ object, metadata: ['metadata'], isPod: object.ref.kind === 'Pod', isNamespace, ignored }];
    if (template && template.length > 1) places.push({ object, metadata: template, isPod: true, isNamespace: false, ignored });
    for (const place of places) translatePlace(place, meshWide, out);
  }
  for (const doc of inventory.otherDocuments) translateValues(doc, meshWide, out);
  warnUnlabelled(inventory, out);
  translateNamespaceInjection(input, out);
  return out.output();
}

/**
 * One warning per Namespace manifest without `monitored-by` where the migration translates something OSM-related:
 * OSM acted there only if the label was set outside Git (osm-semantics §5).
 */
function warnUnlabelled(inventory: Inventory, out: Emitter): void {
  const osmKeys = (record: Readonly<Record<string, string>>) => Object.keys(record).some((k) => OSM_KEY.test(k));
  for (const ns of inventory.namespaces) {
    if (namespaceMonitoring(inventory, ns.name) !== 'unlabelled') continue;
    const relevant = osmKeys(ns.annotations) || osmKeys(ns.labels)
      || inventory.osmObjects.some((o) => o.ref.namespace === ns.name)
      || inventory.workloads.some((w) => w.namespace === ns.name && osmKeys(w.podAnnotations));
    if (!relevant) continue;
    out.finding(finding('injection/namespace-not-monitored', ns.object.locate(['metadata']), {
      resource: formatRef(ns.object.ref),
      message: `${formatRef(ns.object.ref)} has no ${MONITORED_BY} label: OSM injected pods and applied policies here only if the label was set outside Git (osm namespace add). It is translated as if monitored; if it was not, OSM never meshed it, so set linkerd.io/inject: disabled on it and drop the policies translated for it.`,
    }));
  }
}

/**
 * Helm values files (and other non-object YAML) carry pod annotations for templates to copy: the same keys are
 * rewritten wherever they appear as mapping keys, in place.
 */
function translateValues(doc: LoadedDocument, meshWide: MeshWide, out: Emitter): void {
  walk(doc.value, [], (parent, key, value) => {
    if (!OSM_KEY.test(key)) return;
    const at = locate(doc, [...parent, key]);
    const text = value === null || value === undefined ? '' : String(value);
    const renamed = key === SIDECAR_INJECTION ? injectionValue(text) : undefined;
    if (key === SIDECAR_INJECTION && (renamed === 'enabled' || renamed === 'disabled')) {
      out.edit({ type: 'rename-key', doc, path: parent, key, newKey: 'linkerd.io/inject', newValue: renamed });
      out.finding(finding('injection/annotation-rewritten', at, { message: `${key} becomes linkerd.io/inject: "${renamed}" in ${doc.file}.` }));
    } else if (POD_RENAMES[key]) {
      const { value: merged, note } = exclusionValue(key, text, meshWide);
      out.edit({ type: 'rename-key', doc, path: parent, key, newKey: POD_RENAMES[key], newValue: merged });
      out.finding(finding('injection/annotation-rewritten', at, { message: `${key} becomes ${POD_RENAMES[key]}: "${merged}" in ${doc.file}${note}.` }));
    } else {
      out.finding(finding('unhandled/osm-annotation', at, { message: `${key} in ${doc.file} is not translated; templates that use it need the Linkerd equivalent by hand.` }));
    }
  });
}

const OSM_KEY = /^openservicemesh\.io\//;

function walk(value: unknown, path: NodePath, visit: (parent: NodePath, key: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, [...path, i], visit));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      visit(path, key, child);
      walk(child, [...path, key], visit);
    }
  }
}

function translatePlace(place: Place, meshWide: MeshWide, out: Emitter): void {
  const annotations = asRecord(getIn(place.object.body, [...place.metadata, 'annotations']));
  for (const [key, raw] of Object.entries(annotations)) {
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (key === SIDECAR_INJECTION && (place.isPod || place.isNamespace)) rewriteInjection(place, value, out);
    else if (POD_ONLY.has(key) && !place.isPod) removeIneffective(place, key, out);
    else if (POD_RENAMES[key]) rewriteExclusion(place, key, value, POD_RENAMES[key], meshWide, out);
    else if (key === INCLUSION_LIST) {
      report(out, place, 'annotations', key, 'injection/ip-range-inclusion-unsupported', `${key} on ${formatRef(place.object.ref)} has no Linkerd equivalent: it is kept.`);
    }
  }
  for (const removal of REMOVALS) {
    const map = asRecord(getIn(place.object.body, [...place.metadata, removal.field]));
    if (!(removal.key in map)) continue;
    out.edit({ type: 'remove-key', doc: place.object.doc, path: [...place.metadata, removal.field], key: removal.key });
    const keepOut = removal.key === IGNORE && place.isNamespace ? keepIgnoredOut(place, annotations, out) : '';
    report(out, place, removal.field, removal.key, removal.id, `${removal.key} removed from ${formatRef(place.object.ref)}${keepOut}.`);
  }
}

/**
 * An ignored Namespace stays out of the mesh: its sidecar-injection becomes `disabled` (rewriteInjection), else
 * `linkerd.io/inject: disabled` is added unless the manifest already sets linkerd.io/inject. Says what was done.
 */
function keepIgnoredOut(place: Place, annotations: Readonly<Record<string, unknown>>, out: Emitter): string {
  if (SIDECAR_INJECTION in annotations) return `; its ${SIDECAR_INJECTION} becomes linkerd.io/inject: "disabled", as OSM never injected there`;
  if ('linkerd.io/inject' in annotations) return '';
  out.edit({ type: 'set-key', doc: place.object.doc, path: [...place.metadata, 'annotations'], key: 'linkerd.io/inject', value: 'disabled' });
  return '; linkerd.io/inject: "disabled" is added in its place, as OSM never injected there';
}

/**
 * `enabled`/`yes`/`true` → enabled, `disabled`/`no`/`false` → disabled; anything else failed OSM's admission. In an
 * ignored namespace the webhook never saw the pods (osm-semantics §5: "The namespace must be monitored (and not
 * ignored) first"): every value becomes disabled.
 */
function rewriteInjection(place: Place, value: string, out: Emitter): void {
  const decision = injectionValue(value);
  if (place.ignored && decision !== 'disabled') {
    rename(place, SIDECAR_INJECTION, 'linkerd.io/inject', 'disabled', out);
    const namespace = place.isNamespace ? place.object.ref.name : place.object.ref.namespace ?? '';
    report(out, place, 'annotations', SIDECAR_INJECTION, 'injection/ignored-namespace',
      `${SIDECAR_INJECTION}: "${value}" on ${formatRef(place.object.ref)} becomes linkerd.io/inject: "disabled": namespace ${namespace} is labelled ${IGNORE}, so OSM never injected its pods, and Linkerd keeps them out of the mesh too.`);
    return;
  }
  if (decision === 'invalid' || decision === undefined) {
    report(out, place, 'annotations', SIDECAR_INJECTION, 'injection/invalid-value', `${SIDECAR_INJECTION}: "${value}" on ${formatRef(place.object.ref)} is not a value OSM accepted; it is not translated.`);
    return;
  }
  rename(place, SIDECAR_INJECTION, 'linkerd.io/inject', decision, out);
}

function rewriteExclusion(place: Place, key: string, value: string, linkerdKey: string, meshWide: MeshWide, out: Emitter): void {
  const { value: merged, note } = exclusionValue(key, value, meshWide);
  rename(place, key, linkerdKey, merged, out, note);
  if (linkerdKey === 'config.linkerd.io/skip-inbound-ports') {
    report(out, place, 'annotations', key, 'injection/skip-inbound-replaces-defaults', `${linkerdKey}: "${merged}" on ${formatRef(place.object.ref)} replaces Linkerd's default skipped inbound ports (4567,4568).`);
  }
}

/** The pod's own list, normalised, plus the mesh-wide values OSM added to it; `note` says where those came from. */
function exclusionValue(key: string, own: string, meshWide: MeshWide): { value: string; note: string } {
  const normalised = unionList(own, []);
  const mesh = meshWide.get(key);
  if (!mesh) return { value: normalised, note: '' };
  const value = unionList(normalised, mesh.values);
  if (value === normalised) return { value, note: '' };
  return {
    value,
    note: ` (${normalised ? `its own "${normalised}" plus ` : ''}traffic.${mesh.list.field} of ${formatRef(mesh.meshConfig.object.ref)}, which OSM added to it)`,
  };
}

function rename(place: Place, key: string, newKey: string, newValue: string, out: Emitter, note = ''): void {
  const path = [...place.metadata, 'annotations'];
  out.edit({ type: 'rename-key', doc: place.object.doc, path, key, newKey, newValue });
  const at = place.object.locate([...path, key]);
  out.consume(place.object, [...path, key]);
  out.finding(finding('injection/annotation-rewritten', at, {
    resource: formatRef(place.object.ref),
    message: `${key} becomes ${newKey}: "${newValue}" on ${formatRef(place.object.ref)}${note}.`,
  }));
}

/** OSM read pod-level keys only from pods: on a Deployment's own metadata they did nothing. */
function removeIneffective(place: Place, key: string, out: Emitter): void {
  out.edit({ type: 'remove-key', doc: place.object.doc, path: [...place.metadata, 'annotations'], key });
  report(out, place, 'annotations', key, 'injection/annotation-not-on-pod', `${key} on the metadata of ${formatRef(place.object.ref)} (not its pod template) had no effect in OSM; it is removed.`);
}

function report(out: Emitter, place: Place, field: 'labels' | 'annotations', key: string, id: RaisedId, message: string): void {
  const path = [...place.metadata, field, key];
  out.consume(place.object, path);
  out.finding(finding(id, place.object.locate(path), { resource: formatRef(place.object.ref), message }) satisfies Finding);
}
