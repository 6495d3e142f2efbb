import type { DifferenceScope, Finding } from '../findings/finding.ts';
import { buildInventory } from '../inventory/inventory.ts';
import type { MeshMode } from '../inventory/mesh-mode.ts';
import type { Inventory, Workload } from '../inventory/model.ts';
import type { LinkerdResource } from '../linkerd/resources.ts';
import { loadRepository } from '../load/load.ts';
import type { LinkerdVersion } from '../options.ts';
import type { AccessModel } from '../osm/access-model.ts';
import { isMeshed, meshedNamespaces } from '../osm/meshed.ts';
import type { RepositoryFiles } from '../source.ts';
import { asRecord, asString } from '../values.ts';
import { linkerdAllows, type DefaultInboundPolicy, type LinkerdWorld } from './linkerd-allows.ts';
import { osmAllows } from './osm-allows.ts';
import { ingressSources, readOsmIngress } from './osm-ingress.ts';
import { requestsFor } from './requests.ts';
import { describeSource, type AccessRequest, type Difference, type VerificationReport } from './types.ts';

const LINKERD_KINDS = new Set(['Server', 'HTTPRoute', 'AuthorizationPolicy', 'MeshTLSAuthentication', 'NetworkAuthentication']);
const CLUSTER_NETWORKS = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16', 'fd00::/8'];
/** policyController.probeNetworks install default (linkerd-reference §3.3). */
const INSTALL_PROBE_NETWORKS = ['0.0.0.0/0', '::/0'];

export interface VerifyInput {
  /** The repository before the migration, as OSM saw it. */
  readonly inventory: Inventory;
  readonly model: AccessModel;
  readonly meshMode: MeshMode;
  /** The repository after the migration: what Linkerd will see. */
  readonly migratedFiles: RepositoryFiles;
  readonly linkerdVersion: LinkerdVersion;
  readonly findings: readonly Finding[];
}

/**
 * Compares, request by request, what OSM allowed with what the migrated repository's Linkerd resources allow.
 * The Linkerd side is read back from the written files, so the check covers placement and namespaces too.
 */
export function verify(input: VerifyInput): VerificationReport {
  const after = buildInventory(loadRepository(input.migratedFiles)).inventory;
  const worlds = linkerdWorlds(after, input.linkerdVersion);
  const meshed = meshedNamespaces(input.inventory, input.model);
  const ingress = readOsmIngress(input.inventory);
  const osmWorld = { inventory: input.inventory, model: input.model, meshMode: input.meshMode, ingress };
  const meshedInLinkerd = (namespace: string, serviceAccount: string) => linkerdMeshed(after, input.inventory, namespace, serviceAccount);
  const differences: Difference[] = [];
  let requests = 0;
  for (const workload of input.inventory.workloads) {
    if (!workload.namespace || !isMeshed(workload, input.inventory, meshed)) continue;
    const migrated = counterpart(after, workload);
    const ingressClients = ingressSources(ingress, input.inventory, workload, meshedInLinkerd);
    for (const request of requestsFor(input.inventory, input.model, workload, ingressClients)) {
      requests++;
      const osm = osmAllows(osmWorld, request, workload);
      const linkerd = linkerdAllows(worlds(workload.namespace), request, migrated);
      if (osm.allowed === linkerd.allowed) continue;
      differences.push({ request, osm, linkerd, coveredBy: coveringFindings(input.findings, request) });
    }
  }
  return { requests, differences, uncovered: differences.filter((d) => d.coveredBy.length === 0) };
}

/** The same workload in the migrated repository (its annotations may have changed). */
function counterpart(after: Inventory, workload: Workload): Workload {
  return after.workloads.find((w) => w.object.doc.file === workload.object.doc.file && w.kind === workload.kind && w.name === workload.name) ?? workload;
}

