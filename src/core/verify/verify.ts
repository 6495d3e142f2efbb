import type { DifferenceScope, Finding } from '../findings/finding.ts';
import { buildInventory, replaceObjects } from '../inventory/inventory.ts';
import { buildKustomizations, type KustomizationBuild } from '../inventory/kustomize-build.ts';
import type { MeshMode } from '../inventory/mesh-mode.ts';
import type { Inventory, K8sObject, Workload } from '../inventory/model.ts';
import type { LinkerdResource } from '../linkerd/resources.ts';
import { loadRepository, type LoadResult } from '../load/load.ts';
import { addressInside, inCidr } from '../primitives/cidr.ts';
import type { LinkerdVersion } from '../options.ts';
import type { RepositoryFiles } from '../source.ts';
import { asRecord, asString } from '../values.ts';
import { authorizedIdentities, authorizedNetworks, linkerdAllows, routeSamples, serversFor, type DefaultInboundPolicy, type LinkerdWorld, type RouteSamples } from './linkerd-allows.ts';
import { linkerdInjection, osmEvidence, osmInjected, podPorts } from './mesh-membership.ts';
import { osmAllows, type OsmWorld } from './osm-allows.ts';
import { readOsmAccess } from './osm-access.ts';
import { ingressSources, readOsmIngress } from './osm-ingress.ts';
import { requestsFor, sourceIdentities } from './requests.ts';
import {
  describeSource, type AccessChange, type AccessPair, type AccessRequest, type Decision, type Difference, type RequestSource, type UnitVerification, type VerificationReport,
  type VerificationUnknown,
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
  /** Parses the migrated tree (load.ts `reloader`: files unchanged since an earlier load are not parsed again); default loadRepository. */
  readonly load?: (files: RepositoryFiles) => LoadResult;
}

/**
 * Compares, request by request, what OSM allowed with what the migrated repository's Linkerd resources allow. Both
 * sides are read by verify itself: OSM's from the original objects (osm-access.ts, mesh-membership.ts), Linkerd's
 * from the written files, so the check covers placement, namespaces and injection too. Every pod template of a known
 * namespace is a destination on every port it exposes. Each kustomization root whose patches change what it deploys
 * is judged again on its own build (overlayViews): its figures join the totals and its differences carry its name.
 */
export function verify(input: VerifyInput): VerificationReport {
  const after = buildInventory((input.load ?? loadRepository)(input.migratedFiles)).inventory;
  const base = compareView(input, input.inventory, after, undefined);
  const units: UnitVerification[] = [];
  const differences = [...base.differences];
  const unknowns = [...base.unknowns];
  const known = new Set(unknowns.map((u) => JSON.stringify(u)));
  let requests = base.requests;
  const inBase = new Set(base.differences.map(differenceKey));
  for (const overlay of overlayViews(input.inventory, after)) {
    // A difference the base view has too is explained as there. One only the overlay's build has comes from its
    // patches: the base's findings were said of other values (a wider IPRange), so only what the migration said of
    // the overlay (findings on its patch files and kustomization files) explains it.
    const own = input.findings.filter((f) => overlay.files.has(f.file));
    const view = compareView(input, overlay.before, overlay.after, overlay.root, (request, verdicts) =>
      coveringFindings(inBase.has(differenceKey({ request, ...verdicts })) ? input.findings : own, request));
    requests += view.requests;
    differences.push(...view.differences);
    // What the overlay cannot decide either is said once, for the base.
    for (const u of view.unknowns) {
      if (known.has(JSON.stringify(u))) continue;
      known.add(JSON.stringify(u));
      unknowns.push({ ...u, unit: overlay.root });
    }
    units.push({ root: overlay.root, requests: view.requests, differences: view.differences.length, uncovered: view.differences.filter((d) => d.coveredBy.length === 0).length });
  }
  const uncovered = differences.filter((d) => d.coveredBy.length === 0);
  return { requests, differences, uncovered, accessChanges: accessChanges(differences), unknowns, units, pairs: base.pairs };
}

interface ViewComparison {
  readonly requests: number;
  readonly differences: readonly Difference[];
  readonly unknowns: readonly VerificationUnknown[];
  readonly pairs: readonly AccessPair[];
}

/**
 * What a kustomization root whose patches change what it deploys is judged on: OSM's side is the deployed view with
 * the root's patched objects in place of the base ones (a deleted object left out), Linkerd's side the migrated
 * tree's objects as the same root builds them, its patches (the Linkerd ones the migration wrote, or none) applied.
 * A root whose build equals the base view needs no pass of its own.
 */
