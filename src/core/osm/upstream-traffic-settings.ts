import type { Inventory, K8sObject, Service, Workload } from '../inventory/model.ts';
import { resolveTargetPort } from '../inventory/services.ts';
import type { NodePath } from '../source.ts';
import { asArray, asRecord, asString, getIn, isRecord } from '../values.ts';
import { acceptsEveryRequest, type OsmHttpMatch } from './access-model.ts';
import { exposedPorts, type ExposedPort } from './exposed-ports.ts';

/**
 * What OSM did with UpstreamTrafficSettings (policy.openservicemesh.io/v1alpha1, osm-semantics §3.3): the Service each
 * one applied to, and which local HTTP rate limit every request to a pod port behind it met. Read by the
 * upstream-traffic-setting rule and by linkerd/servers.ts (a port-wide limit needs a Server to attach to).
 */

/** Where OSM applied a setting, or why it applied nowhere. */
export type SettingTarget =
  | { readonly kind: 'service'; readonly name: string; readonly namespace: string }
  /** Egresses of the setting's namespace reference it by name: it went to their egress clusters (§3.2). */
  | { readonly kind: 'egress'; readonly egresses: readonly K8sObject[] }
  /** Not an FQDN: the admission webhook refused it ("invalid FQDN specified as host"). */
  | { readonly kind: 'invalid-host' }
  /** Another setting (another name) already claimed the host: the webhook refused this one. */
  | { readonly kind: 'duplicate-host'; readonly first: K8sObject }
  /** A Service FQDN in another namespace, or a host not written as `<name>.<namespace>.svc.cluster.local`. */
  | { readonly kind: 'no-service'; readonly name: string; readonly namespace: string; readonly fqdn: string };

export interface ResolvedSetting {
  readonly setting: K8sObject;
  readonly host: string;
  readonly target: SettingTarget;
}

/**
 * Which Service OSM applied each setting to, in repository order: `setting.Namespace == svc.Namespace &&
 * setting.Spec.Host == svc.FQDN()`, FQDN = `<name>.<namespace>.svc.cluster.local` (`pkg/policy/client.go:125-150`). The
 * webhook admits one setting per host across namespaces (GetUpstreamTrafficSettingByHost); an object of the same name
 * passes (validators.go). An Egress may reference a setting by name for any host instead (§3.2).
 */
export function resolveUpstreamTrafficSettings(inventory: Inventory): ResolvedSetting[] {
  const hosts = new Map<string, K8sObject>();
  return inventory.osm('UpstreamTrafficSetting').map((setting) => {
    const host = asString(asRecord(setting.body['spec'])['host']) ?? '';
    return { setting, host, target: resolve(inventory, hosts, setting, host) };
  });
}

function resolve(inventory: Inventory, hosts: Map<string, K8sObject>, setting: K8sObject, host: string): SettingTarget {
  const labels = host.split('.');
  if (labels.length < 2) return { kind: 'invalid-host' };
  const first = hosts.get(host);
  if (first && first.ref.name !== setting.ref.name) return { kind: 'duplicate-host', first };
  if (!first) hosts.set(host, setting);
  const [name = '', namespace = ''] = labels;
  const fqdn = `${name}.${namespace}.svc.cluster.local`;
  if (host === fqdn && (setting.ref.namespace === undefined || setting.ref.namespace === namespace)) return { kind: 'service', name, namespace };
  const egresses = inventory.osm('Egress').filter((e) => e.ref.namespace === setting.ref.namespace && referencesSetting(e, setting.ref.name));
  if (egresses.length > 0) return { kind: 'egress', egresses };
  return { kind: 'no-service', name, namespace, fqdn };
}

/** Egress `spec.matches[]` entries of kind UpstreamTrafficSetting name settings in the Egress's namespace (§3.2). */
function referencesSetting(egress: K8sObject, name: string): boolean {
  return asArray(asRecord(egress.body['spec'])['matches']).some((m) => {
    const match = asRecord(m);
    return match['kind'] === 'UpstreamTrafficSetting' && match['name'] === name;
  });
}

// ------------------------------------------------------------------------------------------------------------
// Local HTTP rate limits

