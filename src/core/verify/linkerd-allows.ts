import { RE2JS } from 're2js';
import type { Workload } from '../inventory/model.ts';
import type { LinkerdResource } from '../linkerd/resources.ts';
import { asArray, asRecord, asString, isRecord } from '../values.ts';
import { inCidr } from '../primitives/cidr.ts';
import { samplePaths } from '../primitives/regex-samples.ts';
import type { AccessRequest, Decision, HttpRequestShape, RequestSource } from './types.ts';

/**
 * An independent model of Linkerd's inbound authorization for a request to a meshed pod, written from
 * linkerd-semantics §2 and linkerd-reference §3 (cited as "ref §3.x"). It must not share code with the translator
 * (src/core/rules): it is the check on it. The caller only asks about meshed destinations (unmeshed pods have no
 * policy, ref §3.1). Not modelled: localhost, ServerAuthorization, GRPCRoute, route `status` acceptance, which API
 * versions a Linkerd version serves, and namespace-level proxy annotations other than the default policy (only the
 * pod's opaque/skip/require-identity port annotations are read). Resources without a namespace match nothing.
 */

export type DefaultInboundPolicy =
  | 'all-unauthenticated'
  | 'all-authenticated'
  | 'cluster-authenticated'
  | 'cluster-unauthenticated'
  | 'deny'
  | 'audit';

export interface LinkerdWorld {
  /** Servers, HTTPRoutes (both groups), AuthorizationPolicies, MeshTLS- and NetworkAuthentications, any apiVersion. */
  readonly resources: readonly LinkerdResource[];
  readonly clusterNetworks: readonly string[];
  readonly probeNetworks: readonly string[];
  /** '2.12' … '2.20'. */
  readonly linkerdVersion: string;
  /** Pod annotation, else namespace annotation, else the cluster default. */
  defaultPolicy(namespace: string, workload: Workload): DefaultInboundPolicy;
  /**
   * Whether two resources are applied together, hence created in the same second (one file of the migrated
   * repository). Omitted: all are. Routes that rank the same are ordered by creation time before the name.
   */
  readonly appliedTogether?: (a: LinkerdResource, b: LinkerdResource) => boolean;
}

const POLICY_GROUP = 'policy.linkerd.io';
const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const CORE_GROUP = 'core';
/** `<sa>.<ns>.` + this, with the default control-plane namespace and trust domain (ref §3.7). */
const IDENTITY_SUFFIX = 'serviceaccount.identity.linkerd.cluster.local';
const ALL_NETWORKS = ['0.0.0.0/0', '::/0'];
/** proxy.opaquePorts install default (ref §3.8). */
const DEFAULT_OPAQUE_PORTS = '25,587,3306,4444,5432,6379,9300,11211';
const PROXY_PROTOCOLS = new Set(['unknown', 'HTTP/1', 'HTTP/2', 'gRPC', 'opaque', 'TLS']);

// ---------------------------------------------------------------------------------------------------------------
// Entry point

export function linkerdAllows(world: LinkerdWorld, request: AccessRequest, workload: Workload): Decision {
  return portPolicy(world, workload, request.namespace, request.port).decide(request.source, request.http);
}

/**
 * What decides the requests to one pod port: its Server (or the default policy), that server's authorizations and
 * routes. They depend on the world, the workload and the port, not on the request, so they are worked out once per
 * port; the route an HTTP shape picks is chosen once per shape, and what a route's authorizations say of a client
 * once per (route, rule, client). The request matrix asks every client about every shape: this makes each request a
 * lookup.
 */
interface PortPolicy {
  decide(source: RequestSource, http: HttpRequestShape | undefined): Decision;
}

const portPolicies = new WeakMap<LinkerdWorld, WeakMap<Workload, Map<string, PortPolicy>>>();

function portPolicy(world: LinkerdWorld, workload: Workload, namespace: string, port: number): PortPolicy {
  let byWorkload = portPolicies.get(world);
  if (!byWorkload) portPolicies.set(world, (byWorkload = new WeakMap()));
  let byPort = byWorkload.get(workload);
  if (!byPort) byWorkload.set(workload, (byPort = new Map()));
  const key = `${namespace}\u0000${port}`;
  let policy = byPort.get(key);
  if (!policy) byPort.set(key, (policy = computePortPolicy(world, workload, namespace, port)));
  return policy;
}

function fixed(decision: Decision): PortPolicy {
  return { decide: () => decision };
}