function overlayViews(before: Inventory, after: Inventory): OverlayView[] {
  const beforeBuilds = buildKustomizations(before).builds;
  const afterBuilds = new Map([...buildKustomizations(after).builds].map(([k, b]) => [k.file, b]));
  const views: OverlayView[] = [];
  const kustomizationFiles = before.kustomizations.map((k) => k.file);
  for (const unit of before.deploymentUnits.units) {
    const root = unit.kustomization;
    if (!root || views.some((v) => v.file === root.file)) continue;
    const build = beforeBuilds.get(root);
    const patched = build ? patchedObjects(build) : new Map<K8sObject, K8sObject | undefined>();
    if (patched.size === 0) continue;
    const afterBuild = afterBuilds.get(root.file);
    views.push({
      root: `kustomization ${root.dir || '.'}`,
      file: root.file,
      files: new Set([...unit.patchFiles, ...kustomizationFiles]),
      before: replaceObjects(before, patched),
      after: replaceObjects(after, afterBuild ? patchedObjects(afterBuild) : new Map()),
    });
  }
  return views.sort((a, b) => a.root.localeCompare(b.root));
}

interface OverlayView {
  /** `kustomization <dir>`. */
  readonly root: string;
  readonly file: string;
  /** The files findings about the overlay itself are said in: its patch files and kustomization files. */
  readonly files: ReadonlySet<string>;
  readonly before: Inventory;
  readonly after: Inventory;
}

function differenceKey(d: Pick<Difference, 'request' | 'osm' | 'linkerd'>): string {
  return JSON.stringify([d.request, d.osm.allowed, d.linkerd.allowed]);
}

/** The objects a build deploys with another body than their file's (patched), or not at all (deleted). */
function patchedObjects(build: KustomizationBuild): Map<K8sObject, K8sObject | undefined> {
  const patched = new Map<K8sObject, K8sObject | undefined>();
  for (const [object, body] of build.objects) {
    if (body === undefined) patched.set(object, undefined);
    else if (JSON.stringify(body) !== JSON.stringify(object.body)) patched.set(object, { ...object, body });
  }
  return patched;
}

/** One view's comparison: `before` as OSM saw it, `after` as Linkerd will; `unit` tags its differences. */
function compareView(
  input: VerifyInput,
  before: Inventory,
  after: Inventory,
  unit: string | undefined,
  cover: (request: AccessRequest, verdicts: Pick<Difference, 'osm' | 'linkerd'>) => Difference['coveredBy'] = (request) => coveringFindings(input.findings, request),
): ViewComparison {
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
  const pairs = new Map<string, { -readonly [K in keyof AccessPair]: AccessPair[K] }>();
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
      extraSources: withNetworkClients(
        osmMeshed ? ingressSources(ingress, before, workload, meshedInLinkerd) : [],
        injection.injection === 'disabled' ? [] : ports.flatMap(({ port }) => authorizedNetworks(world, namespace, port, migrated)),
      ),
    });
    let differs = false;
    for (const request of matrix) {
      requests++;
      const osm = osmMeshed ? osmAllows(osmWorld, request, workload, ports) : { allowed: true, reason: 'no OSM sidecar' };
      const linkerd = linkerdDecision(world, request, migrated, injection, osm);
      // The graph of who may call whom is drawn from the deployed base view only.
      if (unit === undefined && (osm.allowed || linkerd.allowed)) recordPair(pairs, request, osm.allowed, linkerd.allowed);
      if (osm.allowed === linkerd.allowed) continue;
      differs = true;
      differences.push({ request, osm, linkerd, coveredBy: cover(request, { osm, linkerd }), ...(unit !== undefined ? { unit } : {}) });
    }
    if (injection.injection === 'unknown' && (osmMeshed || differs)) {
      unknowns.push({ kind: 'injection-unknown', namespace, workload: workload.name, reason: injection.reason });
    }
  }
  return { requests, differences, unknowns, pairs: [...pairs.values()].sort(comparePairs) };
}

