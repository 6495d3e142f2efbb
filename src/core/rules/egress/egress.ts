import { finding, type Finding } from '../../findings/finding.ts';
import type { FindingId } from '../../findings/catalogue.ts';
import { meshEgressPassthrough, meshFeatureFlags, type MeshConfigSource } from '../../inventory/mesh-config.ts';
import type { Inventory, K8sObject, Workload } from '../../inventory/model.ts';
import { resourceName } from '../../linkerd/names.ts';
import { features } from '../../linkerd/versions.ts';
import { readAccessModel, type OsmHttpMatch } from '../../osm/access-model.ts';
import { isMeshed, meshedNamespaces } from '../../osm/meshed.ts';
import { formatRef, type SourceLocation } from '../../source.ts';
import { asArray, asRecord } from '../../values.ts';
import { inCidr } from '../../primitives/cidr.ts';
import { Emitter } from '../emitter.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';
import { translateHttpMatch } from '../traffic-target/http-match.ts';
import { buildEgressHttpRoute, buildEgressNetwork, buildEgressTcpRoute, buildEgressTlsRoute, type TrafficPolicy } from './build.ts';
import { connectionSettingFields, readEgressPolicies, type EgressPolicy, type EgressPort } from './read-egress.ts';

/**
 * Egress (policy.openservicemesh.io/v1alpha1) and the mesh-wide egress default → Linkerd egress control (2.17+):
 * an EgressNetwork per client namespace (trafficPolicy Deny when OSM dropped unmatched outbound traffic, Allow when
 * its global passthrough was on), EgressNetworks for the Egress ipAddresses, and per Egress port an HTTPRoute
 * (http), TLSRoute (https) or TCPRoute (tcp, tcp-server-first) attached to them.
 *
 * OSM behaviour kept (osm-semantics §3.2, §6.4): "Egress only works when the feature flag
 * featureFlags.enableEgressPolicy is on"; "`http` ports get one virtual host per `hosts[]` entry … routes come from
 * the referenced HTTPRouteGroup matches (same full-match regex semantics as §2.2), or a wildcard if there are none";
 * "`https` ports are TCP proxied and matched on SNI = `hosts` (and `ipAddresses` if set)"; "`tcp` /
 * `tcp-server-first` ports are matched on `ipAddresses` + port"; "when `enableEgress: false` and no Egress policy
 * matches, the connection is dropped". What Linkerd cannot say (sources per ServiceAccount, in-cluster
 * destinations, connection limits) is a finding.
 */
export const egressRule = defineRule({
  id: 'egress',
  consumes: ['Egress'],
  fields: {
    Egress: [
      'spec.sources[].kind', 'spec.sources[].name', 'spec.sources[].namespace', 'spec.hosts', 'spec.ipAddresses', 'spec.ports[].number',
      'spec.ports[].protocol', 'spec.matches[].apiGroup', 'spec.matches[].kind', 'spec.matches[].name',
    ],
  },
  emits: [
    'egress/translated', 'egress/default-deny', 'egress/passthrough', 'egress/passthrough-assumed', 'egress/sources-widened',
    'egress/no-egress-control', 'egress/policy-disabled', 'egress/rejected-by-osm', 'egress/upstream-traffic-setting',
    'egress/upstream-traffic-setting-not-found', 'egress/route-group-not-found', 'egress/invalid-source', 'egress/invalid-ip-range',
    'egress/unsupported-protocol', 'egress/host-not-expressible', 'egress/http-without-hosts', 'egress/gateway-api-required',
    'egress/namespace-not-monitored', 'egress/default-deny-unplaced', 'traffic-target/path-regex-translated',
    'traffic-target/path-never-matches', 'traffic-target/path-regex-invalid', 'traffic-target/path-not-expressible',
    'traffic-target/host-header', 'egress/tcp-subsumes-routes', 'egress/replaced-by-later-document',
  ],
  translate: translateEgress,
});

