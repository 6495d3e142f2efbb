import { finding, raises, type RaisedId } from './findings.ts';
import type { K8sObject, Service, Workload } from '../../inventory/model.ts';
import { resourceName } from '../../linkerd/names.ts';
import { httpProbePaths, planServers, serverName, type PlannedServer, type ServerPlan } from '../../linkerd/servers.ts';
import { features } from '../../linkerd/versions.ts';
import { destinationMatches, matchKey, readAccessModel, type AccessModel, type OsmHttpMatch } from '../../osm/access-model.ts';
import type { ExposedPort } from '../../osm/exposed-ports.ts';
import {
  httpPortsBehind,
  readSettingLimits,
  resolveUpstreamTrafficSettings,
  workloadLimit,
  type AppliedLimit,
  type LimitReading,
  type LocalHttpLimit,
  type ResolvedSetting,
  type SettingLimits,
} from '../../osm/upstream-traffic-settings.ts';
import { ignoredNamespace, ignoredNamespaceReason } from '../../osm/meshed.ts';
import { formatRef, type NodePath } from '../../source.ts';
import { asRecord, asString, getIn, isRecord } from '../../values.ts';
import { existingServiceProfile, retryServiceProfileLikely } from '../../linkerd/service-profiles.ts';
import { Emitter } from '../emitter.ts';
import { goDurationMs, linkerdDuration } from '../../linkerd/duration.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';
import { contains } from '../../osm/match-overlap.ts';
import { describeLeaves, fieldName, leafFields, unknownFields, wrongTypedFields, type FieldSchema } from '../crd-fields.ts';
import { buildHttpLocalRateLimitPolicy, limitLosses, perSecond } from './rate-limit.ts';
import { annotateService, annotationsInline } from '../service-annotations.ts';
import { generatedNamespace } from '../../inventory/model.ts';

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
  // The whole spec: the rule checks it against OSM's CRD schema (crd-fields.ts): every field outside it is named by this rule.
  fields: { UpstreamTrafficSetting: ['spec'] },
  raises,
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
    // osm-semantics §5: no sidecar in an ignored namespace, so OSM never applied a setting there.
    const ignored = ignoredNamespace(input.inventory, setting.ref.namespace);
    if (ignored !== undefined) {
      out.finding(finding('upstream-traffic-setting/namespace-ignored', setting.locate(['metadata', 'namespace']), {
        resource: formatRef(setting.ref),
        message: `OSM never applied ${formatRef(setting.ref)}: ${ignoredNamespaceReason(ignored)}. Nothing is generated for it.`,
      }));
      continue;
    }
    run.translate(setting);
  }
  return out.output();
}

/** An HTTP pod port behind the Service, and its Server (linkerd/servers.ts) when it gets one. */
interface ServedPort {
  readonly workload: Workload;
  readonly port: ExposedPort;
  readonly server: string;
  readonly planned: PlannedServer | undefined;
}

type Target =
  | { readonly kind: 'service'; readonly name: string; readonly namespace: string }
  | { readonly kind: 'egress'; readonly egresses: readonly K8sObject[] };

class Translation {
  private readonly input: RuleInput;
  private readonly out: Emitter;
  private readonly model: AccessModel;
  private readonly resolved: ReadonlyMap<K8sObject, ResolvedSetting>;
  private readonly servers: ServerPlan;
  /** Servers that already have a rate limit policy: Linkerd allows one per Server. */
  private readonly limited = new Map<string, { readonly setting: K8sObject; readonly rps: number }>();

  constructor(input: RuleInput, out: Emitter) {
    this.input = input;
    this.out = out;
    this.model = readAccessModel(input.inventory);
    this.resolved = new Map(resolveUpstreamTrafficSettings(input.inventory).map((r) => [r.setting, r]));
    this.servers = planServers(input);
  }

  private report(id: RaisedId, setting: K8sObject, path: NodePath, message: string): void {
    this.out.finding(finding(id, setting.locate(path), { resource: formatRef(setting.ref), message }));
  }

  translate(setting: K8sObject): void {
    const spec = asRecord(setting.body['spec']);
    const resource = formatRef(setting.ref);
    for (const path of unknownFields(spec, SCHEMA, ['spec'])) {
      this.report('upstream-traffic-setting/unknown-field', setting, path,
        `${fieldName(path)} of ${resource} is not a field of UpstreamTrafficSetting: OSM's API server pruned it, so it did nothing. Not translated.`);
    }
    const wrong = wrongTypedFields(spec, SCHEMA, ['spec']);
    if (wrong.length > 0) {
      this.report('upstream-traffic-setting/never-applied', setting, wrong[0] ?? ['spec'],
        `${wrong.map(fieldName).join(', ')} of ${resource} ${wrong.length > 1 ? 'have' : 'has'} the wrong type (a value where a mapping or list belongs, or the reverse): OSM's API server rejected the object, so it never applied. Nothing is translated.`);
      return;
    }
    const target = this.resolve(setting);
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
    this.rateLimits(setting, service);
  }