function computePortPolicy(world: LinkerdWorld, workload: Workload, namespace: string, port: number): PortPolicy {
  // Skipped ports bypass the proxy entirely: no policy at all (ref §3.1).
  if (portListed(workload.podAnnotations['config.linkerd.io/skip-inbound-ports'], port, workload)) {
    return fixed(allow('skip-inbound-ports: not proxied'));
  }
  const servers = serversFor(world, namespace, port, workload);
  // Two Servers on one port: the winner depends on version and watch order (ref §3.2); we refuse to guess.
  if (servers.length > 1) return fixed(deny(`server conflict (${servers.map((s) => s.metadata.name).join(', ')})`));
  const server = servers[0];
  const level = server ? serverLevel(world, workload, namespace, port, server) : defaultLevel(world, workload, namespace, port);
  const withoutRoutes = memo((source: RequestSource) => level.withoutRoutes(source));
  const { routes } = level;
  if (!routes) return { decide: withoutRoutes };
  const chosenByShape = new Map<HttpRequestShape, ChosenRoute | undefined>();
  const interned = new Map<string, ChosenRoute>();
  const decisions = new Map<ChosenRoute, (source: RequestSource) => Decision>();
  const noRoute = deny('no route (404)');
  return {
    decide: (source, http) => {
      if (!http) return withoutRoutes(source);
      let chosen = chosenByShape.get(http);
      if (!chosenByShape.has(http)) {
        const found = chooseRoute(routes, http);
        // Shapes that pick the same route, rule and ties are decided alike: one ChosenRoute for them all.
        const internKey = found ? [routes.indexOf(found.route), found.rule, ...found.tied.map((r) => routes.indexOf(r))].join(',') : '';
        chosen = found ? interned.get(internKey) ?? found : undefined;
        if (found && !interned.has(internKey)) interned.set(internKey, found);
        chosenByShape.set(http, chosen);
      }
      // Only attached routes can miss: the default route matches everything.
      if (!chosen) return noRoute;
      let decide = decisions.get(chosen);
      if (!decide) {
        const route = chosen;
        decisions.set(chosen, (decide = memo((client: RequestSource) => decideChosen(world, route, level.authorizations, client, level.server))));
      }
      return decide(source);
    },
  };
}

/** One port's server-level authorizations, its routes for HTTP (none: decided without routes), and the decision without them. */
interface ServerLevel {
  /** `server <name>` for reasons; undefined on a default-policy port. */
  readonly server: string | undefined;
  readonly authorizations: readonly Authorization[];
  readonly routes: readonly Route[] | undefined;
  withoutRoutes(source: RequestSource): Decision;
}

/**
 * No Server: the default policy is the only server-level authorization (AuthorizationPolicies, even
 * Namespace-targeted ones, do not apply). HTTP gets the default + probe routes; TCP, or an opaque port, the policy
 * alone.
 */