/** `unit` of OSM's local rate limits (CRD enum: second, minute, hour; osm-semantics §3.3). */
export const UNIT_SECONDS: Readonly<Record<string, number>> = { second: 1, minute: 60, hour: 3600 };

/**
 * `rateLimit.local.http` or `httpRoutes[].rateLimit.local`: an Envoy token bucket of `requests + burst` tokens,
 * refilled with `requests` tokens every `unit`; rejected requests get `responseStatusCode` (429 by default) and
 * `responseHeadersToAdd` (osm-semantics §3.3; CRD `policy_upstream_traffic_setting.yaml`).
 */
export interface LocalHttpLimit {
  readonly requests: number;
  readonly unit: string;
  readonly burst?: number;
  readonly responseStatusCode?: number;
  readonly responseHeadersToAdd: readonly string[];
  /** Where the limit sits in its UpstreamTrafficSetting. */
  readonly path: NodePath;
}

export type LimitReading =
  | { readonly kind: 'none' }
  | { readonly kind: 'limit'; readonly limit: LocalHttpLimit }
  /** The fields the limit needs are missing or outside the CRD's enum/range: no token bucket can be derived. */
  | { readonly kind: 'incomplete'; readonly reason: string; readonly path: NodePath };

export function readLocalHttpLimit(value: unknown, path: NodePath): LimitReading {
  if (!isRecord(value)) return { kind: 'none' };
  const requests = value['requests'];
  const unit = asString(value['unit']);
  if (typeof requests !== 'number' || !Number.isInteger(requests) || requests < 1) {
    return { kind: 'incomplete', reason: `requests is ${JSON.stringify(requests ?? null)}, not a whole number of at least 1`, path };
  }
  if (unit === undefined || UNIT_SECONDS[unit] === undefined) {
    return { kind: 'incomplete', reason: `unit is ${JSON.stringify(value['unit'] ?? null)}, not second, minute or hour`, path };
  }
  const burst = value['burst'];
  const status = value['responseStatusCode'];
  const headers = asArray(value['responseHeadersToAdd']).map(asRecord).map((h) => `${asString(h['name']) ?? '?'}: ${asString(h['value']) ?? ''}`);
  return {
    kind: 'limit',
    limit: {
      requests,
      unit,
      ...(typeof burst === 'number' && burst > 0 ? { burst } : {}),
      ...(typeof status === 'number' ? { responseStatusCode: status } : {}),
      responseHeadersToAdd: headers,
      path,
    },
  };
}

/** One `httpRoutes[]` entry: the route it names (by path) and its limit. */
export interface RouteLimitEntry {
  readonly index: number;
  readonly path: string | undefined;
  readonly reading: LimitReading;
}

/** The local HTTP limits of a setting: the virtual host's and each route's. */
export interface SettingLimits {
  readonly vhost: LimitReading;
  readonly routes: readonly RouteLimitEntry[];
}

export function readSettingLimits(setting: K8sObject): SettingLimits {
  const vhostPath = ['spec', 'rateLimit', 'local', 'http'];
  const routes = asArray(asRecord(setting.body['spec'])['httpRoutes']).map((raw, index) => {
    const path = ['spec', 'httpRoutes', index, 'rateLimit', 'local'];
    return { index, path: asString(asRecord(raw)['path']), reading: readLocalHttpLimit(getIn(setting.body, path), path) };
  });
  return { vhost: readLocalHttpLimit(getIn(setting.body, vhostPath), vhostPath), routes };
}

/**
 * The path OSM gave the Envoy route of a match: its pathRegex, or `.*` when it has none ("When pathRegex … not
 * defined, they will be wildcarded", osm-semantics §2.2). `httpRoutes[].path` is compared with this string.
 */
export function osmRoutePath(match: OsmHttpMatch): string {
  return match.pathRegex === undefined || match.pathRegex === '' ? '.*' : match.pathRegex;
}

/** A limit and the field it comes from (`rateLimit.local.http`, `httpRoutes[i].rateLimit.local`). */
export interface AppliedLimit {
  readonly limit: LocalHttpLimit;
  readonly via: string;
}