  /** Which Service OSM applied the setting to (osm/upstream-traffic-settings.ts), or why it applied nowhere. */
  private resolve(setting: K8sObject): Target | undefined {
    const resource = formatRef(setting.ref);
    const resolved = this.resolved.get(setting);
    if (!resolved) return undefined;
    const { host, target } = resolved;
    if (target.kind === 'service' || target.kind === 'egress') return target;
    if (target.kind === 'invalid-host') {
      this.report('upstream-traffic-setting/never-applied', setting, ['spec', 'host'],
        `${resource} has host ${JSON.stringify(host)}, which is not an FQDN: OSM's admission webhook rejected it ("invalid FQDN specified as host"). Nothing is translated.`);
    } else if (target.kind === 'duplicate-host') {
      this.report('upstream-traffic-setting/never-applied', setting, ['spec', 'host'],
        `${resource} sets host ${host} like ${formatRef(target.first.ref)}: OSM's webhook admits one UpstreamTrafficSetting per host, so the later one (in repository order) was rejected. Nothing is translated from it.`);
    } else {
      const why = host === target.fqdn
        ? `it is in namespace ${setting.ref.namespace ?? '?'} while Service ${target.name} is in ${target.namespace}, and OSM only reads settings from the Service's namespace`
        : `OSM compared host with the Service FQDN (${target.fqdn}), so the host must be written exactly that way`;
      this.report('upstream-traffic-setting/never-applied', setting, ['spec', 'host'],
        `${resource} (host ${host}) never applied to a mesh Service: ${why}. No Egress references it either. Nothing is translated.`);
    }
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
    // A ServiceProfile for the Service (in the repository, or generated for a Retry before 2.16) switches it off.
    const profile = existingServiceProfile(this.input.inventory, service);
    if (profile || retryServiceProfileLikely(this.input.inventory, service, this.input.options.linkerdVersion)) {
      this.report('upstream-traffic-setting/service-profile-overrides', setting, base,
        `${profile ? formatRef(profile.ref) : `The ServiceProfile generated for the Retry of Service ${service.name} (Linkerd ${this.input.options.linkerdVersion} retries only through ServiceProfiles)`} takes precedence over the Service's annotations: Linkerd ignores the failure accrual while it exists.`);
    }
  }