/** The namespace-wide EgressNetwork; those for ipAddresses are named after their CIDR. */
export const CATCH_ALL_NETWORK = 'egress';
export const OPAQUE_PORTS = 'config.linkerd.io/opaque-ports';
/** Gateway API hostname (route schemas): DNS labels in lower case, optionally `*.` first; no IP addresses. */
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Schema limits: 8 matches per rule, 16 rules and 16 hostnames per route. */
const MAX_MATCHES = 8;
const MAX_RULES = 16;
const MAX_HOSTNAMES = 16;

interface EgressSettings {
  /** traffic.enableEgress: OSM forwarded outbound traffic nothing else matched. */
  readonly passthrough: boolean;
  /** Where the answer came from, for messages. */
  readonly from: string;
  readonly meshConfig?: MeshConfigSource;
}

export function translateEgress(input: RuleInput): RuleOutput {
  const out = new Emitter();
  const { inventory, options } = input;
  const egresses = inventory.osm('Egress');
  for (const o of egresses) out.consume(o);
  const settings = decideSettings(inventory, egresses, out);
  if (!settings) return out.output();
  const policies = readPolicies(inventory, egresses, out);
  const byNamespace = new Map<string, EgressPolicy[]>();
  for (const p of policies) {
    for (const ns of new Set(p.sources.map((s) => s.namespace))) byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), p]);
  }
  const namespaces = new Set(byNamespace.keys());
  if (!settings.passthrough) for (const ns of meshedNamespaceNames(inventory)) namespaces.add(ns);
  if (!settings.passthrough && namespaces.size === 0 && settings.meshConfig) {
    out.finding(finding('egress/default-deny-unplaced', settings.meshConfig.locate(['traffic', 'enableEgress']), {
      resource: formatRef(settings.meshConfig.object.ref),
      message: `${settings.from} turned global egress off, and the repository shows no meshed namespace: no EgressNetwork was generated.`,
    }));
  }
  const context: Context = { input, out, settings, byNamespace };
  if (features(options.linkerdVersion).egressNetwork) {
    for (const ns of [...namespaces].sort()) {
      const place = placement(inventory, ns, byNamespace.get(ns) ?? []);
      if (place) new NamespaceTranslation(context, ns, place).run();
    }
  } else {
    reportWithoutEgressControl(context, policies, [...namespaces].sort());
  }
  return out.output();
}

interface Context {
  readonly input: RuleInput;
  readonly out: Emitter;
  readonly settings: EgressSettings;
  /** Client namespace → the Egress policies with a source there. */
  readonly byNamespace: ReadonlyMap<string, readonly EgressPolicy[]>;
}

/**
 * traffic.enableEgress, or an assumption when Egress objects exist without it: OSM's docs say "To use this feature,
 * disable global mesh-wide egress". Nothing in the repository about egress: nothing to keep.
 */
function decideSettings(inventory: Inventory, egresses: readonly K8sObject[], out: Emitter): EgressSettings | undefined {
  const { value, meshConfig } = meshEgressPassthrough(inventory);
  const from = meshConfig ? `traffic.enableEgress in ${formatRef(meshConfig.object.ref)}` : 'traffic.enableEgress';
  if (value !== undefined) return { passthrough: value, from, ...(meshConfig ? { meshConfig } : {}) };
  const first = egresses[0];
  if (!first) return undefined;
  out.finding(finding('egress/passthrough-assumed', first.locate(['kind']), {
    resource: formatRef(first.ref),
    message: meshConfig
      ? `${formatRef(meshConfig.object.ref)} does not set traffic.enableEgress: the translation assumes OSM's global egress passthrough was off, as Egress policies require.`
      : 'The repository has Egress policies and no MeshConfig: the translation assumes OSM\'s global egress passthrough was off, as Egress policies require.',
  }));
  return { passthrough: false, from: 'the assumed traffic.enableEgress: false', ...(meshConfig ? { meshConfig } : {}) };
}