function defaultLevel(world: LinkerdWorld, workload: Workload, namespace: string, port: number): ServerLevel {
  const policy = effectiveDefault(world, namespace, port, workload);
  const label = `default policy ${policy}`;
  const authzs = policyAuthorizations(world, policy, label);
  return {
    server: undefined,
    authorizations: authzs,
    routes: opaqueDefault(workload, port) ? undefined : defaultRoutes(world, workload, port),
    withoutRoutes: (source) => (authorize(authzs, source) ? allow(label) : deny(label)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Server with or without routes (ref §3.4, §3.5)

function serverLevel(world: LinkerdWorld, workload: Workload, namespace: string, port: number, server: LinkerdResource): ServerLevel {
  const name = server.metadata.name;
  const authzs = serverAuthorizations(world, server, namespace);
  const protocol = proxyProtocolOf(server);
  // opaque/TLS and raw TCP: no routes, server-level authorizations only; gRPC: a default gRPC route, since
  // HTTPRoutes are ignored (ref §3.2).
  const routeless = protocol === 'opaque' || protocol === 'TLS' || protocol === 'gRPC';
  const attached = routeless ? [] : attachedRoutes(world, server, namespace);
  return {
    server: `server ${name}`,
    authorizations: authzs,
    // No route attached: the same default + probe routes as a port without a Server (ref §3.4).
    routes: routeless ? undefined : attached.length > 0 ? attached : defaultRoutes(world, workload, port),
    withoutRoutes: (source) => {
      const winner = authorize(authzs, source);
      return winner ? allow(`server ${name}, authorized by ${winner.label}`) : deny(`server ${name}: no authorization`);
    },
  };
}

function memo<K, V>(compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined && !known.has(key)) known.set(key, (value = compute(key)));
    return value as V;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Authorizations (ref §3.3 table, §3.6, §3.7)

interface Network {
  readonly cidr: string;
  readonly except: readonly string[];
}

interface Authorization {
  /** Who authorized, for the reason: 'AuthorizationPolicy x', 'default policy all-unauthenticated', … */
  readonly label: string;
  readonly networks: readonly Network[];
  /** 'unauthenticated': any client; else identity matchers ('*', '*.suffix', exact). */
  readonly identities: 'unauthenticated' | readonly string[];
}

function authorization(label: string, cidrs: readonly string[], identities: Authorization['identities']): Authorization {
  return { label, networks: cidrs.map((cidr) => ({ cidr, except: [] })), identities };
}

/** Meshed clients, and a meshed ingress controller, present their ServiceAccount's identity (ref §3.7). */
function identityOf(source: RequestSource): string | undefined {
  if (source.kind === 'meshed') return `${source.serviceAccount}.${source.namespace}.${IDENTITY_SUFFIX}`;
  if (source.kind === 'ingress' && source.identity) return `${source.identity.serviceAccount}.${source.identity.namespace}.${IDENTITY_SUFFIX}`;
  return undefined;
}

/** `*` any meshed identity, `*.suffix` a DNS-label suffix, anything else exact (ref §3.7). */
function identityMatches(matcher: string, identity: string): boolean {
  if (matcher === '*') return true;
  if (matcher.startsWith('*.')) return identity.endsWith(matcher.slice(1));
  return matcher === identity;
}

function admits(authz: Authorization, source: RequestSource): boolean {
  const inNetwork = authz.networks.some((n) => inCidr(source.ip, n.cidr) && !n.except.some((e) => inCidr(source.ip, e)));
  if (!inNetwork) return false;
  if (authz.identities === 'unauthenticated') return true;
  const identity = identityOf(source);
  return identity !== undefined && authz.identities.some((m) => identityMatches(m, identity));
}

/** The default-policy authorizations (ref §3.3 table); `deny` has none. */
function policyAuthorizations(world: LinkerdWorld, policy: DefaultInboundPolicy, label: string): Authorization[] {
  switch (policy) {
    case 'all-unauthenticated': return [authorization(label, ALL_NETWORKS, 'unauthenticated')];
    case 'all-authenticated': return [authorization(label, ALL_NETWORKS, ['*'])];
    case 'cluster-authenticated': return [authorization(label, world.clusterNetworks, ['*'])];
    case 'cluster-unauthenticated': return [authorization(label, world.clusterNetworks, 'unauthenticated')];
    case 'audit': return [authorization(label, ALL_NETWORKS, 'unauthenticated')];
    case 'deny': return [];
  }
}

function probeAuthorization(world: LinkerdWorld): Authorization {
  return authorization('probe route', world.probeNetworks, 'unauthenticated');
}

/** First authorization admitting the source wins (ref §3.5). */
function authorize(authzs: readonly Authorization[], source: RequestSource): Authorization | undefined {
  return authzs.find((a) => admits(a, source));
}

// ---------------------------------------------------------------------------------------------------------------
// Resources

function groupOf(resource: LinkerdResource): string {
  const slash = resource.apiVersion.indexOf('/');
  return slash < 0 ? CORE_GROUP : resource.apiVersion.slice(0, slash);
}

/** Lookups repeat for every request of the matrix: memoised per world (worlds are immutable). */
const lookups = new WeakMap<LinkerdWorld, Map<string, LinkerdResource[]>>();

const remembered = new WeakMap<LinkerdWorld, Map<string, unknown>>();

/**
 * A server's routes and authorizations depend on the world and the server, not on the request: computed once per
 * server, not once per request (5,000 route matches on one destination made that quadratic).
 */
function remember<T>(world: LinkerdWorld, key: string, compute: () => T): T {
  let cache = remembered.get(world);
  if (!cache) remembered.set(world, (cache = new Map()));
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key) as T;
}

function inNamespace(world: LinkerdWorld, kind: string, namespace: string, groups: readonly string[] = [POLICY_GROUP]): LinkerdResource[] {
  let cache = lookups.get(world);
  if (!cache) {
    cache = new Map();
    lookups.set(world, cache);
  }
  const key = `${kind}\u0000${namespace}\u0000${groups.join(',')}`;
  let found = cache.get(key);
  if (!found) {
    found = world.resources.filter((r) => r.kind === kind && groups.includes(groupOf(r)) && r.metadata.namespace === namespace);
    cache.set(key, found);
  }
  return found;
}

function find(world: LinkerdWorld, kind: string, namespace: string, name: string): LinkerdResource | undefined {
  return inNamespace(world, kind, namespace).find((r) => r.metadata.name === name);
}

/** An omitted or empty group means core; group and kind compare case-insensitively (controller `targets_kind`). */
function refIs(ref: Readonly<Record<string, unknown>>, group: string, kind: string): boolean {
  const refGroup = asString(ref['group']) || CORE_GROUP;
  return refGroup.toLowerCase() === group.toLowerCase() && (asString(ref['kind']) ?? '').toLowerCase() === kind.toLowerCase();
}

function minorVersion(world: LinkerdWorld): number {
  const m = /^2\.(\d+)/.exec(world.linkerdVersion);
  return m?.[1] !== undefined ? Number(m[1]) : 20;
}

function allow(reason: string): Decision {
  return { allowed: true, reason };
}

function deny(reason: string): Decision {
  return { allowed: false, reason };
}

// ---------------------------------------------------------------------------------------------------------------
// Pod annotations with port lists (ref §3.1, §3.3, §3.8)

/** Port lists: numbers, ranges `a-b`, container-port names. */
function portListed(list: string | undefined, port: number, workload: Workload): boolean {
  if (list === undefined) return false;
  return list.split(',').map((s) => s.trim()).some((item) => {
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range) return port >= Number(range[1]) && port <= Number(range[2]);
    if (/^\d+$/.test(item)) return Number(item) === port;
    return workload.ports.some((p) => p.name === item && p.port === port);
  });
}

/** A default server on an opaque port has no HTTP routes, hence no probe route (ref §3.3). */
function opaqueDefault(workload: Workload, port: number): boolean {
  const list = workload.podAnnotations['config.linkerd.io/opaque-ports'] ?? DEFAULT_OPAQUE_PORTS;
  return portListed(list, port, workload);
}

// ---------------------------------------------------------------------------------------------------------------
// Server selection (ref §3.2)

function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  // podSelector is required; a missing one selects nothing, an empty one selects all.
  if (!isRecord(selector)) return false;
  const matchLabels = Object.entries(asRecord(selector['matchLabels']));
  if (!matchLabels.every(([k, v]) => labels[k] === v)) return false;
  return asArray(selector['matchExpressions']).every((e) => expressionHolds(asRecord(e), labels));
}