/** What became of one `httpRoutes[]` limit on a workload. */
export type RouteLimitOutcome =
  /** Its path equals no route of the workload: the limit never applied. */
  | { readonly kind: 'unmatched' }
  /** The only route takes every request, so the limit is the whole port's; it replaced the virtual host's, if any. */
  | { readonly kind: 'port-wide'; readonly replaced?: AppliedLimit }
  /** An earlier `httpRoutes[]` entry names the same only route and is kept (the first entry is assumed to win; inferred). */
  | { readonly kind: 'same-route'; readonly kept: AppliedLimit }
  /** It limited some of the workload's routes only: these matches. */
  | { readonly kind: 'some-routes'; readonly matches: readonly OsmHttpMatch[] };

export interface WorkloadLimit {
  /** The limit every request to the workload's ports met, if any: the one a Linkerd Server-wide policy can keep. */
  readonly effective?: AppliedLimit;
  /** Each `httpRoutes[]` entry that sets a limit, in order. */
  readonly routes: readonly { readonly route: RouteLimitEntry; readonly outcome: RouteLimitOutcome }[];
}

/**
 * The limits a workload's requests met in OSM. The virtual-host limit covers every route; a route-level limit
 * replaces it for the requests of that route (Envoy uses the most specific per-filter config; inferred). A route
 * limit matched a route when `path` equalled the route's regex as a string (`trafficpolicy.go:40-47`): in permissive
 * mode the only route is `.*`; in SMI mode the routes are `matches`, the distinct HTTPRouteGroup matches allowed to
 * the workload (access-model.ts `destinationMatches`).
 */
export function workloadLimit(limits: SettingLimits, matches: readonly OsmHttpMatch[], permissive: boolean): WorkloadLimit {
  let effective: AppliedLimit | undefined = limits.vhost.kind === 'limit' ? { limit: limits.vhost.limit, via: 'rateLimit.local.http' } : undefined;
  const entries = permissive ? [] : matches;
  const only = entries[0];
  const onlyRoute = permissive || (entries.length === 1 && only !== undefined && acceptsEveryRequest(only));
  const routes: { route: RouteLimitEntry; outcome: RouteLimitOutcome }[] = [];
  for (const route of limits.routes) {
    if (route.reading.kind !== 'limit') continue;
    const matched = permissive ? [] : entries.filter((e) => osmRoutePath(e) === route.path);
    if (permissive ? route.path !== '.*' : matched.length === 0) {
      routes.push({ route, outcome: { kind: 'unmatched' } });
    } else if (!onlyRoute) {
      routes.push({ route, outcome: { kind: 'some-routes', matches: matched } });
    } else if (effective?.via.startsWith('httpRoutes')) {
      routes.push({ route, outcome: { kind: 'same-route', kept: effective } });
    } else {
      routes.push({ route, outcome: { kind: 'port-wide', ...(effective ? { replaced: effective } : {}) } });
      effective = { limit: route.reading.limit, via: `httpRoutes[${route.index}].rateLimit.local` };
    }
  }
  return { ...(effective ? { effective } : {}), routes };
}

/** An HTTP pod port behind a Service: OSM built an HTTP inbound chain for it (osm-semantics §6.1, §6.5). */
export interface HttpPortBehind {
  readonly workload: Workload;
  readonly port: ExposedPort;
}

/** The HTTP (and gRPC) pod ports of the workloads a Service selects, as its HTTP ports target them. */
export function httpPortsBehind(inventory: Inventory, service: Service): HttpPortBehind[] {
  const result: HttpPortBehind[] = [];
  for (const workload of inventory.workloads) {
    if (workload.namespace === undefined || !inventory.servicesSelecting(workload).includes(service)) continue;
    const exposed = exposedPorts(inventory, workload);
    for (const sp of service.ports) {
      if (sp.protocol.toUpperCase() !== 'TCP' || (sp.osmProtocol !== 'http' && sp.osmProtocol !== 'grpc')) continue;
      const target = resolveTargetPort(sp, workload);
      const port = exposed.find((p) => p.port === target);
      if (!port || (port.protocol !== 'http' && port.protocol !== 'grpc')) continue;
      if (!result.some((r) => r.workload === workload && r.port.port === port.port)) result.push({ workload, port });
    }
  }
  return result;
}