/**
 * Whether the pods running as a ServiceAccount are meshed by Linkerd after the migration: `linkerd.io/inject`
 * `enabled` or `ingress` on the pod template, else on the Namespace manifest (linkerd-reference §7.1). Undefined when
 * no workload of the repository runs as it (an ingress controller installed elsewhere).
 */
function linkerdMeshed(after: Inventory, before: Inventory, namespace: string, serviceAccount: string): boolean | undefined {
  const workloads = before.workloadsRunningAs(namespace, serviceAccount).map((w) => counterpart(after, w));
  if (workloads.length === 0) return undefined;
  const enabled = (value: string | undefined) => value === 'enabled' || value === 'ingress';
  return workloads.every((w) => {
    const pod = w.podAnnotations['linkerd.io/inject'];
    if (pod !== undefined) return enabled(pod);
    return enabled(asString(after.findNamespace(namespace)?.annotations['linkerd.io/inject']));
  });
}

/** One world per namespace: Linkerd policy objects only ever refer to objects of their own namespace. */
function linkerdWorlds(after: Inventory, linkerdVersion: LinkerdVersion): (namespace: string) => LinkerdWorld {
  const files = new Map<LinkerdResource, string>();
  const all = linkerdResources(after, files);
  const worlds = new Map<string, LinkerdWorld>();
  return (namespace) => {
    let world = worlds.get(namespace);
    if (!world) {
      world = {
        resources: all.filter((r) => r.metadata.namespace === namespace),
        clusterNetworks: CLUSTER_NETWORKS,
        probeNetworks: INSTALL_PROBE_NETWORKS,
        linkerdVersion,
        defaultPolicy: (ns, workload) => defaultPolicyOf(after, ns, workload),
        // One file is applied at once: its resources share a creation second; separate files may not.
        appliedTogether: (a, b) => files.get(a) === files.get(b),
      };
      worlds.set(namespace, world);
    }
    return world;
  };
}

function linkerdResources(after: Inventory, files: Map<LinkerdResource, string>): LinkerdResource[] {
  return after.objects
    .filter((o) => LINKERD_KINDS.has(o.ref.kind) && /linkerd\.io|gateway\.networking\.k8s\.io/.test(o.ref.apiVersion))
    .map((o): LinkerdResource => {
      const resource: LinkerdResource = {
        apiVersion: o.ref.apiVersion,
        kind: o.ref.kind,
        metadata: { name: o.ref.name, ...(o.ref.namespace !== undefined ? { namespace: o.ref.namespace } : {}) },
        spec: asRecord(o.body['spec']),
      };
      files.set(resource, o.doc.file);
      return resource;
    });
}

const POLICIES: readonly DefaultInboundPolicy[] = ['all-unauthenticated', 'all-authenticated', 'cluster-authenticated', 'cluster-unauthenticated', 'deny', 'audit'];

/** Pod annotation, else the namespace's (the injector copies it), else the install default (linkerd-semantics §2.4). */
function defaultPolicyOf(after: Inventory, namespace: string, workload: Workload): DefaultInboundPolicy {
  const key = 'config.linkerd.io/default-inbound-policy';
  const value = workload.podAnnotations[key] ?? asString(after.findNamespace(namespace)?.annotations[key]);
  return POLICIES.find((p) => p === value) ?? 'all-unauthenticated';
}

function coveringFindings(findings: readonly Finding[], request: AccessRequest): Difference['coveredBy'] {
  const source = describeSource(request.source);
  const covers = (s: DifferenceScope) =>
    (s.namespace === undefined || s.namespace === request.namespace) &&
    (s.serviceAccount === undefined || s.serviceAccount === request.serviceAccount) &&
    (s.port === undefined || s.port === request.port) &&
    (s.source === undefined || s.source === source) &&
    (s.paths === undefined || (request.http !== undefined && s.paths.includes(request.http.path))) &&
    (s.methods === undefined || (request.http !== undefined && s.methods.includes(request.http.method)));
  return [...new Set(findings.filter((f) => f.affects?.some(covers)).map((f) => f.id))];
}
