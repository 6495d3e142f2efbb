import { finding } from '../../findings/finding.ts';
import type { FindingId } from '../../findings/catalogue.ts';
import type { K8sObject, Service, Workload } from '../../inventory/model.ts';
import { resolveTargetPort } from '../../inventory/services.ts';
import { buildServer, type ProxyProtocol } from '../../linkerd/build.ts';
import { resourceName } from '../../linkerd/names.ts';
import type { LinkerdResource } from '../../linkerd/resources.ts';
import { features } from '../../linkerd/versions.ts';
import { readAccessModel, type AccessModel, type OsmHttpMatch } from '../../osm/access-model.ts';
import { exposedPorts, type ExposedPort } from '../../osm/exposed-ports.ts';
import { formatRef, type NodePath } from '../../source.ts';
import { asArray, asPortNumber, asRecord, asString, getIn, isRecord } from '../../values.ts';
import { Emitter } from '../emitter.ts';
import { goDurationMs, linkerdDuration } from '../retry/duration.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';
import { matchKey } from '../traffic-target/http-match.ts';
import { contains } from '../traffic-target/overlap.ts';
import { describeLeaves, fieldName, leafFields, unknownFields, type FieldSchema } from './known-fields.ts';
import {
  buildHttpLocalRateLimitPolicy,
  isCatchAll,
  limitLosses,
  osmRoutePath,
  perSecond,
  readLocalHttpLimit,
  type LimitReading,
  type LocalHttpLimit,
} from './rate-limit.ts';
import { annotateService, annotationsInline } from './service-annotations.ts';

/**
 * UpstreamTrafficSetting (policy.openservicemesh.io/v1alpha1, osm-semantics §3.3) → what Linkerd can say of it:
 *  - `rateLimit.local.http` (and an `httpRoutes[]` limit whose route is every request) → an HTTPLocalRateLimitPolicy
 *    on the Server of each pod port behind the Service (2.17+, linkerd-reference §6);
 *  - osm-edge's `connectionSettings.http.circuitBreaking` → failure accrual annotations on the Service (2.13+, §5.3);
 *  - everything else (TCP limits, Envoy connection-pool circuit breakers, per-route limits, unreleased fields) → a
 *    finding naming the field.
 */
export const upstreamTrafficSettingRule = defineRule({
  id: 'upstream-traffic-setting',
  consumes: ['UpstreamTrafficSetting'],
  // The whole spec: the rule checks it against OSM's CRD schema (known-fields.ts): every field outside it is named by this rule.
  fields: { UpstreamTrafficSetting: ['spec'] },
  emits: [
    'upstream-traffic-setting/never-applied', 'upstream-traffic-setting/target-not-found', 'upstream-traffic-setting/egress-host',
    'upstream-traffic-setting/rate-limit', 'upstream-traffic-setting/rate-limit-unavailable', 'upstream-traffic-setting/rate-limit-approximated',
    'upstream-traffic-setting/rate-limit-widened', 'upstream-traffic-setting/route-rate-limit', 'upstream-traffic-setting/tcp-rate-limit',
    'upstream-traffic-setting/connection-settings', 'upstream-traffic-setting/failure-accrual',
    'upstream-traffic-setting/unreleased-field', 'upstream-traffic-setting/unknown-field',
  ],
  translate: translateUpstreamTrafficSettings,
});

const HTTP_LIMIT: FieldSchema = { requests: true, unit: true, burst: true, responseStatusCode: true, responseHeadersToAdd: true };

/** osm-edge's `connectionSettings.http.circuitBreaking` (flomesh-io/osm-edge `upstreamtrafficsetting.go`). */
const CIRCUIT_BREAKING: FieldSchema = {
  statTimeWindow: true, minRequestAmount: true, degradedTimeWindow: true, slowTimeThreshold: true, slowAmountThreshold: true,
  slowRatioThreshold: true, errorAmountThreshold: true, errorRatioThreshold: true, degradedStatusCode: true, degradedResponseContent: true,
};

