import { hash53 } from '../../findings/finding.ts';
import { finding, raises } from './findings.ts';
import type { Inventory, K8sObject, Workload } from '../../inventory/model.ts';
import {
  buildAuthorizationPolicy,
  buildMeshTlsAuthentication,
  buildNetworkAuthentication,
  buildServer,
  buildServerRoute,
  type RouteMatch,
} from '../../linkerd/build.ts';
import { resourceName } from '../../linkerd/names.ts';
import { httpProbePaths, planServers, type PlannedServer, type ServerPlan } from '../../linkerd/servers.ts';
import { features } from '../../linkerd/versions.ts';
import { matchKey, readAccessModel, type AccessPolicy, type OsmHttpMatch } from '../../osm/access-model.ts';
import { regexLiteral } from '../../primitives/regex-literal.ts';
import { formatRef } from '../../source.ts';
import { fullMatch } from '../../primitives/regex-samples.ts';
import { Emitter } from '../emitter.ts';
import { routeGroupsOfEgresses } from '../../osm/egress-route-groups.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';
import { translateHttpMatch } from '../../linkerd/http-match.ts';
import { contains, intersection, overlap } from '../../osm/match-overlap.ts';
import { asRegularExpression, compareRanks, outerCanWin, rankOf } from './precedence.ts';
import { exposedPorts, type ExposedPort } from '../../osm/exposed-ports.ts';
import { generatedNamespace } from '../../inventory/model.ts';

/**
 * TrafficTarget (+ HTTPRouteGroup, TCPRoute) → Server per destination pod port, HTTPRoutes attached to it,
 * AuthorizationPolicies and MeshTLSAuthentications naming the sources. The OSM model it starts from is
 * osm/access-model.ts; what Linkerd does with the output is linkerd-semantics §2.
 */
export const trafficTargetRule = defineRule({
  id: 'traffic-target',
  consumes: ['TrafficTarget', 'HTTPRouteGroup', 'TCPRoute'],
  fields: {
    TrafficTarget: [
      // group goes with kind: IdentityBinding references (SMI access v1alpha4) are named in a finding.
      'spec.destination.kind', 'spec.destination.group', 'spec.destination.name', 'spec.destination.namespace', 'spec.destination.port',
      'spec.sources[].kind', 'spec.sources[].group', 'spec.sources[].name', 'spec.sources[].namespace', 'spec.rules[].kind', 'spec.rules[].name', 'spec.rules[].matches',
    ],
    HTTPRouteGroup: ['spec.matches[].name', 'spec.matches[].pathRegex', 'spec.matches[].methods', 'spec.matches[].headers'],
    TCPRoute: ['spec.matches.ports'],
  },
  raises,
  translate: translateTrafficTargets,
});

export function translateTrafficTargets(input: RuleInput): RuleOutput {
  const out = new Emitter();
  const { inventory, options, meshMode } = input;
  for (const kind of ['TrafficTarget', 'HTTPRouteGroup', 'TCPRoute']) for (const o of inventory.osm(kind)) out.consume(o);
  const model = readAccessModel(inventory);
  model.findings.forEach((f) => out.finding(f));
  reportUnreferencedSpecs(inventory, model.policies, out);
  const permissive = meshMode.mode === 'permissive';
  if (permissive && !features(options.linkerdVersion).serverAccessPolicy) {
    const audit = options.permissiveAccess === 'audit';
    for (const p of model.policies) {
      out.finding(finding(audit ? 'mesh-mode/audit-unavailable' : 'mesh-mode/access-policy-unavailable', p.target.locate(['kind']), {
        resource: formatRef(p.target.ref),
        message: audit
          ? `OSM ran in permissive mode and ignored ${formatRef(p.target.ref)}; Linkerd ${options.linkerdVersion} has no audit mode, so it is not translated.`
          : `OSM ran in permissive mode and ignored ${formatRef(p.target.ref)}; Linkerd ${options.linkerdVersion} has no Server accessPolicy, so it is not translated: the default policy all-authenticated admits every meshed client, as OSM did.`,
      }));
    }
    return out.output();
  }
  const servers = planServers(input);
  for (const policies of groupByDestination(model.policies)) {
    new DestinationTranslation(input, out, policies, permissive, servers).run();
  }
  return out.output();
}