/** Counts a request towards its (source → workload:port) pair: a pair is allowed when any of its requests is. */
function recordPair(pairs: Map<string, { -readonly [K in keyof AccessPair]: AccessPair[K] }>, request: AccessRequest, osm: boolean, linkerd: boolean): void {
  const source = describeSource(request.source);
  const key = `${source}\u0000${request.namespace}\u0000${request.workload}\u0000${request.port}`;
  const known = pairs.get(key);
  if (known) {
    known.osm ||= osm;
    known.linkerd ||= linkerd;
    return;
  }
  const s = request.source;
  const sourceNamespace = s.kind === 'meshed' ? s.namespace : s.kind === 'ingress' ? s.identity?.namespace : undefined;
  pairs.set(key, { source, sourceKind: s.kind, ...(sourceNamespace !== undefined ? { sourceNamespace } : {}), namespace: request.namespace, workload: request.workload, port: request.port, osm, linkerd });
}

function comparePairs(a: AccessPair, b: AccessPair): number {
  return a.namespace.localeCompare(b.namespace) || a.workload.localeCompare(b.workload) || a.port - b.port || a.source.localeCompare(b.source);
}

/**
 * An unmeshed client inside each network a Linkerd authorization admits, unless one is tried there already (OSM's
 * IPRange clients): a range wider than OSM's is then asked about from where only Linkerd admits. A /0 network needs
 * no client of its own: every address is inside it.
 */
function withNetworkClients(sources: readonly RequestSource[], networks: readonly string[]): RequestSource[] {
  const tried = new Set(sources.filter((s) => s.kind === 'unmeshed').map((s) => s.ip));
  const added: RequestSource[] = [];
  for (const cidr of networks) {
    const ip = cidr.endsWith('/0') ? undefined : addressInside(cidr);
    if (ip === undefined || tried.has(ip)) continue;
    tried.add(ip);
    added.push({ kind: 'unmeshed', ip });
  }
  return [...sources, ...added];
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
    const list = byNamespace.get(r.metadata.namespace);
    if (list) list.push(r);
    else byNamespace.set(r.metadata.namespace, [r]);
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
    (s.methods === undefined || (request.http !== undefined && s.methods.includes(request.http.method))) &&
    (s.networks === undefined || s.networks.some((cidr) => inCidr(request.source.ip, cidr)));
  const { byNamespace, anyNamespace } = scopeIndex(findings);
  const covering = new Set<number>();
  for (const scoped of [byNamespace.get(request.namespace) ?? [], anyNamespace]) {
    for (const { order, scope } of scoped) if (!covering.has(order) && covers(scope)) covering.add(order);
  }
  // In the order of the findings, as a filter over them would give.
  return [...new Set([...covering].sort((a, b) => a - b).map((i) => (findings[i] as Finding).id))];
}

interface ScopeIndex {
  readonly byNamespace: ReadonlyMap<string, readonly { order: number; scope: DifferenceScope }[]>;
  readonly anyNamespace: readonly { order: number; scope: DifferenceScope }[];
}

/** Every difference asks the findings which explain it: their scopes, by namespace, once per list of findings. */
const scopeIndexes = new WeakMap<readonly Finding[], ScopeIndex>();

function scopeIndex(findings: readonly Finding[]): ScopeIndex {
  let index = scopeIndexes.get(findings);
  if (index) return index;
  const byNamespace = new Map<string, { order: number; scope: DifferenceScope }[]>();
  const anyNamespace: { order: number; scope: DifferenceScope }[] = [];
  findings.forEach((f, order) => {
    for (const scope of f.affects ?? []) {
      if (scope.namespace === undefined) anyNamespace.push({ order, scope });
      else {
        const list = byNamespace.get(scope.namespace);
        if (list) list.push({ order, scope });
        else byNamespace.set(scope.namespace, [{ order, scope }]);
      }
    }
  });
  index = { byNamespace, anyNamespace };
  scopeIndexes.set(findings, index);
  return index;
}

/** Differences grouped by (source → destination workload:port): uncovered pairs first, then by destination. */
function accessChanges(differences: readonly Difference[]): AccessChange[] {
  const groups = new Map<string, { example: Difference; wider: number; narrower: number; coveredBy: Set<AccessChange['coveredBy'][number]>; uncovered: number }>();
  for (const d of differences) {
    const r = d.request;
    const key = `${d.unit ?? ''}\u0000${describeSource(r.source)}\u0000${r.namespace}\u0000${r.workload}\u0000${r.port}`;
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
        ...(g.example.unit !== undefined ? { unit: g.example.unit } : {}),
      };
    })
    .sort((a, b) =>
      Number(b.uncovered > 0) - Number(a.uncovered > 0) || (a.unit ?? '').localeCompare(b.unit ?? '') ||
      a.namespace.localeCompare(b.namespace) || a.workload.localeCompare(b.workload) || a.port - b.port ||
      a.source.localeCompare(b.source));
}