/**
 * Every field of v1.2.4's CRD (`cmd/osm-bootstrap/crds/policy_upstream_traffic_setting.yaml`), plus `rateLimit.global`
 * (osm@main, unreleased) and `httpHeaders` / `circuitBreaking` (osm-edge fork), which get their own findings.
 */
const SCHEMA: FieldSchema = {
  host: true,
  connectionSettings: {
    tcp: { maxConnections: true, connectTimeout: true },
    http: { maxRequests: true, maxRequestsPerConnection: true, maxPendingRequests: true, maxRetries: true, circuitBreaking: CIRCUIT_BREAKING },
  },
  rateLimit: { local: { tcp: { connections: true, unit: true, burst: true }, http: HTTP_LIMIT }, global: true },
  httpRoutes: [{ path: true, rateLimit: { local: HTTP_LIMIT } }],
  httpHeaders: true,
};

/** Envoy circuit breakers and connect timeout of the clients' outbound cluster (`pkg/envoy/cds/cluster.go:352-397`). */
const CONNECTION_SETTINGS: readonly [NodePath, string][] = [
  [['tcp', 'maxConnections'], 'capped the TCP connections every client proxy opened to the Service (Envoy circuit breaker; excess connections failed at once)'],
  [['tcp', 'connectTimeout'], 'was the clients\' TCP connect timeout for this Service only; the nearest Linkerd setting is config.linkerd.io/proxy-outbound-connect-timeout on client pods, which applies to every destination'],
  [['http', 'maxRequests'], 'capped parallel requests from each client proxy (Envoy circuit breaker; excess requests got 503 at once)'],
  [['http', 'maxRequestsPerConnection'], 'made each client proxy close a connection after that many requests'],
  [['http', 'maxPendingRequests'], 'capped requests queued for a connection in each client proxy (Envoy circuit breaker; excess requests got 503 at once)'],
  [['http', 'maxRetries'], 'capped parallel retries from each client proxy (Envoy circuit breaker)'],
];

const FAILURE_ACCRUAL = 'balancer.linkerd.io/failure-accrual';

export function translateUpstreamTrafficSettings(input: RuleInput): RuleOutput {
  const out = new Emitter();
  const run = new Translation(input, out);
  for (const setting of input.inventory.osm('UpstreamTrafficSetting')) {
    out.consume(setting);
    run.translate(setting);
  }
  return out.output();
}

/** A pod port behind the Service, and the Server name every rule gives it (traffic-target: `<workload>-<port name or number>`). */
interface ServedPort {
  readonly workload: Workload;
  readonly port: ExposedPort;
  readonly server: string;
}

type Target =
  | { readonly kind: 'service'; readonly name: string; readonly namespace: string }
  | { readonly kind: 'egress'; readonly egresses: readonly K8sObject[] };

class Translation {
  private readonly input: RuleInput;
  private readonly out: Emitter;
  private readonly model: AccessModel;
  private readonly hosts = new Map<string, K8sObject>();
  /** Servers that already have a rate limit policy: Linkerd allows one per Server. */
  private readonly limited = new Map<string, { readonly setting: K8sObject; readonly rps: number }>();

  constructor(input: RuleInput, out: Emitter) {
    this.input = input;
    this.out = out;
    this.model = readAccessModel(input.inventory);
  }

  private report(id: FindingId, setting: K8sObject, path: NodePath, message: string): void {
    this.out.finding(finding(id, setting.locate(path), { resource: formatRef(setting.ref), message }));
  }

