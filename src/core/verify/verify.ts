import type { DifferenceScope, Finding } from '../findings/finding.ts';
import { buildInventory } from '../inventory/inventory.ts';
import type { MeshMode } from '../inventory/mesh-mode.ts';
import type { Inventory, Workload } from '../inventory/model.ts';
import type { LinkerdResource } from '../linkerd/resources.ts';
import { loadRepository } from '../load/load.ts';
import type { LinkerdVersion } from '../options.ts';
import type { RepositoryFiles } from '../source.ts';
import { asRecord, asString } from '../values.ts';
import { authorizedIdentities, linkerdAllows, routeSamples, serversFor, type DefaultInboundPolicy, type LinkerdWorld, type RouteSamples } from './linkerd-allows.ts';
import { linkerdInjection, osmEvidence, osmInjected, podPorts } from './mesh-membership.ts';
import { osmAllows, type OsmWorld } from './osm-allows.ts';
import { readOsmAccess } from './osm-access.ts';
import { ingressSources, readOsmIngress } from './osm-ingress.ts';
import { requestsFor, sourceIdentities } from './requests.ts';
import {
  describeSource, type AccessChange, type AccessRequest, type Decision, type Difference, type VerificationReport, type VerificationUnknown,
} from './types.ts';

const LINKERD_KINDS = new Set(['Server', 'HTTPRoute', 'AuthorizationPolicy', 'MeshTLSAuthentication', 'NetworkAuthentication']);
const CLUSTER_NETWORKS = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16', 'fd00::/8'];
/** policyController.probeNetworks install default (linkerd-reference §3.3). */
const INSTALL_PROBE_NETWORKS = ['0.0.0.0/0', '::/0'];

export interface VerifyInput {
  /** The repository before the migration, as OSM saw it. */
  readonly inventory: Inventory;
  readonly meshMode: MeshMode;
  /** The repository after the migration: what Linkerd will see. */
  readonly migratedFiles: RepositoryFiles;
  readonly linkerdVersion: LinkerdVersion;
  readonly findings: readonly Finding[];
}

/**
 * Compares, request by request, what OSM allowed with what the migrated repository's Linkerd resources allow. Both
 * sides are read by verify itself: OSM's from the original objects (osm-access.ts, mesh-membership.ts), Linkerd's
 * from the written files, so the check covers placement, namespaces and injection too. Every pod template of a known
 * namespace is a destination on every port it exposes.
 */
export function verify(input: VerifyInput): VerificationReport {
  const before = input.inventory;
  const after = buildInventory(loadRepository(input.migratedFiles)).inventory;
  const worlds = linkerdWorlds(after, input.linkerdVersion);
  const access = readOsmAccess(before);
  const evidence = osmEvidence(before, access);
  const ingress = readOsmIngress(before);
  const osmWorld: OsmWorld = { inventory: before, access, meshMode: input.meshMode, ingress };
  const counterpart = counterparts(after);
  const everyone = new Set(access.identities);
  for (const w of before.workloads) if (w.namespace) everyone.add(`${w.serviceAccount}.${w.namespace}`);
  const meshedInLinkerd = (namespace: string, serviceAccount: string) => {
    const running = before.workloadsRunningAs(namespace, serviceAccount);
    if (running.length === 0) return undefined;
    const states = new Set(running.map((w) => linkerdInjection(after, counterpart(w)).injection));
    return states.size === 1 ? [...states][0] : 'unknown';
  };
  const differences: Difference[] = [];
  const unknowns: VerificationUnknown[] = [];
  let requests = 0;
  for (const workload of before.workloads) {
    const namespace = workload.namespace;
    if (namespace === undefined) {
      unknowns.push({ kind: 'namespace-unknown', workload: `${workload.kind}/${workload.name}`, file: workload.object.doc.file });
      continue;
    }
    const migrated = counterpart(workload);
    const osmMeshed = osmInjected(before, workload, evidence);
    const injection = linkerdInjection(after, migrated);
    // Neither mesh ever had a proxy in these pods: nothing to compare.
    if (!osmMeshed && injection.injection === 'disabled') continue;
    const world = worlds(namespace);
    const ports = podPorts(before, workload);
    if (injection.injection !== 'disabled') {
      for (const { port } of ports) {
        const servers = serversFor(world, namespace, port, migrated);
        if (servers.length > 1) unknowns.push({ kind: 'server-conflict', namespace, workload: workload.name, port, servers: servers.map((s) => s.metadata.name).sort() });
      }
    }
    const grants = access.grantsTo(namespace, workload.serviceAccount);
    const samples = memo((port: number): RouteSamples => routeSamples(world, namespace, port, migrated));
    const matrix = requestsFor({
      workload,
      ports,
      osmMatches: osmMeshed ? grants.flatMap((g) => g.matches) : [],
      linkerdSamples: samples,
      identities: sourceIdentities(
        grants.flatMap((g) => g.sources),
        injection.injection === 'disabled' ? [] : ports.flatMap(({ port }) => authorizedIdentities(world, namespace, port, migrated)),
        everyone,
        namespace,
      ),
      extraSources: osmMeshed ? ingressSources(ingress, before, workload, meshedInLinkerd) : [],
    });
    let differs = false;
    for (const request of matrix) {
      requests++;
      const osm = osmMeshed ? osmAllows(osmWorld, request, workload, ports) : { allowed: true, reason: 'no OSM sidecar' };
      const linkerd = linkerdDecision(world, request, migrated, injection, osm);
      if (osm.allowed === linkerd.allowed) continue;
      differs = true;
      differences.push({ request, osm, linkerd, coveredBy: coveringFindings(input.findings, request) });
    }
    if (injection.injection === 'unknown' && (osmMeshed || differs)) {
      unknowns.push({ kind: 'injection-unknown', namespace, workload: workload.name, reason: injection.reason });
    }
  }
  const uncovered = differences.filter((d) => d.coveredBy.length === 0);
  return { requests, differences, uncovered, accessChanges: accessChanges(differences), unknowns };
}