/**
 * A route spec no honoured TrafficTarget references allowed nothing by itself: say so rather than drop it. An
 * HTTPRouteGroup an Egress names is the egress rule's (its matches become the egress HTTPRoute's).
 */
function reportUnreferencedSpecs(inventory: Inventory, policies: readonly AccessPolicy[], out: Emitter): void {
  const effective = policies.filter((p) => p.sources.length > 0);
  const used = new Set([...effective.flatMap((p) => [...p.httpMatches.map((m) => m.object), ...p.tcpRoutes]), ...routeGroupsOfEgresses(inventory)]);
  for (const o of [...inventory.osm('HTTPRouteGroup'), ...inventory.osm('TCPRoute')]) {
    if (used.has(o)) continue;
    out.finding(finding('traffic-target/unreferenced-spec', o.locate(['metadata', 'name']), {
      resource: formatRef(o.ref),
      message: { refKind: o.ref.kind, ref: formatRef(o.ref) },
    }));
  }
}

function groupByDestination(policies: readonly AccessPolicy[]): AccessPolicy[][] {
  const groups = new Map<string, AccessPolicy[]>();
  for (const p of policies) {
    const key = `${p.namespace ?? ''}/${p.destination}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()];
}

/** A distinct OSM match on a destination, with every source any TrafficTarget allows it for. */
interface MatchEntry {
  readonly key: string;
  readonly match: OsmHttpMatch;
  readonly sources: ReadonlySet<string>;
}

class DestinationTranslation {
  private readonly inventory: Inventory;
  private readonly first: AccessPolicy;
  private readonly namespace: string | undefined;
  /** Where generated objects go: omitted when kustomize sets the namespace of the file they are added to. */
  private readonly outNamespace: string | undefined;
  private readonly serviceAccount: string;
  private readonly entries: MatchEntry[];
  private readonly input: RuleInput;
  private readonly out: Emitter;
  private readonly policies: readonly AccessPolicy[];
  /** OSM ignored the TrafficTargets (permissive mode): the Servers admit by their accessPolicy, routes or not. */
  private readonly permissive: boolean;
  private readonly servers: ServerPlan;

  constructor(input: RuleInput, out: Emitter, policies: readonly AccessPolicy[], permissive: boolean, servers: ServerPlan) {
    this.input = input;
    this.out = out;
    this.policies = policies;
    this.permissive = permissive;
    this.servers = servers;
    this.inventory = input.inventory;
    this.first = policies[0] as AccessPolicy;
    this.namespace = this.first.namespace;
    this.outNamespace = generatedNamespace(this.first.target, this.namespace);
    this.serviceAccount = this.first.destination;
    this.entries = distinctMatches(policies);
  }

  private get origin(): K8sObject {
    return this.first.target;
  }

  private scope(port?: number) {
    return [{ namespace: this.namespace ?? '', serviceAccount: this.serviceAccount, ...(port !== undefined ? { port } : {}) }];
  }

  run(): void {
    if (this.permissive) {
      const audit = this.input.options.permissiveAccess === 'audit';
      for (const p of this.policies) {
        this.out.finding(audit
          ? finding('mesh-mode/permissive-audit', p.target.locate(['kind']), {
            resource: formatRef(p.target.ref),
            message: { ref: formatRef(p.target.ref) },
            affects: this.scope(),
          })
          : finding('mesh-mode/permissive-authenticated', p.target.locate(['kind']), {
            resource: formatRef(p.target.ref),
            message: { ref: formatRef(p.target.ref) },
          }));
      }
    }
    this.reportMatchProblems();
    const workloads = this.inventory.workloadsRunningAs(this.namespace, this.serviceAccount);
    if (workloads.length === 0) {
      this.translateWithoutWorkload();
      return;
    }
    for (const workload of workloads) this.translateWorkload(workload);
  }

  /** Sources allowed through OSM's L4 RBAC on a port: any TrafficTarget whose TCPRoute ports (or `any`) include it. */
  private l4Sources(port: number): Set<string> {
    const allowed = new Set<string>();
    for (const p of this.policies) {
      if (p.ports === 'any' || p.ports.includes(port)) p.sources.forEach((s) => allowed.add(s));
    }
    return allowed;
  }

  private translateWorkload(workload: Workload): void {
    const exposed = exposedPorts(this.inventory, workload);
    for (const cp of workload.ports) {
      if (exposed.some((e) => e.port === cp.port)) continue;
      this.out.finding(finding('traffic-target/port-not-exposed', workload.object.locate(['kind']), {
        resource: formatRef(workload.object.ref),
        message: { name: cp.name ?? cp.port, ref: formatRef(workload.object.ref) },
      }));
    }
    for (const port of exposed) {
      // The Server of every port OSM programmed (servers.ts): traffic-target's need comes first, so it emits it.
      const planned = this.servers.at(workload, port.port);
      if (planned?.owner !== 'traffic-target') continue;
      const server = this.emitServer(planned);
      this.reportTcpScoping(port.port);
      if (planned.proxyProtocol === 'opaque') this.translateTcpPort(workload, port, server);
      else this.translateHttpPort(workload, port, server);
    }
  }

  /** Returns the name the Server got (the Emitter renames a different resource under a name the rule already used). */
  private emitServer(planned: PlannedServer): string {
    return this.out.resource(planned.resource, planned.origin);
  }

  private translateTcpPort(workload: Workload, port: ExposedPort, server: string): void {
    if (this.entries.length > 0) {
      this.out.finding(finding('traffic-target/http-rules-on-tcp-port', this.origin.locate(['spec', 'rules']), {
        resource: formatRef(this.origin.ref),
        message: { port: port.port, workloadName: workload.name, protocol: port.protocol, via: port.via.join(', ') },
      }));
    }
    const sources = this.l4Sources(port.port);
    if (sources.size === 0) return;
    const mtls = this.meshTls(sources);
    this.out.resource(buildAuthorizationPolicy(server, this.outNamespace, { kind: 'Server', name: server }, [
      { kind: 'MeshTLSAuthentication', name: mtls },
    ]), this.origin);
  }

  private translateHttpPort(workload: Workload, port: ExposedPort, server: string): void {
    if (port.protocol === 'grpc') {
      this.out.finding(finding('traffic-target/grpc-port', workload.object.locate(['kind']), {
        resource: formatRef(workload.object.ref),
        message: { port: port.port, workloadName: workload.name, via: port.via.join(', '), server },
      }));
    }
    const l4 = this.l4Sources(port.port);
    const routed = this.entries
      .map((e) => ({ ...e, sources: new Set([...e.sources].filter((s) => l4.has(s))) }))
      .filter((e) => translateHttpMatch(e.match).ok);
    const { effective, forms } = this.authorizedRoutes(routed, port.port);
    this.emitProbeRoute(workload, port, server, effective, forms);
    if (this.permissive) {
      // The accessPolicy admits on every route, but a request must still reach one, or Linkerd answers 404 where OSM allowed it.
      this.out.resource(buildServerRoute(this.input.options.linkerdVersion, resourceName(server, 'all'), this.outNamespace, server, [
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }] },
      ]), this.origin);
    }
    this.emitAuthorizedRoutes(server, effective, forms);
  }

  /**
   * The routes to emit for a destination port, each with every source OSM allowed its requests (linkerd-semantics
   * §2.7: Linkerd checks the one route that wins). A partial overlap gets an intersection route with both sides'
   * sources; a contained route gets the sources of the routes containing it, and a form that outranks them.
   */
  private authorizedRoutes(entries: readonly MatchEntry[], port?: number): { effective: MatchEntry[]; forms: Map<string, RouteMatch[]> } {
    const closed = closeUnderIntersection(entries);
    this.reportOverlaps(closed.unresolved, port);
    this.reportIntersections(closed.created, port);
    const effective = unionContaining(closed.entries);
    const { forms, converted } = precedenceSafeForms(effective);
    this.reportConverted(converted, effective, forms, port);
    return { effective, forms };
  }

  private emitAuthorizedRoutes(server: string, effective: readonly MatchEntry[], forms: ReadonlyMap<string, RouteMatch[]>): void {
    for (const entry of effective) {
      const matches = forms.get(entry.key);
      if (entry.sources.size === 0 || !matches) continue;
      this.emitAuthorizedRoute(server, entry, matches, effective);
    }
  }

  private emitAuthorizedRoute(server: string, entry: MatchEntry, matches: readonly RouteMatch[], entries: readonly MatchEntry[]): void {
    const version = this.input.options.linkerdVersion;
    const wanted = resourceName(server, ...tieBreakPrefix(entry, entries), entry.match.group, entry.match.name);
    const route = this.out.resource(buildServerRoute(version, wanted, this.outNamespace, server, [{ matches }]), entry.match.object);
    this.out.resource(buildAuthorizationPolicy(route, this.outNamespace, { kind: 'HTTPRoute', name: route }, [
      { kind: 'MeshTLSAuthentication', name: this.meshTls(entry.sources) },
    ]), entry.match.object);
  }

  /**
   * Once a route is attached to a Server, Linkerd stops authorizing kubelet probes by itself
   * (linkerd-semantics §2.6), while OSM always let them through its own probe listeners. So every HTTP probe gets
   * a GET + exact-path route authorized from the probe networks, plus every source an OSM route let make that request.
   */
  private emitProbeRoute(workload: Workload, port: ExposedPort, server: string, entries: readonly MatchEntry[], forms: ReadonlyMap<string, RouteMatch[]>): void {
    const paths = httpProbePaths(workload, port.port);
    if (paths.length === 0) return;
    const { options } = this.input;
    const version = options.linkerdVersion;
    const matches: RouteMatch[] = paths.map((value) => ({ path: { type: 'Exact', value }, method: 'GET' }));
    const route = this.out.resource(buildServerRoute(version, resourceName(server, 'probes'), this.outNamespace, server, [{ matches }]), this.origin);
    const networks = options.probeNetworks.length > 0 ? options.probeNetworks : ['0.0.0.0/0', '::/0'];
    const probeNetworks = this.out.resource(buildNetworkAuthentication('kubelet-probes', this.outNamespace, networks), this.origin);
    this.out.resource(buildAuthorizationPolicy(route, this.outNamespace, { kind: 'HTTPRoute', name: route }, [
      { kind: 'NetworkAuthentication', name: probeNetworks },
    ]), this.origin);
    const probeRequest = (e: MatchEntry, path: string) =>
      (e.match.methods.length === 0 || e.match.methods.includes('GET')) &&
      Object.keys(e.match.headers).length === 0 &&
      (e.match.pathRegex === undefined || e.match.pathRegex === '' || fullMatch(e.match.pathRegex, path));
    const meshSources = new Set<string>();
    for (const e of entries) {
      const hit = paths.filter((p) => probeRequest(e, p));
      if (hit.length === 0 || e.sources.size === 0) continue;
      e.sources.forEach((s) => meshSources.add(s));
      // The probe route (Exact path, GET) loses the kubelet's request only to a route that ranks as high (precedence.ts).
      const form = forms.get(e.key)?.[0];
      const probeRank = (p: string) => rankOf({ path: { type: 'Exact', value: p }, method: 'GET' }, p);
      if (form && hit.some((p) => compareRanks(rankOf(form, p), probeRank(p)) >= 0)) {
        this.out.finding(finding('probes/overlaps-route', e.match.object.locate(e.match.path), {
          resource: formatRef(e.match.object.ref),
          message: { matchName: e.match.name, hit: hit.join(', '), workloadName: workload.name, port: port.port, route },
          affects: [{ namespace: this.namespace ?? '', serviceAccount: this.serviceAccount, port: port.port, source: 'kubelet' }],
        }));
      }
    }
    if (meshSources.size > 0) {
      this.out.resource(buildAuthorizationPolicy(resourceName(route, 'mesh'), this.outNamespace, { kind: 'HTTPRoute', name: route }, [
        { kind: 'MeshTLSAuthentication', name: this.meshTls(meshSources) },
      ]), this.origin);
    }
    if (options.probeNetworks.length === 0) {
      this.out.finding(finding('probes/open-to-all-networks', workload.object.locate(['kind']), {
        resource: formatRef(workload.object.ref),
        message: `Probe paths ${paths.join(', ')} of ${workload.name}:${port.port} are authorized from every network (route ${route}): any client can GET them.`,
        affects: this.scope(port.port).map((s) => ({ ...s, paths, methods: ['GET'] })),
      }));
    }
  }

  /** MeshTLSAuthentication for a set of identities, shared by every route and Server that allows the same set. */
  private meshTls(sources: ReadonlySet<string>): string {
    const identities = [...sources].sort();
    const accounts = identities.map((id) => {
      const dot = id.indexOf('.');
      return { name: id.slice(0, dot), namespace: id.slice(dot + 1) };
    });
    const only = accounts[0];
    const name = accounts.length === 1 && only
      ? resourceName(only.name, only.namespace)
      : resourceName(this.serviceAccount, 'clients', hash53(identities.join(',')).slice(0, 6));
    return this.out.resource(buildMeshTlsAuthentication(name, this.outNamespace, accounts), this.origin);
  }

  private reportTcpScoping(port: number): void {
    for (const p of this.policies) {
      if (p.ports === 'any' || p.ports.includes(port) || p.sources.length === 0) continue;
      this.out.finding(finding('traffic-target/tcp-route-port-scope', p.target.locate(['spec', 'rules']), {
        resource: formatRef(p.target.ref),
        message: { ref: formatRef(p.target.ref), ports: p.ports.join(', '), port, serviceAccount: this.serviceAccount },
      }));
    }
  }

  private onPort(port: number | undefined): string {
    return port === undefined ? '' : ` on port ${port}`;
  }

  private reportOverlaps(pairs: readonly (readonly [MatchEntry, MatchEntry])[], port: number | undefined): void {
    for (const [a, b] of pairs) {
      this.out.finding(finding('traffic-target/overlapping-routes', a.match.object.locate(a.match.path), {
        resource: formatRef(a.match.object.ref),
        message: { group: a.match.group, matchName: a.match.name, group2: b.match.group, matchName2: b.match.name, onPort: this.onPort(port) },
        affects: this.scope(port),
      }));
    }
  }

  private reportIntersections(created: readonly Intersection[], port: number | undefined): void {
    for (const { entry, of: [a, b] } of created) {
      this.out.finding(finding('traffic-target/overlap-intersection', a.match.object.locate(a.match.path), {
        resource: formatRef(a.match.object.ref),
        message: { group: a.match.group, matchName: a.match.name, group2: b.match.group, matchName2: b.match.name, onPort: this.onPort(port), describeMatch: describeMatch(entry.match) },
      }));
    }
  }

  private reportConverted(converted: readonly MatchEntry[], entries: readonly MatchEntry[], forms: ReadonlyMap<string, RouteMatch[]>, port: number | undefined): void {
    for (const inner of converted) {
      const outer = entries.filter((o) => o !== inner && o.sources.size > 0 && contains(o.match, inner.match) && forms.get(o.key)?.[0]?.path?.type !== 'PathPrefix');
      const regex = forms.get(inner.key)?.[0]?.path?.value ?? '';
      this.out.finding(finding('traffic-target/prefix-as-regex', inner.match.object.locate([...inner.match.path, 'pathRegex']), {
        resource: formatRef(inner.match.object.ref),
        message: { group: inner.match.group, matchName: inner.match.name, stringify: JSON.stringify(inner.match.pathRegex ?? ''), outer: outer.map((o) => `${o.match.group}/${o.match.name}`).join(', '), onPort: this.onPort(port), regex },
      }));
    }
  }

  private reportMatchProblems(): void {
    for (const entry of this.entries) {
      const t = translateHttpMatch(entry.match);
      const at = entry.match.object.locate([...entry.match.path, 'pathRegex']);
      const resource = formatRef(entry.match.object.ref);
      const label = `${entry.match.group}/${entry.match.name} (pathRegex ${JSON.stringify(entry.match.pathRegex ?? '')})`;
      if (t.path.kind === 'never') {
        this.out.finding(finding('traffic-target/path-never-matches', at, { resource, message: `${label} can never match a path, which always starts with "/".` }));
      } else if (t.path.kind === 'invalid') {
        this.out.finding(finding('traffic-target/path-regex-invalid', at, { resource, message: `${label} is not valid RE2.` }));
      } else if (t.path.kind === 'inexpressible') {
        this.out.finding(finding('traffic-target/path-not-expressible', at, {
          resource, message: `${label} uses ${t.path.construct}, which the Linkerd proxy's regex engine rejects.`, affects: this.scope(),
        }));
      } else if (t.path.kind === 'match' && t.path.match.type === 'RegularExpression') {
        this.out.finding(finding('traffic-target/path-regex-translated', at, { resource, message: `${label} becomes RegularExpression ${t.path.match.value}.` }));
      }
      for (const [name, value] of Object.entries(entry.match.headers)) {
        if (regexLiteral(value) !== '') continue;
        this.out.finding(finding('traffic-target/empty-header-value', entry.match.object.locate([...entry.match.path, 'headers']), {
          resource, message: { label, name },
        }));
      }
      if (entry.match.headers['host'] !== undefined) {
        this.out.finding(finding('traffic-target/host-header', entry.match.object.locate([...entry.match.path, 'headers']), {
          resource, message: `${label} matches the host header ${JSON.stringify(entry.match.headers['host'])}, which OSM compared with :authority.`,
        }));
      }
    }
  }

  private tcpPortsNote(): string[] {
    const ports = [...new Set(this.policies.flatMap((p) => (p.ports === 'any' ? [] : p.ports)))];
    return ports.length > 0 ? [`OSM allowed the sources on port(s) ${ports.join(', ')} only (TCPRoute matches.ports): create one opaque Server per port.`] : [];
  }

  /**
   * TrafficTargets with only TCP rules authorize whole ports: a server-level policy on the Server the user creates is
   * exact (the finding says which ports). With HTTP rules it would open every route, so nothing server-level then.
   */
  private authorizeTcpOnlyWithoutWorkload(server: string): void {
    if (this.policies.some((p) => p.hasHttpRules)) return;
    const sources = new Set(this.policies.flatMap((p) => p.sources));
    const origin = this.policies.flatMap((p) => p.tcpRoutes)[0] ?? this.origin;
    if (sources.size === 0) return;
    this.out.resource(buildAuthorizationPolicy(server, this.outNamespace, { kind: 'Server', name: server }, [
      { kind: 'MeshTLSAuthentication', name: this.meshTls(sources) },
    ]), origin);
  }

  /** No workload runs as the destination: emit everything that does not need the pods, and say what to add. */
  private translateWithoutWorkload(): void {
    const server = resourceName(this.serviceAccount);
    const ns = this.namespace ?? '<namespace>';
    this.out.finding(finding('traffic-target/destination-without-workload', this.origin.locate(['spec', 'destination', 'name']), {
      resource: formatRef(this.origin.ref),
      message: [
        `No workload in the repository runs as ServiceAccount ${this.serviceAccount} in ${ns}. Routes and authorizations were generated for a Server named ${server}; create it:`,
        '```yaml',
        `apiVersion: ${buildServer(this.input.options.linkerdVersion, { name: server, namespace: ns, podLabels: {}, port: 0, proxyProtocol: 'HTTP/1' }).apiVersion}`,
        'kind: Server',
        `metadata: {name: ${server}, namespace: ${ns}}`,
        'spec:',
        '  podSelector: {matchLabels: {app: <label of the pods running as this ServiceAccount>}}',
        '  port: <container port, name or number>',
        '  proxyProtocol: HTTP/1   # opaque for TCP ports',
        '```',
        ...this.tcpPortsNote(),
      ].join('\n'),
    }));
    this.authorizeTcpOnlyWithoutWorkload(server);
    const { effective, forms } = this.authorizedRoutes(this.entries.filter((e) => translateHttpMatch(e.match).ok));
    this.emitAuthorizedRoutes(server, effective, forms);
  }
}