  translate(setting: K8sObject): void {
    const spec = asRecord(setting.body['spec']);
    const resource = formatRef(setting.ref);
    for (const path of unknownFields(spec, SCHEMA, ['spec'])) {
      this.report('upstream-traffic-setting/unknown-field', setting, path,
        `${fieldName(path)} of ${resource} is not a field of UpstreamTrafficSetting: OSM's API server pruned it, so it did nothing. Not translated.`);
    }
    const target = this.resolve(setting, asString(spec['host']) ?? '');
    if (!target) return;
    if (target.kind === 'egress') {
      this.reportEgress(setting, spec, target.egresses);
      return;
    }
    this.reportUntranslatable(setting, spec);
    const service = this.input.inventory.findService(target.namespace, target.name);
    if (!service) {
      this.report('upstream-traffic-setting/target-not-found', setting, ['spec', 'host'],
        `${resource} applies to Service ${target.namespace}/${target.name}, which is not in the repository: its rate limits and circuit breaking need that Service and its pods, so they are not translated. Migrate the repository that holds the Service with this object.`);
      return;
    }
    this.failureAccrual(setting, service);
    this.rateLimits(setting, spec, service);
  }

  /**
   * Which Service OSM applied the setting to: `setting.Namespace == svc.Namespace && setting.Spec.Host == svc.FQDN()`,
   * FQDN = `<name>.<namespace>.svc.cluster.local` (`pkg/policy/client.go:125-150`, osm-semantics §3.3). An Egress may
   * reference it by name for any host instead (§3.2).
   */
  private resolve(setting: K8sObject, host: string): Target | undefined {
    const resource = formatRef(setting.ref);
    const labels = host.split('.');
    if (labels.length < 2) {
      this.report('upstream-traffic-setting/never-applied', setting, ['spec', 'host'],
        `${resource} has host ${JSON.stringify(host)}, which is not an FQDN: OSM's admission webhook rejected it ("invalid FQDN specified as host"). Nothing is translated.`);
      return undefined;
    }
    // GetUpstreamTrafficSettingByHost looks across namespaces; an object of the same name passes (validators.go).
    const first = this.hosts.get(host);
    if (first && first.ref.name !== setting.ref.name) {
      this.report('upstream-traffic-setting/never-applied', setting, ['spec', 'host'],
        `${resource} sets host ${host} like ${formatRef(first.ref)}: OSM's webhook admits one UpstreamTrafficSetting per host, so the later one (in repository order) was rejected. Nothing is translated from it.`);
      return undefined;
    }
    if (!first) this.hosts.set(host, setting);
    const [name = '', namespace = ''] = labels;
    const fqdn = `${name}.${namespace}.svc.cluster.local`;
    if (host === fqdn && (setting.ref.namespace === undefined || setting.ref.namespace === namespace)) return { kind: 'service', name, namespace };
    const egresses = this.input.inventory.osm('Egress').filter((e) => e.ref.namespace === setting.ref.namespace && referencesSetting(e, setting.ref.name));
    if (egresses.length > 0) return { kind: 'egress', egresses };
    const why = host === fqdn
      ? `it is in namespace ${setting.ref.namespace ?? '?'} while Service ${name} is in ${namespace}, and OSM only reads settings from the Service's namespace`
      : `OSM compared host with the Service FQDN (${fqdn}), so the host must be written exactly that way`;
    this.report('upstream-traffic-setting/never-applied', setting, ['spec', 'host'],
      `${resource} (host ${host}) never applied to a mesh Service: ${why}. No Egress references it either. Nothing is translated.`);
    return undefined;
  }

  /** Settings an Egress uses went to that egress cluster; no Linkerd equivalent exists (no per-destination limits). */
  private reportEgress(setting: K8sObject, spec: Readonly<Record<string, unknown>>, egresses: readonly K8sObject[]): void {
    const fields = leafFields(Object.fromEntries(Object.entries(spec).filter(([k]) => k !== 'host')), ['spec']);
    this.report('upstream-traffic-setting/egress-host', setting, ['spec', 'host'],
      `${formatRef(setting.ref)} is used by ${egresses.map((e) => formatRef(e.ref)).join(', ')} for host ${asString(spec['host']) ?? ''}, outside the mesh. None of its settings is translated: ${describeLeaves(fields, 1) || 'it sets nothing else'}. Rate limits applied only at meshed upstreams (inferred); see the Egress findings for the route itself.`);
  }

