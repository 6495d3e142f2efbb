import type { LoadResult, LoadedDocument } from '../load/load.ts';
import { locate } from '../load/load.ts';
import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import { apiGroup, type ObjectRef } from '../source.ts';
import { asRecord, asString, isRecord } from '../values.ts';
import { isKustomizationFile, kustomizationFindings, namespacesByFile, patchFiles, readKustomization, resourceFiles } from './kustomize.ts';
import { readDeploymentUnits, type DeploymentUnits, type NamespaceEvidence } from './deployment-units.ts';
import {
  OSM_GROUPS,
  type Inventory,
  type K8sObject,
  type Kustomization,
  type NamespaceObject,
  type Service,
  type Workload,
} from './model.ts';
import { readWorkload } from './workloads.ts';
import { readService, selects } from './services.ts';
import { asStringMap } from '../values.ts';

/** Kinds that identify an OSM/SMI object even when a spec example leaves out apiVersion. */
const OSM_KINDS = new Set([
  'TrafficTarget', 'HTTPRouteGroup', 'TCPRoute', 'UDPRoute', 'TrafficSplit', 'IdentityBinding',
  'IngressBackend', 'Egress', 'UpstreamTrafficSetting', 'Retry', 'MeshConfig', 'MeshRootCertificate',
  'MultiClusterService', 'Backpressure', 'Telemetry', 'ExtensionService',
]);

export interface InventoryResult {
  readonly inventory: Inventory;
  readonly findings: readonly Finding[];
}

export function buildInventory(load: LoadResult): InventoryResult {
  const findings: Finding[] = [];
  const kustomizations: Kustomization[] = [];
  const manifestDocs: LoadedDocument[] = [];
  for (const doc of load.documents) {
    if (isKustomizationFile(doc.file) || isKustomizationKind(doc.value)) {
      const k = readKustomization(doc);
      if (k) kustomizations.push(k);
    } else manifestDocs.push(doc);
  }
  const namespaces = namespacesByFile(kustomizations, new Set(load.files.keys()));
  findings.push(...kustomizations.flatMap(kustomizationFindings));
  // A file a kustomization reads as a patch is a fragment of another object, never an object of its own (unless some
  // kustomization also lists it as a resource).
  const listed = resourceFiles(kustomizations);
  const patches = new Set([...patchFiles(kustomizations)].filter((f) => !listed.has(f)));
  const deploymentUnits = readDeploymentUnits(load, kustomizations);
  const objects: K8sObject[] = [];
  const otherDocuments: LoadedDocument[] = [];
  const patchDocuments: LoadedDocument[] = [];
  for (const doc of manifestDocs) {
    if (patches.has(doc.file)) {
      patchDocuments.push(doc);
      continue;
    }
    const evidence = deploymentUnits.unitsOf(doc.file).flatMap((u) => u.namespace ?? []);
    const read = readObject(doc, namespaces.get(doc.file), evidence, findings);
    if (read.length > 0) objects.push(...read);
    else if (isRecord(doc.value)) otherDocuments.push(doc);
  }
  return { inventory: indexInventory(objects, kustomizations, deploymentUnits, otherDocuments, patchDocuments), findings };
}

/** The same repository model over a subset of its objects (one view of what is applied together). */
export function inventoryOf(objects: readonly K8sObject[], base: Inventory): Inventory {
  return indexInventory(objects, base.kustomizations, base.deploymentUnits, base.otherDocuments, base.patchDocuments);
}

function isKustomizationKind(value: unknown): boolean {
  const v = asRecord(value);
  return v['kind'] === 'Kustomization' && String(v['apiVersion'] ?? '').startsWith('kustomize.config.k8s.io');
}