/** The same match reached from several TrafficTargets (or groups) is one route whose sources are the union (§2.1.7). */
function distinctMatches(policies: readonly AccessPolicy[]): MatchEntry[] {
  const byKey = new Map<string, { match: OsmHttpMatch; sources: Set<string> }>();
  for (const p of policies) {
    for (const match of p.httpMatches) {
      const key = matchKey(match);
      const entry = byKey.get(key) ?? { match, sources: new Set<string>() };
      p.sources.forEach((s) => entry.sources.add(s));
      byKey.set(key, entry);
    }
  }
  return [...byKey.entries()].map(([key, e]) => ({ key, match: e.match, sources: e.sources }));
}

interface Intersection {
  readonly entry: MatchEntry;
  readonly of: readonly [MatchEntry, MatchEntry];
}

/** At most this many rounds of intersecting intersections (three routes overlapping pairwise need two). */
const INTERSECTION_ROUNDS = 4;

/**
 * OSM allowed a request when ANY match accepting it allowed the source (osm-semantics §2.1.7); Linkerd checks only
 * the one route that wins (linkerd-semantics §2.7). For two matches with different sources that overlap without
 * either containing the other, the requests both accept become a match of their own: it lies inside both, so it
 * wins those requests (precedenceSafeForms, tieBreakPrefix) and unionContaining gives it both sides' sources.
 * Pairs whose intersection cannot be written as one match are returned for a finding.
 */