  /** Fields with no Linkerd counterpart at all: named one by one, on their own line. */
  private reportUntranslatable(setting: K8sObject, spec: Readonly<Record<string, unknown>>): void {
    const resource = formatRef(setting.ref);
    const host = asString(spec['host']) ?? '';
    for (const [path, effect] of CONNECTION_SETTINGS) {
      const full = ['spec', 'connectionSettings', ...path];
      const value = getIn(setting.body, full);
      if (value === undefined) continue;
      this.report('upstream-traffic-setting/connection-settings', setting, full,
        `${fieldName(full.slice(1))}: ${JSON.stringify(value)} of ${resource} ${effect} for ${host}. Linkerd has no such setting: it is dropped.`);
    }
    const tcp = getIn(setting.body, ['spec', 'rateLimit', 'local', 'tcp']);
    if (tcp !== undefined) {
      this.report('upstream-traffic-setting/tcp-rate-limit', setting, ['spec', 'rateLimit', 'local', 'tcp'],
        `rateLimit.local.tcp of ${resource} (${describeLeaves(leafFields(tcp), 0)}) limited new connections to ${host}'s pods. Linkerd rate-limits HTTP requests only: it is dropped.`);
    }
    if (getIn(setting.body, ['spec', 'rateLimit', 'global']) !== undefined) {
      this.report('upstream-traffic-setting/unreleased-field', setting, ['spec', 'rateLimit', 'global'],
        `rateLimit.global of ${resource} exists only in unreleased OSM (main): v1.2 pruned it, so no global rate limit service was called. Linkerd has no global rate limiting: dropped (${describeLeaves(leafFields(getIn(setting.body, ['spec', 'rateLimit', 'global'])), 0)}).`);
    }
    if (spec['httpHeaders'] !== undefined) {
      this.report('upstream-traffic-setting/unreleased-field', setting, ['spec', 'httpHeaders'],
        `httpHeaders of ${resource} (per-header rate limits) exists only in the osm-edge fork: upstream OSM pruned it. Linkerd cannot rate-limit by header: dropped (${describeLeaves(leafFields(spec['httpHeaders'], ['httpHeaders']), 0)}).`);
    }
  }