function readObject(
  doc: LoadedDocument,
  kustomizeNamespaces: Set<string> | undefined,
  evidence: readonly NamespaceEvidence[],
  findings: Finding[],
): K8sObject[] {
  const body = doc.value;
  if (!isRecord(body)) return [];
  const kind = asString(body['kind']);
  const metadata = asRecord(body['metadata']);
  const name = asString(metadata['name']) ?? asString(metadata['generateName']) ?? '';
  if (!kind || !name) return [];
  const apiVersion = asString(body['apiVersion']) ?? '';
  const ownNamespace = asString(metadata['namespace']);
  const overriding = distinctNamespaces(evidence.filter((e) => e.source === 'flux-target-namespace'));
  const filling = distinctNamespaces(evidence.filter((e) => e.source === 'argocd-destination'));
  const kustomized = [...(kustomizeNamespaces ?? [])].sort();
  const at = (path: readonly (string | number)[]) => locate(doc, path);
  let namespace: string | undefined;
  let namespaceSource: K8sObject['namespaceSource'] = 'unknown';
  let candidates: string[] = [];
  const placeBy = (list: string[], source: K8sObject['namespaceSource']): void => {
    candidates = list;
    namespace = list.length === 1 ? list[0] : undefined;
    namespaceSource = source;
  };
  // kustomize's namespace transformer overrides metadata.namespace of every namespaced object it builds, so a
  // kustomization that lists the file decides where the object really lands; a Flux targetNamespace overrides that
  // too. An Argo CD destination.namespace only fills in a namespace the object does not name.
  if (isNamespaced(kind)) {
    if (overriding.length > 0) placeBy(overriding, 'deployment-unit');
    else if (kustomized.length > 0) placeBy(kustomized, 'kustomization');
    else if (ownNamespace) placeBy([ownNamespace], 'metadata');
    else if (filling.length > 0) placeBy(filling, 'deployment-unit');
  } else if (ownNamespace) placeBy([ownNamespace], 'metadata');
  const ref: ObjectRef = { apiVersion, kind, name, ...(namespace !== undefined ? { namespace } : {}) };
  const object: K8sObject = { ref, body, doc, namespaceSource, candidateNamespaces: candidates, locate: at };
  if (isNamespaced(kind)) findings.push(...namespaceFindings(object, ownNamespace, evidence));
  return [object];
}

function distinctNamespaces(evidence: readonly NamespaceEvidence[]): string[] {
  return [...new Set(evidence.map((e) => e.namespace))].sort();
}

const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'PriorityClass', 'IngressClass', 'Node',
  'APIService', 'ClusterIssuer',
]);

export function isNamespaced(kind: string): boolean {
  return !CLUSTER_SCOPED.has(kind);
}

function isOsmObject(o: K8sObject): boolean {
  const group = apiGroup(o.ref.apiVersion);
  if ((OSM_GROUPS as readonly string[]).includes(group)) return true;
  // SMI spec examples omit apiVersion, or write a bare version ("v1alpha1").
  return OSM_KINDS.has(o.ref.kind) && !o.ref.apiVersion.includes('.');
}