function closeUnderIntersection(entries: readonly MatchEntry[]): { entries: MatchEntry[]; created: Intersection[]; unresolved: [MatchEntry, MatchEntry][] } {
  const all = [...entries];
  const created: Intersection[] = [];
  const unresolved = new Map<string, [MatchEntry, MatchEntry]>();
  for (let round = 0; round < INTERSECTION_ROUNDS; round++) {
    const found: Intersection[] = [];
    for (const [i, a] of all.entries()) {
      for (const b of all.slice(i + 1)) {
        // A match without sources on this port is not emitted: nothing to share with it.
        if (a.sources.size === 0 || b.sources.size === 0 || sameSet(a.sources, b.sources)) continue;
        if (contains(a.match, b.match) || contains(b.match, a.match) || !overlap(a.match, b.match)) continue;
        const match = intersection(a.match, b.match);
        if (!match) {
          unresolved.set(`${a.key}\u0000${b.key}`, [a, b]);
          continue;
        }
        const key = matchKey(match);
        if (all.some((e) => e.key === key) || found.some((f) => f.entry.key === key)) continue;
        found.push({ entry: { key, match, sources: new Set([...a.sources, ...b.sources]) }, of: [a, b] });
      }
    }
    if (found.length === 0) break;
    all.push(...found.map((f) => f.entry));
    created.push(...found);
  }
  return { entries: all, created, unresolved: [...unresolved.values()] };
}