  /**
   * osm-edge's circuitBreaking opened the breaker for the whole upstream after `errorAmountThreshold` errors within
   * `statTimeWindow`, for `degradedTimeWindow`. Linkerd's nearest is consecutive failure accrual (per endpoint):
   * max-failures = errorAmountThreshold, min-penalty = degradedTimeWindow. The other knobs are named as dropped.
   */
  private failureAccrual(setting: K8sObject, service: Service): void {
    const base = ['spec', 'connectionSettings', 'http', 'circuitBreaking'];
    const cb = getIn(setting.body, base);
    if (!isRecord(cb)) return;
    const resource = formatRef(setting.ref);
    const errors = cb['errorAmountThreshold'];
    const window = goDurationMs(asString(cb['degradedTimeWindow']) ?? '');
    const annotations: [string, string][] = [];
    const used = new Set<string>();
    if (typeof errors === 'number' && Number.isInteger(errors) && errors > 0) {
      annotations.push([FAILURE_ACCRUAL, 'consecutive'], [`${FAILURE_ACCRUAL}-consecutive-max-failures`, String(errors)]);
      used.add('errorAmountThreshold');
      if (window !== undefined && window > 0) {
        const penalty = linkerdDuration(window).text;
        annotations.push([`${FAILURE_ACCRUAL}-consecutive-min-penalty`, penalty]);
        // The max penalty (default 1m) must not be below the min penalty.
        if (window > 60_000) annotations.push([`${FAILURE_ACCRUAL}-consecutive-max-penalty`, penalty]);
        used.add('degradedTimeWindow');
      }
    }
    const dropped = Object.entries(cb).filter(([k]) => !used.has(k)).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
    const droppedText = dropped.length > 0 ? ` Dropped, no Linkerd equivalent: ${dropped.join(', ')}.` : '';
    const fork = `connectionSettings.http.circuitBreaking of ${resource} is an osm-edge field (upstream OSM pruned it)`;
    if (annotations.length === 0) {
      this.report('upstream-traffic-setting/failure-accrual', setting, base,
        `${fork}; without errorAmountThreshold it has no counterpart in Linkerd's consecutive failure accrual, so nothing is generated.${droppedText}`);
      return;
    }
    if (!features(this.input.options.linkerdVersion).failureAccrual) {
      this.report('upstream-traffic-setting/failure-accrual', setting, base,
        `${fork}; Linkerd ${this.input.options.linkerdVersion} has no failure accrual (2.13+), so it is not translated. On 2.13+ it would be ${annotationsInline(annotations)} on Service ${service.name}.`);
      return;
    }
    annotateService(this.out, service, annotations);
    this.report('upstream-traffic-setting/failure-accrual', setting, base,
      `${fork}. It becomes ${annotationsInline(annotations)} on Service ${service.name}: Linkerd stops sending to an endpoint after ${String(errors)} consecutive failures, where osm-edge opened the breaker for the whole upstream after that many errors in statTimeWindow.${droppedText}`);
  }

  private rateLimits(setting: K8sObject, spec: Readonly<Record<string, unknown>>, service: Service): void {
    const resource = formatRef(setting.ref);
    const vhostPath = ['spec', 'rateLimit', 'local', 'http'];
    const vhost = readLocalHttpLimit(getIn(setting.body, vhostPath), vhostPath);
    const routes = asArray(spec['httpRoutes']).map((raw, index) => {
      const path = ['spec', 'httpRoutes', index, 'rateLimit', 'local'];
      return { index, path: asString(asRecord(raw)['path']), reading: readLocalHttpLimit(getIn(setting.body, path), path) };
    });
    for (const reading of [vhost, ...routes.map((r) => r.reading)]) this.reportIncomplete(setting, reading);
    for (const r of routes.filter((x) => x.reading.kind === 'none')) {
      this.report('upstream-traffic-setting/route-rate-limit', setting, ['spec', 'httpRoutes', r.index],
        `httpRoutes[${r.index}] of ${resource} (path ${JSON.stringify(r.path ?? null)}) sets no rateLimit.local: it did nothing in OSM. Nothing to translate.`);
    }
    const limits = [vhost, ...routes.map((r) => r.reading)].flatMap((r) => (r.kind === 'limit' ? [r.limit] : []));
    const first = limits[0];
    if (!first) return;
    if (!features(this.input.options.linkerdVersion).localRateLimit) {
      this.report('upstream-traffic-setting/rate-limit-unavailable', setting, first.path,
        `${resource} rate-limits HTTP requests to ${service.name}; Linkerd ${this.input.options.linkerdVersion} has no rate limiting (HTTPLocalRateLimitPolicy is 2.17+). Not translated: ${limits.map((l) => `${fieldName(l.path.slice(1))} ${l.requests}/${l.unit}`).join(', ')}.`);
      return;
    }
    const served = this.servedPorts(service);
    if (served.length === 0) {
      this.report('upstream-traffic-setting/target-not-found', setting, first.path,
        `${resource} rate-limits Service ${service.name}, but no workload in the repository is behind an HTTP port of it, so there is no Server to attach an HTTPLocalRateLimitPolicy to. Create one per Server of the Service's pods (targetRef kind Server, total.requestsPerSecond).`);
      return;
    }
    for (const workload of [...new Set(served.map((s) => s.workload))]) {
      const ports = served.filter((s) => s.workload === workload);
      const effective = this.effectiveLimit(setting, vhost, routes, workload, ports);
      if (!effective) continue;
      for (const port of ports) this.emitLimit(setting, service, port, effective.limit, effective.via);
    }
  }