/** featureFlags.enableEgressPolicy off: `GetEgressTrafficPolicy` returned nothing, for every Egress. */
function readPolicies(inventory: Inventory, egresses: readonly K8sObject[], out: Emitter): EgressPolicy[] {
  const flags = meshFeatureFlags(inventory);
  if (!flags.enableEgressPolicy) {
    const where = flags.meshConfig ? formatRef(flags.meshConfig.object.ref) : 'the MeshConfig';
    for (const e of egresses) {
      out.finding(finding('egress/policy-disabled', e.locate(['kind']), {
        resource: formatRef(e.ref),
        message: `featureFlags.enableEgressPolicy is false in ${where}: OSM ignored ${formatRef(e.ref)}, so nothing is generated for it.`,
      }));
    }
    return [];
  }
  const findings: Finding[] = [];
  const policies = readEgressPolicies(inventory, findings);
  findings.forEach((f) => out.finding(f));
  for (const p of policies) {
    const setting = p.upstreamTrafficSetting;
    const fields = setting ? connectionSettingFields(setting) : [];
    if (!setting || fields.length === 0) continue;
    const index = matchIndex(p.object, 'UpstreamTrafficSetting');
    out.finding(finding('egress/upstream-traffic-setting', p.object.locate(['spec', 'matches', index]), {
      resource: formatRef(p.object.ref),
      message: `${formatRef(p.object.ref)} applies ${formatRef(setting.ref)} (${fields.join(', ')}) to its egress traffic in OSM; Linkerd has no such limits for egress, so they are dropped here.`,
    }));
  }
  for (const p of policies) if (p.ports.some((port) => port.protocol === 'http') && p.httpMatches !== 'any') reportMatchProblems(out, p, p.httpMatches);
  return policies;
}

function matchIndex(egress: K8sObject, kind: string): number {
  return Math.max(0, asArray(asRecord(egress.body['spec'])['matches']).findIndex((m) => asRecord(m)['kind'] === kind));
}

/** Namespaces OSM meshed, as default-policy finds them: meshed Namespace manifests and meshed workloads. */
function meshedNamespaceNames(inventory: Inventory): string[] {
  const meshed = meshedNamespaces(inventory, readAccessModel(inventory));
  const names = new Set(inventory.workloads.filter((w) => isMeshed(w, inventory, meshed)).flatMap((w) => w.namespace ?? []));
  for (const ns of inventory.namespaces) if (meshed.has(ns.name)) names.add(ns.name);
  return [...names];
}

interface Network {
  /** The name asked for; `emitted` is the one the Emitter gave it. */
  readonly wanted: string;
  readonly cidr?: string;
  /**
   * Port → the Egress policies with a tcp or tcp-server-first port there. OSM matched those on port (+ ipAddresses)
   * whatever the SNI or Host, and Linkerd uses only the highest-ranked route kind on a port (policy controller
   * outbound `to_proto`: gRPC > HTTP > TLS > TCP), so such a port gets only the TCPRoute and is opaque.
   */
  readonly tcp: Map<number, EgressPolicy[]>;
  emitted: string;
}

/** Where a namespace's generated resources go, and whether they carry the namespace (kustomize may set it). */
interface Placement {
  readonly origin: K8sObject;
  readonly namespace: string | undefined;
}

class NamespaceTranslation {
  private readonly policies: readonly EgressPolicy[];
  private readonly trafficPolicy: TrafficPolicy;
  private readonly place: Placement;
  private readonly networks: Network[];
  private readonly context: Context;
  private readonly namespace: string;

  constructor(context: Context, namespace: string, place: Placement) {
    this.context = context;
    this.namespace = namespace;
    this.policies = context.byNamespace.get(namespace) ?? [];
    this.trafficPolicy = context.settings.passthrough ? 'Allow' : 'Deny';
    this.place = place;
    const cidrs = [...new Set(this.policies.flatMap((p) => p.ipAddresses))].sort();
    this.networks = [
      { wanted: CATCH_ALL_NETWORK, tcp: new Map(), emitted: CATCH_ALL_NETWORK },
      ...cidrs.map((cidr) => ({ wanted: resourceName(CATCH_ALL_NETWORK, cidr), cidr, tcp: new Map<number, EgressPolicy[]>(), emitted: '' })),
    ];
  }

  private get out(): Emitter {
    return this.context.out;
  }