function expressionHolds(expr: Readonly<Record<string, unknown>>, labels: Readonly<Record<string, string>>): boolean {
  const key = asString(expr['key']) ?? '';
  const value = labels[key];
  const values = asArray(expr['values']).filter((v): v is string => typeof v === 'string');
  switch (asString(expr['operator'])) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    default: return false;
  }
}

/** A number selects that port; a name resolves through the pod's TCP container ports (ref §3.2). */
function portSelected(port: unknown, requestPort: number, workload: Workload): boolean {
  if (typeof port === 'number') return port === requestPort;
  if (typeof port !== 'string') return false;
  return workload.ports.some((p) => p.name === port && p.port === requestPort && p.protocol.toUpperCase() === 'TCP');
}

function proxyProtocolOf(server: LinkerdResource): string {
  return asString(server.spec['proxyProtocol']) ?? 'unknown';
}

/**
 * The Servers that apply to one pod port, decided by their podSelector (matchLabels and matchExpressions) over the
 * pod template's labels and their port over its container ports, whoever generated them (ref §3.2).
 */
export function serversFor(world: LinkerdWorld, namespace: string, port: number, workload: Workload): LinkerdResource[] {
  return inNamespace(world, 'Server', namespace).filter(
    (s) =>
      selects(s.spec['podSelector'], workload.podLabels) &&
      portSelected(s.spec['port'], port, workload) &&
      // The CRD has no enum: a typo fails to deserialize in the controller, so the Server does not exist for it
      // (ref §3.2, inferred).
      PROXY_PROTOCOLS.has(proxyProtocolOf(s)),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Default policy (ref §3.3)

function effectiveDefault(world: LinkerdWorld, namespace: string, port: number, workload: Workload): DefaultInboundPolicy {
  let policy = world.defaultPolicy(namespace, workload);
  // `audit` is unknown before 2.16: the controller falls back to the cluster default, assumed the install default.
  if (policy === 'audit' && minorVersion(world) < 16) policy = 'all-unauthenticated';
  // require-identity ports turn an allow default into authenticated-only.
  if (portListed(workload.podAnnotations['config.linkerd.io/proxy-require-identity-inbound-ports'], port, workload)) {
    if (policy === 'all-unauthenticated') policy = 'all-authenticated';
    if (policy === 'cluster-unauthenticated') policy = 'cluster-authenticated';
  }
  return policy;
}

/** AuthorizationPolicies targeting the Server or its Namespace, plus `accessPolicy` (ref §3.4, §3.6). */
function serverAuthorizations(world: LinkerdWorld, server: LinkerdResource, namespace: string): Authorization[] {
  const key = `authz\u0000${server.metadata.name}\u0000${namespace}\u0000${server.apiVersion}\u0000${asString(server.spec['accessPolicy']) ?? ''}`;
  return remember(world, key, () => computeServerAuthorizations(world, server, namespace));
}

function computeServerAuthorizations(world: LinkerdWorld, server: LinkerdResource, namespace: string): Authorization[] {
  const targeted = policiesTargeting(world, namespace, (ref) =>
    (refIs(ref, POLICY_GROUP, 'Server') && ref['name'] === server.metadata.name) ||
    (refIs(ref, CORE_GROUP, 'Namespace') && ref['name'] === namespace),
  );
  return [...targeted, ...accessPolicyAuthorizations(world, server)];
}

/** `accessPolicy` exists on Server v1beta3 from 2.16; `deny` (the CRD default) adds nothing (ref §3.4). */
function accessPolicyAuthorizations(world: LinkerdWorld, server: LinkerdResource): Authorization[] {
  const value = asString(server.spec['accessPolicy']);
  if (value === undefined || minorVersion(world) < 16 || !server.apiVersion.endsWith('/v1beta3')) return [];
  return isPolicy(value) ? policyAuthorizations(world, value, `accessPolicy ${value}`) : [];
}

const POLICIES: readonly DefaultInboundPolicy[] = [
  'all-unauthenticated', 'all-authenticated', 'cluster-authenticated', 'cluster-unauthenticated', 'deny', 'audit',
];

function isPolicy(value: string): value is DefaultInboundPolicy {
  return (POLICIES as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------------------------
// AuthorizationPolicy (ref §3.6, §3.7)

function policiesTargeting(
  world: LinkerdWorld,
  namespace: string,
  targets: (ref: Readonly<Record<string, unknown>>) => boolean,
): Authorization[] {
  return inNamespace(world, 'AuthorizationPolicy', namespace)
    .filter((p) => targets(asRecord(p.spec['targetRef'])))
    .flatMap((p) => {
      const authz = policyAuthorization(world, p, namespace);
      return authz ? [authz] : [];
    });
}

/**
 * requiredAuthenticationRefs are ANDed: at most one identity ref (MeshTLSAuthentication or ServiceAccount) and one
 * NetworkAuthentication. More, another kind, or an unresolved ref: the controller ignores the policy.
 */
function policyAuthorization(world: LinkerdWorld, policy: LinkerdResource, namespace: string): Authorization | undefined {
  const refs = asArray(policy.spec['requiredAuthenticationRefs']).map(asRecord);
  const meshTls = refs.filter((r) => refIs(r, POLICY_GROUP, 'MeshTLSAuthentication'));
  const accounts = refs.filter((r) => refIs(r, CORE_GROUP, 'ServiceAccount'));
  const networks = refs.filter((r) => refIs(r, POLICY_GROUP, 'NetworkAuthentication'));
  if (meshTls.length + accounts.length > 1 || networks.length > 1) return undefined;
  if (meshTls.length + accounts.length + networks.length !== refs.length) return undefined;
  const refNamespace = (r: Readonly<Record<string, unknown>>) => asString(r['namespace']) ?? namespace;
  const identities = meshTls[0]
    ? meshTlsIdentities(find(world, 'MeshTLSAuthentication', refNamespace(meshTls[0]), asString(meshTls[0]['name']) ?? ''))
    : accounts[0]
      ? [`${asString(accounts[0]['name']) ?? ''}.${refNamespace(accounts[0])}.${IDENTITY_SUFFIX}`]
      : 'unauthenticated';
  const nets = networks[0]
    ? networkList(find(world, 'NetworkAuthentication', refNamespace(networks[0]), asString(networks[0]['name']) ?? ''))
    : ALL_NETWORKS.map((cidr) => ({ cidr, except: [] }));
  if (identities === undefined || nets === undefined) return undefined;
  return { label: `AuthorizationPolicy ${policy.metadata.name}`, networks: nets, identities };
}

/** identities strings, or identityRefs (ServiceAccount → exact, Namespace → any SA in it); none: unusable. */
function meshTlsIdentities(mtls: LinkerdResource | undefined): string[] | undefined {
  if (!mtls) return undefined;
  const namespace = mtls.metadata.namespace ?? '';
  const strings = asArray(mtls.spec['identities']).filter((i): i is string => typeof i === 'string');
  const fromRefs: (string | undefined)[] = asArray(mtls.spec['identityRefs']).map(asRecord).map((r) => {
    const name = asString(r['name']) ?? '';
    if (refIs(r, CORE_GROUP, 'ServiceAccount')) return `${name}.${asString(r['namespace']) ?? namespace}.${IDENTITY_SUFFIX}`;
    if (refIs(r, CORE_GROUP, 'Namespace')) return `*.${name}.${IDENTITY_SUFFIX}`;
    return undefined;
  });
  if (fromRefs.includes(undefined)) return undefined;
  const all = [...strings, ...fromRefs.filter((i): i is string => i !== undefined)];
  return all.length > 0 ? all : undefined;
}

function networkList(netAuth: LinkerdResource | undefined): Network[] | undefined {
  if (!netAuth) return undefined;
  const networks = asArray(netAuth.spec['networks']).map(asRecord).flatMap((n): Network[] => {
    const cidr = asString(n['cidr']);
    const except = asArray(n['except']).filter((e): e is string => typeof e === 'string');
    return cidr ? [{ cidr, except }] : [];
  });
  return networks.length > 0 ? networks : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Routes (ref §3.5, §3.9)

interface PathMatch {
  readonly type: string;
  readonly value: string;
}

interface HeaderMatch {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

interface RouteMatch {
  readonly path: PathMatch;
  readonly headers: readonly HeaderMatch[];
  readonly queryParams: number;
  readonly method?: string;
}

interface Route {
  /** 'route <name>', 'default route', 'probe route'. */
  readonly label: string;
  readonly hostnames: readonly string[];
  /** A rule with no matches matches everything. */
  readonly rules: readonly (readonly RouteMatch[])[];
  readonly authorizations: readonly Authorization[];
  /** Synthetic routes (default, probe) report their authorization only. */
  readonly synthetic: boolean;
  /** The HTTPRoute it comes from (none for synthetic routes). */
  readonly resource?: LinkerdResource;
}

/** The default catch-all route, plus the probe route: GET + exact path of each HTTP probe on the port (ref §3.3). */
function defaultRoutes(world: LinkerdWorld, workload: Workload, port: number): Route[] {
  const probePaths = [...new Set(workload.probes.filter((p) => p.type === 'http' && p.port === port).map((p) => p.path ?? '/'))];
  const routes: Route[] = [{ label: 'default route', hostnames: [], rules: [[]], authorizations: [], synthetic: true }];
  if (probePaths.length > 0) {
    const matches = probePaths.map((value): RouteMatch => ({ path: { type: 'Exact', value }, headers: [], queryParams: 0, method: 'GET' }));
    routes.push({ label: 'probe route', hostnames: [], rules: [matches], authorizations: [probeAuthorization(world)], synthetic: true });
  }
  return routes;
}

/**
 * HTTPRoutes whose parentRefs name the Server: group policy.linkerd.io, kind Server, same namespace, no port or
 * sectionName. parentRef group defaults to the route's own group, kind to Gateway (CRD defaults, ref §3.5).
 */
/**
 * The controller orders routes by creation timestamp, then name (ref §3.5). Resources applied together share a
 * timestamp (one-second resolution), so among them the name decides ties; decideRoutes flags ties with routes
 * applied apart (`appliedTogether`).
 */
function attachedRoutes(world: LinkerdWorld, server: LinkerdResource, namespace: string): Route[] {
  return remember(world, `routes\u0000${server.metadata.name}\u0000${namespace}`, () => computeAttachedRoutes(world, server, namespace));
}

function computeAttachedRoutes(world: LinkerdWorld, server: LinkerdResource, namespace: string): Route[] {
  return inNamespace(world, 'HTTPRoute', namespace, [POLICY_GROUP, GATEWAY_GROUP])
    .filter((r) => asArray(r.spec['parentRefs']).map(asRecord).some((ref) => attaches(ref, r, server, namespace)))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
    .flatMap((r) => {
      const route = toRoute(world, r, namespace);
      return route ? [route] : [];
    });
}

function attaches(ref: Readonly<Record<string, unknown>>, route: LinkerdResource, server: LinkerdResource, namespace: string): boolean {
  const withDefaults = { group: asString(ref['group']) ?? groupOf(route), kind: asString(ref['kind']) ?? 'Gateway' };
  return (
    refIs(withDefaults, POLICY_GROUP, 'Server') &&
    ref['name'] === server.metadata.name &&
    (ref['namespace'] === undefined || ref['namespace'] === namespace) &&
    ref['port'] === undefined &&
    ref['sectionName'] === undefined
  );
}

/** A route the controller cannot convert (bad path value, invalid regex) is not indexed: undefined. */
function toRoute(world: LinkerdWorld, resource: LinkerdResource, namespace: string): Route | undefined {
  const rules = asArray(resource.spec['rules']).map((rule) => asArray(asRecord(rule)['matches']).map((m) => toMatch(asRecord(m))));
  if (rules.some((matches) => matches.some((m) => !matchValid(m)))) return undefined;
  const name = resource.metadata.name;
  const group = groupOf(resource);
  // 2.12-2.13 matched route targets by name only; later by group, kind and name (ref §3.6).
  const byName = minorVersion(world) < 14;
  const authorizations = policiesTargeting(world, namespace, (ref) =>
    ref['name'] === name &&
    (byName ? (asString(ref['kind']) ?? '').toLowerCase() === 'httproute' : refIs(ref, group, 'HTTPRoute')),
  );
  const hostnames = asArray(resource.spec['hostnames']).filter((h): h is string => typeof h === 'string');
  return { label: `route ${name}`, hostnames, rules, authorizations, synthetic: false, resource };
}

/** A match without a path is PathPrefix '/' (CRD default, proxy default, ref §3.9). */
function toMatch(m: Readonly<Record<string, unknown>>): RouteMatch {
  const path = asRecord(m['path']);
  const headers = asArray(m['headers']).map(asRecord).map((h): HeaderMatch => ({
    name: (asString(h['name']) ?? '').toLowerCase(),
    type: asString(h['type']) ?? 'Exact',
    value: asString(h['value']) ?? '',
  }));
  const method = asString(m['method']);
  return {
    path: { type: asString(path['type']) ?? 'PathPrefix', value: asString(path['value']) ?? '/' },
    headers,
    queryParams: asArray(m['queryParams']).length,
    ...(method !== undefined ? { method } : {}),
  };
}

function matchValid(m: RouteMatch): boolean {
  const pathOk = m.path.type === 'RegularExpression' ? compile(m.path.value) !== null : m.path.value.startsWith('/');
  return pathOk && m.headers.every((h) => h.type !== 'RegularExpression' || compile(h.value) !== null);
}

/**
 * Route authorizations first, then server-level ones; the first admitting one wins (ref §3.5). `server` names the
 * Server for the reason; undefined on a default-policy port, whose only server-level authorization is the policy.
 */
function decideChosen(
  world: LinkerdWorld,
  chosen: ChosenRoute,
  serverAuthzs: readonly Authorization[],
  source: RequestSource,
  server: string | undefined,
): Decision {
  const winner = authorize([...chosen.route.authorizations, ...serverAuthzs], source);
  // Routes that rank the same are ordered by creation time, then name (ref §3.5): the name decides only for routes
  // created in the same second, assumed of those applied together (one file). With a tied route from elsewhere that
  // would decide differently, the outcome depends on which was applied first: refused, as an ambiguity.
  const together = (r: Route) => !chosen.route.resource || !r.resource || (world.appliedTogether?.(chosen.route.resource, r.resource) ?? true);
  const disagreeing = chosen.tied.filter((r) => !together(r) && (authorize([...r.authorizations, ...serverAuthzs], source) !== undefined) !== (winner !== undefined));
  if (disagreeing.length > 0) {
    return deny(`${[chosen.route, ...disagreeing].map((r) => r.label).join(' and ')} rank the same and decide differently: the older one wins (creation time, then name), ambiguous`);
  }
  if (chosen.route.synthetic) return syntheticDecision(winner, serverAuthzs, server);
  const where = `${chosen.route.label} rule ${chosen.rule}`;
  return winner ? allow(`${where}, authorized by ${winner.label}`) : deny(`${where}: no authorization (403)`);
}

/** Default and probe routes: say which authorization decided ('probe route', 'default policy deny', …). */
function syntheticDecision(winner: Authorization | undefined, serverAuthzs: readonly Authorization[], server: string | undefined): Decision {
  if (winner) return allow(winner.label === 'probe route' || !server ? winner.label : `${server}, authorized by ${winner.label}`);
  if (server) return deny(`${server}: no authorization`);
  return deny(serverAuthzs[0]?.label ?? 'default policy deny');
}

// ---------------------------------------------------------------------------------------------------------------
// Route choice (ref §3.5; proxy linkerd/http/route/src/lib.rs and http/match.rs)

/** [host kind, host length, path length, headers, query params, method]: greater wins, ties keep the first. */
type Score = readonly number[];

function compareScores(a: Score, b: Score): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Routes come in name order (see attachedRoutes), so keeping the first on ties is the controller's choice when the
 * routes share a creation time; `tied` lists the other routes that rank the same, whose creation time may differ.
 */
interface ChosenRoute {
  readonly route: Route;
  readonly rule: number;
  readonly tied: readonly Route[];
}

function chooseRoute(routes: readonly Route[], http: HttpRequestShape): ChosenRoute | undefined {
  let best: { route: Route; rule: number; score: Score; tied: Route[] } | undefined;
  for (const route of routes) {
    const host = hostScore(route.hostnames, http.headers['host']);
    if (!host) continue;
    route.rules.forEach((matches, rule) => {
      const match = ruleScore(matches, http);
      if (!match) return;
      const score = [...host, ...match];
      const order = best ? compareScores(score, best.score) : 1;
      if (!best || order > 0) best = { route, rule, score, tied: [] };
      else if (order === 0 && route !== best.route && !best.tied.includes(route)) best.tied.push(route);
    });
  }
  return best;
}

/**
 * Routes with hostnames beat routes without; exact beats wildcard, longer beats shorter. A route with hostnames
 * that do not match the authority does not apply.
 */
function hostScore(hostnames: readonly string[], authority: string | undefined): Score | undefined {
  if (hostnames.length === 0) return [0, 0];
  if (authority === undefined) return undefined;
  const host = authority.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
  const scores = hostnames.flatMap((h): Score[] => {
    const name = h.toLowerCase().replace(/\.$/, '');
    if (name.startsWith('*.')) return host.endsWith(name.slice(1)) ? [[1, name.length - 1]] : [];
    return name === host ? [[2, name.length]] : [];
  });
  return scores.reduce<Score | undefined>((a, b) => (!a || compareScores(b, a) > 0 ? b : a), undefined);
}

/** A rule with no matches matches everything as PathPrefix '/'; else its best match (first on ties). */
function ruleScore(matches: readonly RouteMatch[], http: HttpRequestShape): Score | undefined {
  if (matches.length === 0) return [1, 0, 0, 0];
  let best: Score | undefined;
  for (const m of matches) {
    const score = matchScore(m, http);
    if (score && (!best || compareScores(score, best) > 0)) best = score;
  }
  return best;
}

/**
 * Path length, then header count, then query-param count, then method: released linkerd2-proxy's
 * `RequestMatch` ordering (linkerd-semantics §2.7, linkerd-reference §3.5). Remaining ties go to creation time, then
 * name (see chooseRoute).
 */
function matchScore(m: RouteMatch, http: HttpRequestShape): Score | undefined {
  if (m.method !== undefined && m.method !== http.method) return undefined;
  const pathLength = pathMatchLength(m.path, http.path);
  if (pathLength === undefined) return undefined;
  if (!m.headers.every((h) => headerMatches(h, http.headers))) return undefined;
  // Request shapes carry no query string: a match that requires a query parameter never matches.
  if (m.queryParams > 0) return undefined;
  return [pathLength, m.headers.length, m.queryParams, m.method !== undefined ? 1 : 0];
}

/**
 * Exact: byte equality, full length. PathPrefix: trailing '/' trimmed from both, then the prefix must end at a
 * segment boundary; '/' matches all with length 1. RegularExpression: anchored find, full length (ref §3.9).
 */
function pathMatchLength(match: PathMatch, path: string): number | undefined {
  switch (match.type) {
    case 'Exact': return match.value === path ? utf8Length(path) : undefined;
    case 'RegularExpression': return spans(match.value, path) ? utf8Length(path) : undefined;
    case 'PathPrefix': return prefixLength(match.value, path);
    default: return undefined;
  }
}

function prefixLength(prefix: string, path: string): number | undefined {
  if (prefix === '/') return 1;
  const trimmed = prefix.replace(/\/+$/, '');
  const rest = path.replace(/\/+$/, '');
  if (!rest.startsWith(trimmed)) return undefined;
  const suffix = rest.slice(trimmed.length);
  return suffix === '' || suffix.startsWith('/') ? utf8Length(trimmed) : undefined;
}

/** Header names are case-insensitive (request names are lower-case); Exact or anchored-find regex (ref §3.9). */
function headerMatches(match: HeaderMatch, headers: Readonly<Record<string, string>>): boolean {
  const value = headers[match.name];
  if (value === undefined) return false;
  if (match.type === 'RegularExpression') return spans(match.value, value);
  return match.type === 'Exact' && value === match.value;
}

/** The proxy's rule: leftmost-first `find`, accepted only if it spans the whole value — not RE2 full match. */
function spans(regex: string, value: string): boolean {
  const re = compile(regex);
  if (!re) return false;
  const m = re.matcher(value);
  return m.find() && m.start() === 0 && m.end() === value.length;
}

const regexes = new Map<string, RE2JS | null>();

function compile(regex: string): RE2JS | null {
  const cached = regexes.get(regex);
  if (cached !== undefined) return cached;
  let re: RE2JS | null = null;
  try {
    re = RE2JS.compile(regex);
  } catch {
    re = null;
  }
  if (regexes.size > 1000) regexes.clear();
  regexes.set(regex, re);
  return re;
}

/** Rust compares `str::len()`, i.e. UTF-8 bytes. */
function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// What the Linkerd side asks about: the request matrix is built from both sides (see requests.ts)

/** Paths, methods and header sets that the routes of a pod port's Servers distinguish. */
export interface RouteSamples {
  readonly paths: readonly string[];
  readonly methods: readonly string[];
  readonly headerSets: readonly Readonly<Record<string, string>>[];
}

/**
 * For every route attached to a Server of the pod port: each path match (an Exact value and a near miss, a prefix,
 * a deeper path under it and a sibling that shares its characters, samples of a regex and near misses), each method,
 * and each match's headers with values that match.
 */
export function routeSamples(world: LinkerdWorld, namespace: string, port: number, workload: Workload): RouteSamples {
  const paths: string[] = [];
  const methods: string[] = [];
  const headerSets: Record<string, string>[] = [];
  for (const server of serversFor(world, namespace, port, workload)) {
    for (const route of attachedRoutes(world, server, namespace)) {
      for (const m of route.rules.flat()) {
        paths.push(...pathSamples(m.path));
        if (m.method !== undefined) methods.push(m.method);
        if (m.headers.length > 0) headerSets.push(Object.fromEntries(m.headers.map((h) => [h.name, headerSample(h)])));
      }
    }
  }
  return { paths: [...new Set(paths)], methods: [...new Set(methods)], headerSets };
}

function pathSamples(path: PathMatch): string[] {
  if (path.type === 'Exact') return [path.value, `${path.value}x`];
  if (path.type === 'PathPrefix') {
    const trimmed = path.value.replace(/\/+$/, '');
    return trimmed === '' ? ['/'] : [trimmed, `${trimmed}/osm2linkerd`, `${trimmed}x`];
  }
  if (path.type !== 'RegularExpression') return [];
  const { matching, nearMisses } = samplePaths(path.value);
  return [...matching.slice(0, 4), ...nearMisses.slice(0, 4)];
}

function headerSample(h: HeaderMatch): string {
  if (h.type !== 'RegularExpression') return h.value;
  return samplePaths(h.value).matching[0] ?? '';
}

const EXACT_IDENTITY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.serviceaccount\.identity\./;
const NAMESPACE_IDENTITY = /^\*\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.serviceaccount\.identity\./;

/**
 * The client identities named by the authorizations that apply to one pod port (those on its Servers, on their
 * Namespace and on the routes attached to them), as `<sa>.<namespace>`; a `*.<ns>` matcher stands for a ServiceAccount
 * nobody else uses in that namespace. Only these can behave differently from an unnamed client, so only these join
 * the matrix (a Server selecting the wrong pods brings its clients along).
 */
export function authorizedIdentities(world: LinkerdWorld, namespace: string, port: number, workload: Workload): string[] {
  const out = new Set<string>();
  for (const server of serversFor(world, namespace, port, workload)) {
    const authzs = [...serverAuthorizations(world, server, namespace), ...attachedRoutes(world, server, namespace).flatMap((r) => r.authorizations)];
    for (const authz of authzs) {
      if (authz.identities === 'unauthenticated') continue;
      for (const matcher of authz.identities) {
        const exact = EXACT_IDENTITY.exec(matcher);
        if (exact?.[1] !== undefined && exact[3] !== undefined) out.add(`${exact[1]}.${exact[3]}`);
        const wide = NAMESPACE_IDENTITY.exec(matcher);
        if (wide?.[1] !== undefined) out.add(`osm2linkerd-other.${wide[1]}`);
      }
    }
  }
  return [...out].sort();
}

/**
 * The networks the unauthenticated authorizations of a port's Servers admit (their NetworkAuthentications): the
 * Linkerd side's own ranges, so a client inside each is asked about even where OSM named a narrower range or none.
 */
export function authorizedNetworks(world: LinkerdWorld, namespace: string, port: number, workload: Workload): string[] {
  const out = new Set<string>();
  for (const server of serversFor(world, namespace, port, workload)) {
    const authzs = [...serverAuthorizations(world, server, namespace), ...attachedRoutes(world, server, namespace).flatMap((r) => r.authorizations)];
    for (const authz of authzs) if (authz.identities === 'unauthenticated') for (const n of authz.networks) out.add(n.cidr);
  }
  return [...out].sort();
}