  private rateLimits(setting: K8sObject, service: Service): void {
    const resource = formatRef(setting.ref);
    const settingLimits = readSettingLimits(setting);
    const { vhost, routes } = settingLimits;
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
      const effective = this.effectiveLimit(setting, settingLimits, workload, ports);
      if (!effective) continue;
      // A port whose Server is withheld (server-selection: it would select another ServiceAccount's pods) gets no policy.
      for (const port of ports) if (!this.servers.withheld(port.workload, port.port.port)) this.emitLimit(setting, service, port, effective.limit, effective.via);
    }
  }

  private reportIncomplete(setting: K8sObject, reading: LimitReading): void {
    if (reading.kind !== 'incomplete') return;
    this.report('upstream-traffic-setting/rate-limit-approximated', setting, reading.path,
      `${fieldName(reading.path.slice(1))} of ${formatRef(setting.ref)}: ${reading.reason}, so it describes no token bucket (OSM's CRD requires both). Not translated.`);
  }

  /**
   * The limit every request of a workload met in OSM (osm/upstream-traffic-settings.ts `workloadLimit`), and a
   * finding for each route limit that does not become it. The same function decides whether the workload's ports get
   * a Server for the limit (linkerd/servers.ts), so a policy is emitted exactly where the plan has a Server.
   */
  private effectiveLimit(setting: K8sObject, limits: SettingLimits, workload: Workload, ports: readonly ServedPort[]): AppliedLimit | undefined {
    const resource = formatRef(setting.ref);
    const permissive = this.input.meshMode.mode === 'permissive';
    const entries = permissive ? [] : this.destinationEntries(workload);
    const { effective, routes } = workloadLimit(limits, entries.map((e) => e.match), permissive);
    const servers = ports.map((p) => p.server).join(', ');
    for (const { route, outcome } of routes) {
      if (route.reading.kind !== 'limit') continue;
      const at = ['spec', 'httpRoutes', route.index, 'path'];
      const label = `httpRoutes[${route.index}] of ${resource} (path ${JSON.stringify(route.path ?? null)})`;
      if (outcome.kind === 'unmatched') {
        this.report('upstream-traffic-setting/route-rate-limit', setting, at, permissive
          ? `${label}: in permissive mode OSM's only inbound route on ${workload.name} has path ".*", so this path matched no route and its limit never applied. Not translated.`
          : `${label} equals no pathRegex of the HTTPRouteGroup matches allowed to ${workload.name} (OSM compared the strings), so its limit never applied. Not translated.`);
      } else if (outcome.kind === 'same-route') {
        this.report('upstream-traffic-setting/route-rate-limit', setting, at,
          `${label} names the same route on ${workload.name} as ${outcome.kept.via.replace('.rateLimit.local', '')}, whose limit is kept (the first entry is assumed to win; inferred). Not translated.`);
      } else if (outcome.kind === 'port-wide') {
        // The only route takes every request: its limit is the whole Server's.
        const { replaced } = outcome;
        if (replaced) {
          this.report('upstream-traffic-setting/rate-limit', setting, replaced.limit.path,
            `${replaced.via} of ${resource} (${replaced.limit.requests} per ${replaced.limit.unit}) limited no request of ${workload.name}: httpRoutes[${route.index}].rateLimit.local replaced it on the only route there (Envoy uses the most specific per-filter config; inferred). It is not translated.`);
        }
      } else {
        const keys = new Set(outcome.matches.map(matchKey));
        const named = entries
          .filter((e) => keys.has(e.key))
          .flatMap((e) => ports.map((p) => `${routeName(p.server, e, entries)} (${e.match.group}/${e.match.name} on Server ${p.server})`));
        this.report('upstream-traffic-setting/route-rate-limit', setting, at,
          `${label} limited OSM's route(s) for ${named.join(', ')} to ${route.reading.limit.requests}/${route.reading.limit.unit}. Linkerd rate-limits a whole Server, not a route: requests on those HTTPRoutes get ${effective ? `the Server-wide limit from ${effective.via}` : 'no limit'} on ${servers}.`);
      }
    }
    return effective;
  }

  /** Distinct HTTPRouteGroup matches allowed to the workload's ServiceAccount, as traffic-target collects them. */
  private destinationEntries(workload: Workload): RouteEntry[] {
    return destinationMatches(this.model.policies, workload.namespace, workload.serviceAccount).map((match) => ({ key: matchKey(match), match }));
  }

  /** HTTP pod ports behind the Service, with the Server each has in the plan. */
  private servedPorts(service: Service): ServedPort[] {
    return httpPortsBehind(this.input.inventory, service).map(({ workload, port }) => {
      const planned = this.servers.at(workload, port.port);
      return { workload, port, planned, server: planned?.name ?? serverName(workload, port) };
    });
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
    const namespace = generatedNamespace(setting, setting.ref.namespace);
    const generated = this.emitServer(served);
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
   * The Server the policy targets: one Server per pod port, emitted by the first rule that needs it
   * (linkerd/servers.ts): traffic-target when a TrafficTarget names the workload's ServiceAccount, ingress-backend when
   * an IngressBackend reaches the port, else this rule. Its accessPolicy keeps OSM's verdicts: permissive mode allowed
   * every meshed client and no plaintext one (`all-authenticated`; osm-semantics §6.1-6.2); SMI mode without a
   * TrafficTarget allowed no one (the CRD default, deny). Returns a description when this rule emits it.
   */
  private emitServer(served: ServedPort): string | undefined {
    const { planned } = served;
    if (planned?.owner !== 'upstream-traffic-setting') return undefined;
    this.out.resource(planned.resource, planned.origin);
    this.reportProbeRoute(planned);
    return planned.accessPolicy === 'all-authenticated'
      ? `Server ${planned.name} is generated with accessPolicy: all-authenticated (OSM in permissive mode allowed every meshed client)`
      : `Server ${planned.name} is generated with the default accessPolicy deny (OSM in SMI mode allowed no client without a TrafficTarget)`;
  }

  /**
   * A Server without routes keeps Linkerd's default probe route: GET on each HTTP probe path, for any client in the
   * install's probeNetworks (linkerd-semantics §2.4, §2.6). OSM answered probes on its own listeners only.
   */
  private reportProbeRoute({ workload, port, name, origin }: PlannedServer): void {
    const paths = httpProbePaths(workload, port.port);
    if (paths.length === 0) return;
    this.out.finding(finding('probes/open-to-all-networks', workload.object.locate(['kind']), {
      resource: formatRef(workload.object.ref),
      message: `Port ${port.port} of ${workload.name} gets Server ${name} for the rate limit of ${formatRef(origin.ref)}, with no route: Linkerd answers GET ${paths.join(', ')} with its default probe route, for any client in the install's policyController.probeNetworks (default: every network).`,
      affects: [{ namespace: workload.namespace ?? '', serviceAccount: workload.serviceAccount, port: port.port, paths, methods: ['GET'] }],
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