  run(): void {
    for (const p of this.policies) {
      for (const port of p.ports) {
        if (port.protocol !== 'tcp' && port.protocol !== 'tcp-server-first') continue;
        for (const n of this.parents(p)) {
          const owners = n.tcp.get(port.number) ?? [];
          if (!owners.includes(p)) n.tcp.set(port.number, [...owners, p]);
        }
      }
    }
    for (const n of this.networks) {
      // tcp and tcp-server-first were plain tcp_proxy in OSM: no protocol detection, so the TCPRoute applies (and
      // http/https routes on the same port are left out, see `tcp`).
      const opaque = [...n.tcp.keys()].sort((a, b) => a - b);
      const annotations = opaque.length > 0 ? { [OPAQUE_PORTS]: opaque.join(',') } : undefined;
      n.emitted = this.out.resource(buildEgressNetwork(n.wanted, this.place.namespace, this.trafficPolicy, n.cidr ? [n.cidr] : undefined, annotations), this.place.origin);
    }
    for (const p of this.policies) this.translatePolicy(p);
    if (this.trafficPolicy === 'Deny') this.reportDefaultDeny();
  }

  /**
   * The EgressNetworks whose traffic a policy covers. Linkerd resolves a destination to the most specific network
   * (`resolve_egress_network`), so a policy without ipAddresses attaches to all of them, and one with ipAddresses to
   * the networks inside its ranges.
   */
  private parents(p: EgressPolicy): Network[] {
    if (p.ipAddresses.length === 0) return this.networks;
    return this.networks.filter((n) => n.cidr !== undefined && p.ipAddresses.some((range) => cidrContains(range, n.cidr as string)));
  }

  private translatePolicy(p: EgressPolicy): void {
    const routes: string[] = [];
    const resource = formatRef(p.object.ref);
    const hostnames = this.hostnames(p);
    let gatewayRoutes = false;
    for (const port of p.ports) {
      for (const n of this.parents(p)) {
        const base = [p.object.ref.name, port.number, ...(n.cidr ? [n.cidr] : [])];
        const tcp = port.protocol === 'http' || port.protocol === 'https' ? n.tcp.get(port.number) : undefined;
        if (tcp) this.reportSubsumed(p, port, n, tcp);
        else if (port.protocol === 'http') routes.push(...this.httpRoutes(p, port, n, base, hostnames));
        else if (port.protocol === 'https') {
          if (p.hosts.length > 0 && hostnames.length === 0) continue;
          for (const [i, chunk] of chunks(hostnames, MAX_HOSTNAMES, true).entries()) {
            routes.push(`TLSRoute ${this.out.resource(buildEgressTlsRoute(resourceName(...base, ...(i > 0 ? [i] : [])), this.place.namespace, n.emitted, port.number, chunk), this.place.origin)}`);
          }
          gatewayRoutes = true;
        } else {
          routes.push(`TCPRoute ${this.out.resource(buildEgressTcpRoute(resourceName(...base), this.place.namespace, n.emitted, port.number), this.place.origin)}`);
          gatewayRoutes = true;
        }
      }
    }
    const networks = this.parents(p).map((n) => n.emitted).join(', ');
    const subsumed = p.ports.some((port) => (port.protocol === 'http' || port.protocol === 'https') && this.parents(p).some((n) => n.tcp.has(port.number)));
    this.out.finding(finding('egress/translated', p.object.locate(['kind']), {
      resource,
      message: routes.length > 0
        ? `${resource}, for clients in ${this.namespace}: ${routes.join(', ')} on EgressNetwork ${networks} (trafficPolicy ${this.trafficPolicy}).`
        : subsumed
          ? `${resource}, for clients in ${this.namespace}: no route of its own; TCPRoutes of tcp Egress ports already allow its ports (EgressNetwork ${networks}, trafficPolicy ${this.trafficPolicy}).`
          : `${resource} allowed nothing OSM could route for clients in ${this.namespace}: no route is generated (EgressNetwork ${networks}, trafficPolicy ${this.trafficPolicy}).`,
    }));
    if (gatewayRoutes && !features(this.context.input.options.linkerdVersion).gatewayApiInstalledByDefault) {
      this.out.finding(finding('egress/gateway-api-required', p.object.locate(['spec', 'ports']), {
        resource,
        message: `${resource} needs TLSRoute/TCPRoute (gateway.networking.k8s.io/v1alpha2), which Linkerd ${this.context.input.options.linkerdVersion} does not install by default.`,
      }));
    }
    if (this.trafficPolicy === 'Deny') this.reportWidenedSources(p);
    else if (p.ports.some((port) => port.protocol === 'http')) {
      this.out.finding(finding('egress/passthrough', p.object.locate(['spec', 'ports']), {
        resource,
        message: `${this.context.settings.from} is true: OSM sent the sources' plain HTTP on port(s) ${p.ports.filter((x) => x.protocol === 'http').map((x) => x.number).join(', ')} through the routes of ${resource} only (other hosts and paths got 404); EgressNetwork ${networks} allows them.`,
      }));
    }
  }