  private reportIncomplete(setting: K8sObject, reading: LimitReading): void {
    if (reading.kind !== 'incomplete') return;
    this.report('upstream-traffic-setting/rate-limit-approximated', setting, reading.path,
      `${fieldName(reading.path.slice(1))} of ${formatRef(setting.ref)}: ${reading.reason}, so it describes no token bucket (OSM's CRD requires both). Not translated.`);
  }

  /**
   * The limit a workload's requests met in OSM. The virtual-host limit covers every route; a route-level limit
   * replaces it for the requests of that route (Envoy uses the most specific per-filter config; inferred). A route
   * limit matched a route when `path` equalled the route's regex as a string (`trafficpolicy.go:40-47`): in
   * permissive mode the only route is `.*`; in SMI mode the routes are the allowed HTTPRouteGroup matches.
   */
  private effectiveLimit(
    setting: K8sObject,
    vhost: LimitReading,
    routes: readonly { readonly index: number; readonly path: string | undefined; readonly reading: LimitReading }[],
    workload: Workload,
    ports: readonly ServedPort[],
  ): { readonly limit: LocalHttpLimit; readonly via: string } | undefined {
    const resource = formatRef(setting.ref);
    const permissive = this.input.meshMode.mode === 'permissive';
    let effective = vhost.kind === 'limit' ? { limit: vhost.limit, via: 'rateLimit.local.http' } : undefined;
    const entries = permissive ? [] : this.destinationEntries(workload);
    const servers = ports.map((p) => p.server).join(', ');
    for (const route of routes) {
      if (route.reading.kind !== 'limit') continue;
      const at = ['spec', 'httpRoutes', route.index, 'path'];
      const label = `httpRoutes[${route.index}] of ${resource} (path ${JSON.stringify(route.path ?? null)})`;
      const matched = permissive ? (route.path === '.*' ? ['.*'] : []) : entries.filter((e) => osmRoutePath(e.match) === route.path);
      if (matched.length === 0) {
        this.report('upstream-traffic-setting/route-rate-limit', setting, at, permissive
          ? `${label}: in permissive mode OSM's only inbound route on ${workload.name} has path ".*", so this path matched no route and its limit never applied. Not translated.`
          : `${label} equals no pathRegex of the HTTPRouteGroup matches allowed to ${workload.name} (OSM compared the strings), so its limit never applied. Not translated.`);
        continue;
      }
      const only = entries[0];
      if (permissive || (entries.length === 1 && only && isCatchAll(only.match))) {
        // The only route takes every request: its limit is the whole Server's.
        const via = `httpRoutes[${route.index}].rateLimit.local`;
        if (effective?.via.startsWith('httpRoutes')) {
          this.report('upstream-traffic-setting/route-rate-limit', setting, at,
            `${label} names the same route on ${workload.name} as ${effective.via.replace('.rateLimit.local', '')}, whose limit is kept (the first entry is assumed to win; inferred). Not translated.`);
          continue;
        }
        if (effective) {
          this.report('upstream-traffic-setting/rate-limit', setting, effective.limit.path,
            `${effective.via} of ${resource} (${effective.limit.requests} per ${effective.limit.unit}) limited no request of ${workload.name}: ${via} replaced it on the only route there (Envoy uses the most specific per-filter config; inferred). It is not translated.`);
        }
        effective = { limit: route.reading.limit, via };
        continue;
      }
      const named = entries
        .filter((e) => osmRoutePath(e.match) === route.path)
        .flatMap((e) => ports.map((p) => `${routeName(p.server, e, entries)} (${e.match.group}/${e.match.name} on Server ${p.server})`));
      this.report('upstream-traffic-setting/route-rate-limit', setting, at,
        `${label} limited OSM's route(s) for ${named.join(', ')} to ${route.reading.limit.requests}/${route.reading.limit.unit}. Linkerd rate-limits a whole Server, not a route: requests on those HTTPRoutes get ${effective ? `the Server-wide limit from ${effective.via}` : 'no limit'} on ${servers}.`);
    }
    return effective;
  }