/**
 * The route matches to emit per entry. A contained route must outrank every broader one with other sources on the
 * requests it shares with them (precedence.ts: path length first, then headers, query params, method): a PathPrefix
 * inside an Exact or RegularExpression route loses every longer path, so it is written as the same regular
 * expression, which ties on the path and then wins by name (tieBreakPrefix).
 */
function precedenceSafeForms(entries: readonly MatchEntry[]): { forms: Map<string, RouteMatch[]>; converted: MatchEntry[] } {
  const forms = new Map<string, RouteMatch[]>();
  for (const e of entries) {
    const t = translateHttpMatch(e.match);
    if (t.ok) forms.set(e.key, [...t.matches]);
  }
  const emitted = entries.filter((e) => e.sources.size > 0 && forms.has(e.key));
  const converted = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const inner of emitted) {
      const mine = forms.get(inner.key) ?? [];
      if (converted.has(inner.key) || mine[0]?.path?.type !== 'PathPrefix') continue;
      const loses = emitted.some((outer) => outer !== inner && !sameSet(outer.sources, inner.sources) &&
        contains(outer.match, inner.match) && outerCanWin(mine, forms.get(outer.key) ?? []));
      if (!loses) continue;
      forms.set(inner.key, asRegularExpression(mine, inner.match.pathRegex));
      converted.add(inner.key);
      changed = true;
    }
  }
  return { forms, converted: emitted.filter((e) => converted.has(e.key)) };
}