  /** An http/https port of `p` on a port where `tcp` policies allow every connection of the network. */
  private reportSubsumed(p: EgressPolicy, port: EgressPort, n: Network, tcp: readonly EgressPolicy[]): void {
    const by = tcp.map((t) => formatRef(t.object.ref)).join(', ');
    const kind = port.protocol === 'http' ? 'HTTPRoute' : 'TLSRoute';
    const matched = port.protocol === 'http' ? 'Host and path' : 'SNI';
    this.out.finding(finding('egress/tcp-subsumes-routes', p.object.locate([...port.path, 'protocol']), {
      resource: formatRef(p.object.ref),
      message: `${formatRef(p.object.ref)} port ${port.number} (${port.protocol}) on EgressNetwork ${n.emitted}: ${by} allow${tcp.length > 1 ? '' : 's'} every connection to port ${port.number}${n.cidr ? ` of ${n.cidr}` : ''} as tcp, whatever the ${matched}, as in OSM. Linkerd uses only the highest-ranked route kind on a port, so no ${kind} is generated there (it would shrink the TCPRoute to these hosts) and the port is opaque.`,
    }));
  }

  private httpRoutes(p: EgressPolicy, port: EgressPort, n: Network, base: readonly (string | number)[], hostnames: readonly string[]): string[] {
    if (p.hosts.length === 0) {
      this.out.finding(finding('egress/http-without-hosts', p.object.locate([...port.path, 'protocol']), {
        resource: formatRef(p.object.ref),
        message: `${formatRef(p.object.ref)} port ${port.number} is http but the Egress lists no hosts: OSM routed nothing there, so no route is generated.`,
      }));
      return [];
    }
    if (hostnames.length === 0) return [];
    const matches = p.httpMatches === 'any'
      ? [{ path: { type: 'PathPrefix' as const, value: '/' } }]
      : p.httpMatches.flatMap((m) => {
        const t = translateHttpMatch(m);
        return t.ok ? t.matches : [];
      });
    const rules = chunks(matches, MAX_MATCHES, false);
    const names: string[] = [];
    let index = 0;
    for (const hostChunk of chunks(hostnames, MAX_HOSTNAMES, true)) {
      for (const ruleChunk of chunks(rules, MAX_RULES, false)) {
        const name = resourceName(...base, ...(index > 0 ? [index] : []));
        index++;
        names.push(`HTTPRoute ${this.out.resource(buildEgressHttpRoute(this.context.input.options.linkerdVersion, name, this.place.namespace, n.emitted, port.number, hostChunk, ruleChunk), this.place.origin)}`);
      }
    }
    return names;
  }

  /** Hosts as route hostnames: DNS names are case-insensitive (lower-cased); IP addresses cannot be hostnames. */
  private hostnames(p: EgressPolicy): string[] {
    const valid: string[] = [];
    const usesHosts = p.ports.some((port) => port.protocol === 'http' || port.protocol === 'https');
    for (const [i, host] of p.hosts.entries()) {
      const name = host.toLowerCase().replace(/\.$/, '');
      if (HOSTNAME.test(name) && !/^[\d.]+$/.test(name) && name.length <= 253) {
        if (!valid.includes(name)) valid.push(name);
      } else if (usesHosts) {
        this.out.finding(finding('egress/host-not-expressible', p.object.locate(['spec', 'hosts', i]), {
          resource: formatRef(p.object.ref),
          message: `Host ${JSON.stringify(host)} of ${formatRef(p.object.ref)} is not a DNS name a route can match: requests to it are not allowed.`,
        }));
      }
    }
    return valid;
  }