  /** Distinct HTTPRouteGroup matches allowed to the workload's ServiceAccount, as traffic-target collects them. */
  private destinationEntries(workload: Workload): RouteEntry[] {
    const byKey = new Map<string, RouteEntry>();
    for (const p of this.model.policies) {
      if (p.namespace !== workload.namespace || p.destination !== workload.serviceAccount) continue;
      for (const match of p.httpMatches) {
        const key = matchKey(match);
        if (!byKey.has(key)) byKey.set(key, { key, match });
      }
    }
    return [...byKey.values()];
  }

  /** HTTP pod ports behind the Service (OSM built an HTTP inbound chain for them, osm-semantics §6.1, §6.5). */
  private servedPorts(service: Service): ServedPort[] {
    const { inventory } = this.input;
    const result: ServedPort[] = [];
    for (const workload of inventory.workloads) {
      if (workload.namespace === undefined || !inventory.servicesSelecting(workload).includes(service)) continue;
      const exposed = exposedPorts(inventory, workload);
      for (const sp of service.ports) {
        if (sp.protocol.toUpperCase() !== 'TCP' || (sp.osmProtocol !== 'http' && sp.osmProtocol !== 'grpc')) continue;
        const target = resolveTargetPort(sp, workload);
        const port = exposed.find((p) => p.port === target);
        if (!port || (port.protocol !== 'http' && port.protocol !== 'grpc')) continue;
        const server = resourceName(workload.name, port.name ?? port.port);
        if (!result.some((r) => r.workload === workload && r.server === server)) result.push({ workload, port, server });
      }
    }
    return result;
  }

  private emitLimit(setting: K8sObject, service: Service, served: ServedPort, limit: LocalHttpLimit, via: string): void {
    const resource = formatRef(setting.ref);
    const { workload, port, server } = served;
    const rate = perSecond(limit);
    const key = `${workload.namespace ?? ''}/${server}`;
    const prior = this.limited.get(key);
    if (prior) {
      if (prior.setting !== setting) {
        this.report('upstream-traffic-setting/rate-limit-widened', setting, limit.path,
          `Server ${server} (port ${port.port} of ${workload.name}) already gets ${prior.rps} requests/s from ${formatRef(prior.setting.ref)}: Linkerd allows one HTTPLocalRateLimitPolicy per Server, so ${via} of ${resource} (${rate.requestsPerSecond}/s) is not added. OSM limited each host separately.`);
      }
      return;
    }
    this.limited.set(key, { setting, rps: rate.requestsPerSecond });
    const namespace = setting.namespaceSource === 'kustomization' ? undefined : setting.ref.namespace;
    const generated = this.ensureServer(setting, served, namespace);
    const name = this.out.resource(buildHttpLocalRateLimitPolicy(resourceName(setting.ref.name, server), namespace, server, rate.requestsPerSecond), setting);
    this.report('upstream-traffic-setting/rate-limit', setting, limit.path,
      `${via} of ${resource} (${limit.requests} per ${limit.unit}) becomes HTTPLocalRateLimitPolicy ${name}: total.requestsPerSecond ${rate.requestsPerSecond} on Server ${server} (port ${port.port} of ${workload.name}).${generated ? ` No TrafficTarget gave that port a Server, so ${generated}.` : ''}`);
    const losses = limitLosses(limit, rate);
    if (losses.length > 0) {
      this.report('upstream-traffic-setting/rate-limit-approximated', setting, limit.path,
        `${via} of ${resource} on Server ${server}: ${losses.join('; ')}.`);
    }
    const others = port.via.filter((v) => !v.startsWith(`${service.name}:`));
    if (others.length > 0) {
      this.report('upstream-traffic-setting/rate-limit-widened', setting, limit.path,
        `Server ${server} (port ${port.port} of ${workload.name}) also receives requests through ${others.join(', ')}: OSM limited only requests for ${service.name}, Linkerd limits every request to the pod port.`);
    }
  }