/** Only objects a migration reads get namespace findings: an unknown namespace elsewhere does not matter. */
function namespaceFindings(o: K8sObject, ownNamespace: string | undefined, evidence: readonly NamespaceEvidence[]): Finding[] {
  if (!isOsmObject(o) && !['Deployment', 'StatefulSet', 'DaemonSet', 'Service', 'Pod', 'Rollout'].includes(o.ref.kind)) return [];
  const resource = `${o.ref.kind}/${o.ref.name}`;
  const line = o.locate(['metadata']);
  if (ownNamespace && /\$\{?[A-Za-z_]/.test(ownNamespace)) {
    return [finding('load/unexpanded-variable', line, { resource, message: `${resource} has namespace "${ownNamespace}", a variable that was never substituted; it is used as written.` })];
  }
  if (o.namespaceSource === 'kustomization' && ownNamespace && o.ref.namespace !== undefined && ownNamespace !== o.ref.namespace) {
    return [finding('load/namespace-overridden', locate(o.doc, ['metadata', 'namespace']), {
      resource,
      message: `${resource} says metadata.namespace: ${ownNamespace}, but the kustomization that lists it sets namespace: ${o.ref.namespace}, which wins in kustomize: the translation uses ${o.ref.namespace}.`,
    })];
  }
  if (o.namespaceSource === 'unknown') {
    return [finding('load/namespace-unknown', line, {
      resource,
      message: `${resource} sets no metadata.namespace and no kustomization, Flux Kustomization or Argo CD Application places it: the namespace is unknown. A \`kubectl -n\` in a script is not evidence (it may run once per namespace), so nothing is assumed: the Linkerd resources generated from it carry no namespace either and land wherever the file is applied.`,
    })];
  }
  if (o.namespaceSource === 'deployment-unit') {
    const used = evidence.filter((e) => o.candidateNamespaces.includes(e.namespace) && (e.source === 'flux-target-namespace' || !ownNamespace));
    const by = used.map((e) => `${e.source === 'flux-target-namespace' ? 'targetNamespace' : 'destination.namespace'} ${e.namespace} (${e.at.file}:${e.at.line})`).join(', ');
    if (o.ref.namespace === undefined) {
      return [finding('load/namespace-ambiguous', line, { resource, message: `${resource} is deployed to ${o.candidateNamespaces.join(', ')} by different entry points: ${by}.` })];
    }
    return [finding('inventory/namespace-from-deployment-unit', line, {
      resource,
      message: `${resource} is deployed to namespace ${o.ref.namespace} by ${by}${ownNamespace && ownNamespace !== o.ref.namespace ? `, which overrides its metadata.namespace ${ownNamespace}` : ''}: it is translated there, and the generated resources omit metadata.namespace so that the same entry point places them.`,
    })];
  }
  if (o.ref.namespace === undefined) {
    return [finding('load/namespace-ambiguous', line, { resource, message: `${resource} is placed in ${o.candidateNamespaces.join(', ')} by different kustomizations.` })];
  }
  return [];
}

/**
 * The same repository with some objects replaced by other versions of them (an overlay's patched objects); an object
 * mapped to undefined is left out (a patch deleted it).
 */
export function replaceObjects(inventory: Inventory, replacements: ReadonlyMap<K8sObject, K8sObject | undefined>): Inventory {
  return inventoryOf(inventory.objects.flatMap((o) => (replacements.has(o) ? (replacements.get(o) ?? []) : [o])), inventory);
}

function indexInventory(
  objects: readonly K8sObject[],
  kustomizations: readonly Kustomization[],
  deploymentUnits: DeploymentUnits,
  otherDocuments: readonly LoadedDocument[],
  patchDocuments: readonly LoadedDocument[],
): Inventory {
  const workloads = objects.flatMap((o) => readWorkload(o) ?? []);
  const services = objects.flatMap((o) => readService(o) ?? []);
  const namespaces: NamespaceObject[] = objects
    .filter((o) => o.ref.kind === 'Namespace' && o.ref.apiVersion === 'v1')
    .map((o) => {
      const metadata = asRecord(o.body['metadata']);
      return { object: o, name: o.ref.name, labels: asStringMap(metadata['labels']), annotations: asStringMap(metadata['annotations']) };
    });
  const osmObjects = objects.filter(isOsmObject);
  const byKind = groupBy(osmObjects, (o) => o.ref.kind);
  const bySa = groupBy(workloads, (w) => `${w.namespace ?? ''}/${w.serviceAccount}`);
  // Looked up once per workload or request: indexed, keeping the repository order (the first match wins).
  const servicesIn = groupBy(services, (s) => s.namespace ?? '\u0000');
  const serviceByName = firstBy(services, (s) => `${s.namespace ?? '\u0000'}/${s.name}`);
  const namespaceByName = firstBy(namespaces, (n) => n.name);
  return {
    objects,
    workloads,
    services,
    serviceAccounts: objects.filter((o) => o.ref.kind === 'ServiceAccount'),
    namespaces,
    kustomizations,
    deploymentUnits,
    otherDocuments,
    patchDocuments,
    osmObjects,
    osm: (kind) => byKind.get(kind) ?? [],
    workloadsRunningAs: (namespace, sa) => bySa.get(`${namespace ?? ''}/${sa}`) ?? [],
    servicesSelecting: (w: Workload): Service[] => (servicesIn.get(w.namespace ?? '\u0000') ?? []).filter((s) => selects(s, w)),
    findService: (namespace, name) => serviceByName.get(`${namespace ?? '\u0000'}/${name}`),
    findNamespace: (name) => namespaceByName.get(name),
  };
}

function firstBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(key(item))) map.set(key(item), item);
  return map;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