  private reportWidenedSources(p: EgressPolicy): void {
    const inventory = this.context.input.inventory;
    const sources = new Set(p.sources.filter((s) => s.namespace === this.namespace).map((s) => s.name));
    const others = inventory.workloads.filter((w) => w.namespace === this.namespace && !sources.has(w.serviceAccount));
    const named = others.map((w: Workload) => `${w.kind}/${w.name} (ServiceAccount ${w.serviceAccount})`);
    this.out.finding(finding('egress/sources-widened', p.object.locate(['spec', 'sources']), {
      resource: formatRef(p.object.ref),
      message: `${formatRef(p.object.ref)} allowed this egress to ServiceAccount(s) ${[...sources].sort().join(', ')} only; in Linkerd every meshed pod of ${this.namespace} gets it${named.length > 0 ? `, including ${named.join(', ')}` : ''}.`,
    }));
  }

  private reportDefaultDeny(): void {
    const ns = this.context.input.inventory.findNamespace(this.namespace);
    const at: SourceLocation = ns ? ns.object.locate(['metadata', 'name']) : this.place.origin.locate(['kind']);
    const allowed = [...new Set(this.policies.map((p) => formatRef(p.object.ref)))];
    this.out.finding(finding('egress/default-deny', at, {
      resource: ns ? formatRef(ns.object.ref) : formatRef(this.place.origin.ref),
      message: `Namespace ${this.namespace} gets EgressNetwork ${this.networks[0]?.emitted ?? CATCH_ALL_NETWORK} with trafficPolicy Deny (${this.context.settings.from} is false)${allowed.length > 0 ? `; routes from ${allowed.join(', ')} let their traffic out` : ': nothing gets out of the cluster from its meshed pods'}.`,
    }));
  }
}

/**
 * The client namespace's resources go beside an Egress in that namespace, else its Namespace manifest, else a
 * workload in it, else the first Egress with a source there. The namespace is left out only where the
 * kustomization listing the origin sets that same namespace.
 */
function placement(inventory: Inventory, namespace: string, policies: readonly EgressPolicy[]): Placement | undefined {
  const candidates: K8sObject[] = [
    ...policies.map((p) => p.object).filter((o) => o.ref.namespace === namespace),
    ...(inventory.findNamespace(namespace) ? [inventory.findNamespace(namespace)?.object as K8sObject] : []),
    ...inventory.workloads.filter((w) => w.namespace === namespace).map((w) => w.object),
    ...policies.map((p) => p.object),
  ];
  const origin = candidates[0];
  if (!origin) return undefined;
  const fromKustomize = origin.namespaceSource === 'kustomization' && origin.ref.namespace === namespace && origin.ref.kind !== 'Namespace';
  return { origin, namespace: fromKustomize ? undefined : namespace };
}

