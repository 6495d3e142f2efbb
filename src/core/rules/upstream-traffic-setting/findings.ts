import { defineFindings, pick, verbatim } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';
import { probeFindings } from '../probe-findings.ts';

/** The findings the upstream-traffic-setting rule declares. */
export const upstreamTrafficSettingFindings = defineFindings({
  'upstream-traffic-setting/never-applied': {
    severity: 'warning',
    title: 'UpstreamTrafficSetting that OSM never applied',
    remediation: 'OSM applied a setting only when its host was exactly <service>.<namespace>.svc.cluster.local and it lived in that Service\'s namespace (one per host, an FQDN required by the webhook), or when an Egress referenced it. This one met none of these, so it had no effect and nothing is generated. Delete it, or fix it first if it was meant to work.',
    message: verbatim,
  },
  'upstream-traffic-setting/target-not-found': {
    severity: 'warning',
    title: 'Service or pods of an UpstreamTrafficSetting not in the repository',
    remediation: 'Rate limits attach to the Servers of the Service\'s pods and circuit breaking to the Service manifest, and neither is in this repository. Migrate the repository that holds them together with this object, or create the HTTPLocalRateLimitPolicy / annotations named in the message by hand.',
    message: verbatim,
  },
  'upstream-traffic-setting/egress-host': {
    severity: 'warning',
    title: 'UpstreamTrafficSetting used by an Egress: not translated',
    remediation: 'OSM applied this setting to the egress cluster of an external host. Linkerd has no per-destination connection limits or rate limits for egress traffic; keep the limits in the external service or an egress gateway if you need them.',
    message: verbatim,
  },
  'upstream-traffic-setting/rate-limit': {
    severity: 'info',
    title: 'HTTP local rate limit translated to an HTTPLocalRateLimitPolicy',
    remediation: 'OSM limited requests at the upstream pods\' inbound proxy; the HTTPLocalRateLimitPolicy does the same on each Server of the Service\'s pods (per proxy, over-limit requests get 429). Check the requestsPerSecond value against the OSM rate.',
    message: verbatim,
  },
  'upstream-traffic-setting/rate-limit-unavailable': {
    severity: 'warning',
    title: 'Rate limiting needs Linkerd 2.17+',
    remediation: 'HTTPLocalRateLimitPolicy exists from Linkerd 2.17; earlier versions cannot rate-limit, so the limit is dropped. Target 2.17+ (--linkerd-version) to translate it.',
    message: verbatim,
  },
  'upstream-traffic-setting/rate-limit-approximated': {
    severity: 'warning',
    title: 'Rate limit not expressible exactly',
    remediation: 'Linkerd takes a whole number of requests per second, with no burst, no custom status code and no extra response headers. The message names each part of the OSM limit that changed or was dropped; adjust requestsPerSecond if the rounding is too loose.',
    message: verbatim,
  },
  'upstream-traffic-setting/rate-limit-widened': {
    severity: 'warning',
    title: 'Rate limit covers more requests than in OSM',
    remediation: 'OSM limited the requests addressed to one Service host; Linkerd limits everything that reaches the pod port (the Server), whichever Service it came through, and allows one policy per Server. Split the ports or Services if the limits must stay separate.',
    message: verbatim,
  },
  'upstream-traffic-setting/route-rate-limit': {
    severity: 'warning',
    title: 'Per-route rate limit not translated',
    remediation: 'OSM applied httpRoutes[].rateLimit to the route whose regex equals path as a string. Linkerd rate-limits whole Servers only, so a limit on part of the routes is dropped (the message names the HTTPRoutes it covered), and a path that equals no route never applied. Move the limit into the application or an ingress if it matters.',
    message: verbatim,
  },
  'upstream-traffic-setting/tcp-rate-limit': {
    severity: 'warning',
    title: 'TCP connection rate limit dropped',
    remediation: 'OSM limited new TCP connections per unit of time at the upstream. Linkerd has no connection rate limiting (HTTPLocalRateLimitPolicy counts HTTP requests); nothing replaces it.',
    message: verbatim,
  },
  'upstream-traffic-setting/connection-settings': {
    severity: 'warning',
    title: 'Envoy connection setting dropped',
    remediation: 'OSM programmed these Envoy circuit breakers (connection, request and retry caps) and the connect timeout into every client. Linkerd has no concurrency caps: its circuit breaking is failure accrual, which ejects failing endpoints instead (balancer.linkerd.io/failure-accrual: consecutive on the Service, 2.13+). Add it by hand if that is what the caps were for.',
    message: verbatim,
  },
  'upstream-traffic-setting/service-profile-overrides': {
    severity: 'warning',
    title: 'A ServiceProfile makes Linkerd ignore the failure accrual annotations',
    remediation: 'While a ServiceProfile exists for a Service, Linkerd ignores its balancer.linkerd.io/failure-accrual annotations. Delete the ServiceProfile (on 2.16+ retries move to annotations too), or accept that the circuit breaking is not translated.',
    message: verbatim,
  },
  'upstream-traffic-setting/failure-accrual': {
    severity: 'warning',
    title: 'osm-edge circuit breaking translated to failure accrual',
    remediation: 'osm-edge opened its breaker for the whole upstream after a number of errors in a time window; Linkerd\'s consecutive failure accrual stops sending to one endpoint after that many consecutive failures and backs off between the min and max penalty. The message lists the annotations and the fields with no equivalent; upstream OSM ignored this field altogether.',
    message: verbatim,
  },
  'upstream-traffic-setting/unreleased-field': {
    severity: 'warning',
    title: 'Field of unreleased OSM or the osm-edge fork dropped',
    remediation: 'rateLimit.global exists only in unreleased OSM (main) and httpHeaders only in osm-edge; OSM v1.2 pruned both, and Linkerd has neither global nor per-header rate limiting. Nothing is generated for them.',
    message: verbatim,
  },
  'upstream-traffic-setting/unknown-field': {
    severity: 'warning',
    title: 'Field unknown to the UpstreamTrafficSetting schema',
    remediation: 'OSM\'s API server pruned fields its CRD does not declare (for example outlierDetection, which no OSM version has), so this one did nothing and is not translated. Remove it.',
    message: verbatim,
  },
  'upstream-traffic-setting/namespace-ignored': {
    severity: 'warning',
    title: 'UpstreamTrafficSetting in a namespace OSM ignored',
    remediation: 'The UpstreamTrafficSetting is in a namespace labelled openservicemesh.io/ignore, where OSM never injected a pod: it had no effect and nothing is generated for it. Delete it.',
    message: verbatim,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = {
  ...upstreamTrafficSettingFindings,
  ...pick(probeFindings, 'probes/open-to-all-networks'),
};

/** The ids `finding(...)` accepts here. */
export type RaisedId = keyof typeof raises;

export const finding = finderFor(raises);