function describeMatch(match: OsmHttpMatch): string {
  const parts = [`pathRegex ${JSON.stringify(match.pathRegex ?? '.*')}`];
  if (match.methods.length > 0) parts.push(`methods ${match.methods.join(', ')}`);
  const headers = Object.entries(match.headers);
  if (headers.length > 0) parts.push(`headers ${headers.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}`);
  return parts.join(', ');
}

/**
 * Linkerd uses the most specific route only; a request inside a contained match would otherwise lose the sources of
 * every broader match that also accepts it. Adding them to the inner route widens nothing: each of its requests is
 * also a request of the outer match.
 */
function unionContaining(entries: readonly MatchEntry[]): MatchEntry[] {
  return entries.map((e) => {
    const sources = new Set(e.sources);
    for (const other of entries) {
      if (other !== e && contains(other.match, e.match)) other.sources.forEach((s) => sources.add(s));
    }
    return { ...e, sources };
  });
}

/**
 * When a route's match lies inside another's and both rank the same (precedence.ts: same path length, then header
 * count, query-param count and method match), Linkerd falls back to the oldest route, then the name: resources applied together share a timestamp, so the name
 * decides. Contained routes get a digit prefix that sorts before letters, deeper ones before shallower ones.
 */
function tieBreakPrefix(entry: MatchEntry, entries: readonly MatchEntry[]): string[] {
  const depth = entries.filter((other) => other.key !== entry.key && contains(other.match, entry.match)).length;
  return depth === 0 ? [] : [String(Math.max(0, 9 - depth))];
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