function chunks<T>(items: readonly T[], size: number, keepEmpty: boolean): T[][] {
  if (items.length === 0) return keepEmpty ? [[]] : [];
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** `inner` lies inside `outer` (same family, longer or equal prefix). */
export function cidrContains(outer: string, inner: string): boolean {
  const [address = '', length = ''] = inner.split('/');
  const [, outerLength = ''] = outer.split('/');
  return inCidr(address, outer) && Number(length) >= Number(outerLength);
}

/** Path and header findings for the HTTPRouteGroup matches an Egress uses (same translation as TrafficTargets). */
function reportMatchProblems(out: Emitter, p: EgressPolicy, matches: readonly OsmHttpMatch[]): void {
  const resource = formatRef(p.object.ref);
  for (const m of matches) {
    const t = translateHttpMatch(m);
    const at = m.object.locate([...m.path, 'pathRegex']);
    const label = `${m.group}/${m.name} (pathRegex ${JSON.stringify(m.pathRegex ?? '')}) used by ${resource}`;
    const report = (id: FindingId, message: string) => out.finding(finding(id, at, { resource: formatRef(m.object.ref), message }));
    if (t.path.kind === 'never') report('traffic-target/path-never-matches', `${label} can never match a path, which always starts with "/".`);
    else if (t.path.kind === 'invalid') report('traffic-target/path-regex-invalid', `${label} is not valid RE2.`);
    else if (t.path.kind === 'inexpressible') report('traffic-target/path-not-expressible', `${label} uses ${t.path.construct}, which the Linkerd proxy's regex engine rejects.`);
    else if (t.path.kind === 'match' && t.path.match.type === 'RegularExpression') report('traffic-target/path-regex-translated', `${label} becomes RegularExpression ${t.path.match.value}.`);
    if (m.headers['host'] !== undefined) {
      out.finding(finding('traffic-target/host-header', m.object.locate([...m.path, 'headers']), {
        resource: formatRef(m.object.ref),
        message: `${label} matches the host header ${JSON.stringify(m.headers['host'])}, which OSM compared with :authority.`,
      }));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Before 2.17

function reportWithoutEgressControl(context: Context, policies: readonly EgressPolicy[], namespaces: readonly string[]): void {
  const { out, settings, input } = context;
  const version = input.options.linkerdVersion;
  for (const p of policies) {
    const resource = formatRef(p.object.ref);
    const message = settings.passthrough
      ? `Linkerd ${version} has no egress control; with ${settings.from} true OSM let other outbound traffic through too, so only its HTTP host/path restriction on the http ports (if any) is lost.`
      : [`Linkerd ${version} has no egress control, so ${resource} cannot be kept as routes. A NetworkPolicy keeps its IP ranges and ports (not its hosts), for example:`, ...p.sources.map((s) => networkPolicySketch(input.inventory, p, s.name, s.namespace))].join('\n');
    out.finding(finding('egress/no-egress-control', p.object.locate(['kind']), { resource, message }));
  }
  if (settings.passthrough) return;
  for (const ns of namespaces) {
    const manifest = input.inventory.findNamespace(ns);
    const workload = input.inventory.workloads.find((w) => w.namespace === ns);
    const origin = manifest?.object ?? workload?.object ?? policies[0]?.object;
    if (!origin) continue;
    out.finding(finding('egress/no-egress-control', origin.locate(manifest ? ['metadata', 'name'] : ['kind']), {
      resource: formatRef(origin.ref),
      message: [
        `${settings.from} is false, so OSM dropped outbound traffic from namespace ${ns} to destinations outside the mesh; Linkerd ${version} lets it out. A NetworkPolicy can deny it:`,
        '```yaml',
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        `metadata: {name: default-deny-egress, namespace: ${ns}}`,
        'spec:',
        '  podSelector: {}',
        '  policyTypes: [Egress]',
        '  egress:',
        '    - to: [{namespaceSelector: {}}]   # pods in the cluster: the mesh decides',
        '    - ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]   # DNS',
        '    # add the Linkerd control plane and the API server if they run outside the pod network',
        '```',
      ].join('\n'),
    }));
  }
}

function networkPolicySketch(inventory: Inventory, p: EgressPolicy, serviceAccount: string, namespace: string): string {
  const workload = inventory.workloadsRunningAs(namespace, serviceAccount)[0];
  const labels = workload && Object.keys(workload.selectorLabels).length > 0
    ? `{${Object.entries(workload.selectorLabels).map(([k, v]) => `${k}: ${v}`).join(', ')}}`
    : `{<labels of the pods running as ${serviceAccount}>: <value>}`;
  const to = p.ipAddresses.length > 0 ? p.ipAddresses.map((cidr) => `{ipBlock: {cidr: ${cidr}}}`).join(', ') : '{ipBlock: {cidr: 0.0.0.0/0}}';
  const ports = p.ports.map((port) => `{protocol: TCP, port: ${port.number}}`).join(', ');
  return [
    '```yaml',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    `metadata: {name: ${resourceName(p.object.ref.name, serviceAccount, 'egress')}, namespace: ${namespace}}`,
    'spec:',
    `  podSelector: {matchLabels: ${labels}}`,
    '  policyTypes: [Egress]',
    '  egress:',
    `    - to: [${to}]${p.hosts.length > 0 ? `   # hosts ${p.hosts.join(', ')}: a NetworkPolicy cannot match names` : ''}`,
    `      ports: [${ports}]`,
    '```',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Kustomizations