  /**
   * The Server the policy targets: one Server per pod port, whichever rule needs it. traffic-target emits it when a
   * TrafficTarget names the workload's ServiceAccount, ingress-backend when an IngressBackend names the port; else it
   * is generated here with the same name and shape. Its accessPolicy keeps OSM's verdicts: permissive mode allowed
   * every meshed client and no plaintext one (`all-authenticated`; osm-semantics §6.1-6.2); SMI mode without a
   * TrafficTarget allowed no one (the CRD default, deny). Returns a description when it generated one.
   */
  private ensureServer(setting: K8sObject, served: ServedPort, namespace: string | undefined): string | undefined {
    const { workload, port, server } = served;
    if (this.model.policies.some((p) => p.namespace === workload.namespace && p.destination === workload.serviceAccount)) return undefined;
    if (this.ingressBackendServes(workload, port)) return undefined;
    const protocol: ProxyProtocol = port.protocol === 'grpc' ? 'HTTP/2' : port.declared ? 'HTTP/1' : 'unknown';
    const built = buildServer(this.input.options.linkerdVersion, {
      name: server, namespace, podLabels: workload.selectorLabels, port: port.name ?? port.port, proxyProtocol: protocol,
    });
    const permissive = this.input.meshMode.mode === 'permissive';
    const resource: LinkerdResource = permissive ? { ...built, spec: { ...built.spec, accessPolicy: 'all-authenticated' } } : built;
    this.out.resource(resource, setting);
    return permissive
      ? `Server ${server} is generated with accessPolicy: all-authenticated (OSM in permissive mode allowed every meshed client)`
      : `Server ${server} is generated with the default accessPolicy deny (OSM in SMI mode allowed no client without a TrafficTarget)`;
  }

  /** An IngressBackend backend (a Service selecting the workload, port.number = the pod port) makes ingress-backend emit the Server. */
  private ingressBackendServes(workload: Workload, port: ExposedPort): boolean {
    const { inventory } = this.input;
    const services = inventory.servicesSelecting(workload);
    return inventory.osm('IngressBackend').some((ib) => ib.ref.namespace === workload.namespace && asArray(asRecord(ib.body['spec'])['backends']).some((raw) => {
      const backend = asRecord(raw);
      return services.some((svc) => svc.name === backend['name']) && asPortNumber(getIn(backend, ['port', 'number'])) === port.port;
    }));
  }
}

interface RouteEntry {
  readonly key: string;
  readonly match: OsmHttpMatch;
}

/**
 * The name traffic-target gives the HTTPRoute of a match (`<server>-[tie-break digit-]<group>-<match>`, the digit
 * when another match of the destination contains it). Used only to point at that route in findings.
 */
function routeName(server: string, entry: RouteEntry, entries: readonly RouteEntry[]): string {
  const depth = entries.filter((other) => other.key !== entry.key && contains(other.match, entry.match)).length;
  return resourceName(server, ...(depth === 0 ? [] : [String(Math.max(0, 9 - depth))]), entry.match.group, entry.match.name);
}

/** Egress `spec.matches[]` entries of kind UpstreamTrafficSetting name settings in the Egress's namespace (§3.2). */
function referencesSetting(egress: K8sObject, name: string): boolean {
  return asArray(asRecord(egress.body['spec'])['matches']).some((m) => {
    const match = asRecord(m);
    return match['kind'] === 'UpstreamTrafficSetting' && match['name'] === name;
  });
}