/**
 * Without a proxy every request reaches the app. With unknown injection both outcomes are possible: the one that
 * differs from OSM's is reported, so "unknown" is a difference whenever it matters.
 */
function linkerdDecision(
  world: LinkerdWorld,
  request: AccessRequest,
  workload: Workload,
  injection: ReturnType<typeof linkerdInjection>,
  osm: Decision,
): Decision {
  const unproxied: Decision = { allowed: true, reason: `no Linkerd proxy (${injection.reason})` };
  if (injection.injection === 'disabled') return unproxied;
  const proxied = linkerdAllows(world, request, workload);
  if (injection.injection === 'enabled' || proxied.allowed === unproxied.allowed) return proxied;
  const differing = proxied.allowed !== osm.allowed ? proxied : unproxied;
  return {
    allowed: differing.allowed,
    reason: `injection unknown (${injection.reason}): with a proxy ${proxied.allowed ? 'allowed' : 'denied'} (${proxied.reason}), without one allowed`,
  };
}

export function memo<K, V>(compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    if (!known.has(key)) known.set(key, compute(key));
    return known.get(key) as V;
  };
}

/** The same workload in the migrated repository (its annotations may have changed): same file, kind and name. */
export function counterparts(after: Inventory): (workload: Workload) => Workload {
  const index = new Map<string, Workload>();
  const key = (w: Workload) => `${w.object.doc.file}\u0000${w.kind}\u0000${w.name}`;
  for (const w of after.workloads) if (!index.has(key(w))) index.set(key(w), w);
  return (workload) => index.get(key(workload)) ?? workload;
}

/** One world per namespace: Linkerd policy objects only ever refer to objects of their own namespace. */
export function linkerdWorlds(after: Inventory, linkerdVersion: LinkerdVersion): (namespace: string) => LinkerdWorld {
  const files = new Map<LinkerdResource, string>();
  const byNamespace = new Map<string, LinkerdResource[]>();
  for (const r of linkerdResources(after, files)) {
    // A resource without a namespace lands wherever it is applied: it is in no namespace verify knows.
    if (r.metadata.namespace === undefined) continue;
    byNamespace.set(r.metadata.namespace, [...(byNamespace.get(r.metadata.namespace) ?? []), r]);
  }
  return memo((namespace: string): LinkerdWorld => ({
    resources: byNamespace.get(namespace) ?? [],
    clusterNetworks: CLUSTER_NETWORKS,
    probeNetworks: INSTALL_PROBE_NETWORKS,
    linkerdVersion,
    defaultPolicy: (ns, workload) => defaultPolicyOf(after, ns, workload),
    // One file is applied at once: its resources share a creation second; separate files may not.
    appliedTogether: (a, b) => files.get(a) === files.get(b),
  }));
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

export function coveringFindings(findings: readonly Finding[], request: AccessRequest): Difference['coveredBy'] {
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

/** Differences grouped by (source → destination workload:port): uncovered pairs first, then by destination. */
function accessChanges(differences: readonly Difference[]): AccessChange[] {
  const groups = new Map<string, { example: Difference; wider: number; narrower: number; coveredBy: Set<AccessChange['coveredBy'][number]>; uncovered: number }>();
  for (const d of differences) {
    const r = d.request;
    const key = `${describeSource(r.source)}\u0000${r.namespace}\u0000${r.workload}\u0000${r.port}`;
    let group = groups.get(key);
    if (!group) {
      group = { example: d, wider: 0, narrower: 0, coveredBy: new Set(), uncovered: 0 };
      groups.set(key, group);
    }
    if (d.linkerd.allowed) group.wider++;
    else group.narrower++;
    d.coveredBy.forEach((id) => group.coveredBy.add(id));
    if (d.coveredBy.length === 0) group.uncovered++;
  }
  return [...groups.values()]
    .map((g): AccessChange => {
      const r = g.example.request;
      return {
        source: describeSource(r.source), namespace: r.namespace, workload: r.workload, port: r.port,
        wider: g.wider, narrower: g.narrower, coveredBy: [...g.coveredBy].sort(), uncovered: g.uncovered, example: g.example,
      };
    })
    .sort((a, b) =>
      Number(b.uncovered > 0) - Number(a.uncovered > 0) ||
      a.namespace.localeCompare(b.namespace) || a.workload.localeCompare(b.workload) || a.port - b.port ||
      a.source.localeCompare(b.source));
}
