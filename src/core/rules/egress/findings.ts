import { defineFindings, pick, verbatim } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';
import { routeMatchFindings } from '../route-match-findings.ts';

/** The findings the egress rule declares. */
export const egressFindings = defineFindings({
  'egress/translated': {
    severity: 'info',
    title: 'Egress translated to EgressNetwork routes',
    remediation: 'Each port of the Egress became a route on the EgressNetwork of the client namespace: HTTPRoute (http: hostnames = hosts, the HTTPRouteGroup matches as full-match regexes), TLSRoute (https: SNI = hosts) or TCPRoute (tcp, tcp-server-first: opaque port). ipAddresses became EgressNetworks of those networks, which win over the namespace-wide one. Pods must be restarted to pick up the policy.',
    message: verbatim,
  },
  'egress/default-deny': {
    severity: 'info',
    title: 'Outbound traffic to unknown destinations stays denied (EgressNetwork Deny)',
    remediation: 'OSM dropped outbound traffic nothing routed when traffic.enableEgress was false. The namespace gets an EgressNetwork with trafficPolicy Deny, so only the routes attached to it get out. It covers destinations outside the cluster networks only: in-cluster destinations without a proxy (and the API server), which OSM also refused, stay reachable; restrict those with a NetworkPolicy if needed.',
    message: verbatim,
  },
  'egress/passthrough': {
    severity: 'warning',
    title: 'Global egress passthrough: Egress HTTP restrictions are not kept',
    remediation: 'With traffic.enableEgress true OSM forwarded unmatched outbound traffic, but an http port of an Egress still sent the sources\' plain HTTP on that port through host/path routes (other hosts got 404). The EgressNetwork allows unmatched traffic (trafficPolicy Allow), so those requests now pass. Switch the EgressNetwork to Deny and add routes for everything else that must get out if you need the restriction.',
    message: verbatim,
  },
  'egress/passthrough-assumed': {
    severity: 'warning',
    title: 'traffic.enableEgress unknown: global egress passthrough assumed off',
    remediation: 'The repository has Egress policies but no MeshConfig setting traffic.enableEgress (the chart default was true in v1.2, false before). OSM\'s docs require it off for Egress policies, so the translation denies other outbound traffic. Check `kubectl get meshconfig osm-mesh-config -n osm-system -o jsonpath={.spec.traffic.enableEgress}`; if it was true, set the EgressNetworks to trafficPolicy Allow.',
    message: verbatim,
  },
  'egress/sources-widened': {
    severity: 'warning',
    title: 'Egress sources cannot be restricted per ServiceAccount',
    remediation: 'OSM allowed this egress only to pods running as the listed ServiceAccounts. A Linkerd EgressNetwork and its routes apply to every meshed client in the namespace, so the other workloads named in the message get the same egress. Move the sources to a namespace of their own, or add a NetworkPolicy (egress) selecting the other pods.',
    message: verbatim,
  },
  'egress/no-egress-control': {
    severity: 'warning',
    title: 'Target Linkerd has no egress control (EgressNetwork is 2.17+)',
    remediation: 'Linkerd before 2.17 proxies outbound traffic without any egress policy, so what OSM denied now gets out. Target Linkerd 2.17+ to get EgressNetworks, or apply the NetworkPolicy sketched in the message (it can restrict IP ranges and ports, not host names).',
    message: verbatim,
  },
  'egress/policy-disabled': {
    severity: 'warning',
    title: 'Egress ignored by OSM: featureFlags.enableEgressPolicy is false',
    remediation: 'OSM returned no egress policy at all while the flag was off, so this Egress allowed nothing and nothing is generated for it. Outbound traffic followed traffic.enableEgress alone, and so does the translation. Delete the Egress, or turn the flag on in OSM first if it was meant to work.',
    message: verbatim,
  },
  'egress/rejected-by-osm': {
    severity: 'warning',
    title: 'Egress that OSM\'s admission webhook rejects',
    remediation: 'OSM accepts matches of apiGroup specs.smi-spec.io/v1alpha4 (kind HTTPRouteGroup) and policy.openservicemesh.io/v1alpha1 (kind UpstreamTrafficSetting, at most one); anything else is refused when the Egress is applied, so it never took effect and nothing is generated. Fix the matches if it was meant to work.',
    message: verbatim,
  },
  'egress/upstream-traffic-setting': {
    severity: 'warning',
    title: 'UpstreamTrafficSetting limits on egress traffic are not carried over',
    remediation: 'OSM applied the connection settings of the UpstreamTrafficSetting named in the Egress matches (circuit-breaker limits, connect timeout) to this egress traffic. Linkerd has no connection limits for egress; the UpstreamTrafficSetting itself is handled by its own rule, for mesh Services only. Accept the change or enforce the limits at the destination.',
    message: verbatim,
  },
  'egress/upstream-traffic-setting-not-found': {
    severity: 'warning',
    title: 'Referenced UpstreamTrafficSetting not found: OSM ignored the Egress',
    remediation: 'OSM drops an Egress whose UpstreamTrafficSetting match cannot be found in its namespace ("Ignoring invalid Egress policy"), so it allowed nothing and nothing is generated. Add the UpstreamTrafficSetting to the repository (same namespace as the Egress) and migrate again.',
    message: verbatim,
  },
  'egress/route-group-not-found': {
    severity: 'warning',
    title: 'Referenced HTTPRouteGroup not found or empty: no HTTP request allowed',
    remediation: 'OSM looks up Egress matches in the Egress namespace. With an HTTPRouteGroup match that resolves to no match, the http ports of the Egress got no route, so no request was allowed and none is generated. Add the HTTPRouteGroup (with matches) to the repository and migrate again.',
    message: verbatim,
  },
  'egress/invalid-source': {
    severity: 'warning',
    title: 'Egress source OSM could not match',
    remediation: 'OSM matched Egress sources by kind ServiceAccount, name and namespace; this one matched no pod and is not translated.',
    message: verbatim,
  },
  'egress/invalid-ip-range': {
    severity: 'warning',
    title: 'ipAddresses entry is not a CIDR',
    remediation: 'OSM skipped ip ranges it could not parse ("Invalid IP range … will be skipped"); the translation skips it too. Write it as a.b.c.d/n.',
    message: verbatim,
  },
  'egress/unsupported-protocol': {
    severity: 'warning',
    title: 'Egress port protocol OSM did not program',
    remediation: 'OSM handled only http, https, tcp and tcp-server-first Egress ports; this port allowed nothing and is not translated.',
    message: verbatim,
  },
  'egress/host-not-expressible': {
    severity: 'warning',
    title: 'Egress host cannot be a Gateway API hostname',
    remediation: 'Route hostnames must be DNS names (optionally *.suffix), not IP addresses. The host is left out of the route, so requests to it are denied; allow it by IP with ipAddresses and a tcp port, or add a route by hand.',
    message: verbatim,
  },
  'egress/http-without-hosts': {
    severity: 'warning',
    title: 'http Egress port without hosts allowed nothing',
    remediation: 'OSM built one virtual host per entry of hosts for an http port; with no hosts there was no route, so no request was allowed and no route is generated. List the hosts if the port was meant to work.',
    message: verbatim,
  },
  'egress/gateway-api-required': {
    severity: 'warning',
    title: 'TLSRoute / TCPRoute need the Gateway API experimental CRDs',
    remediation: 'Linkerd 2.19+ no longer installs the Gateway API CRDs by default, and TLSRoute and TCPRoute exist only in the experimental channel. Install them (linkerd-crds installGatewayAPI=true, or Gateway API 1.2.1 experimental) before applying these routes.',
    message: verbatim,
  },
  'egress/namespace-not-monitored': {
    severity: 'warning',
    title: 'Egress in a namespace OSM ignored',
    remediation: 'The Egress is in a namespace labelled openservicemesh.io/ignore, where OSM never injected a pod: it had no effect and nothing is generated for it. (An Egress in a Namespace manifest without openservicemesh.io/monitored-by is translated, with injection/namespace-not-monitored.)',
    message: verbatim,
  },
  'egress/default-deny-unplaced': {
    severity: 'warning',
    title: 'Egress default-deny could not be placed: no meshed namespace found',
    remediation: 'OSM denied outbound traffic to unknown destinations (traffic.enableEgress false), but the repository shows no meshed namespace to put an EgressNetwork in. Add `apiVersion: policy.linkerd.io/v1alpha1, kind: EgressNetwork, spec: {trafficPolicy: Deny}` to each meshed namespace (Linkerd 2.17+).',
    message: verbatim,
  },
  'egress/tcp-subsumes-routes': {
    severity: 'info',
    title: 'http/https Egress rules subsumed by a tcp Egress on the same port',
    remediation: 'OSM matched a tcp (or tcp-server-first) Egress port on the port and ipAddresses alone, whatever the SNI or Host, so every connection to that port went out and the narrower http/https rules there added nothing. Linkerd uses only the highest-ranked route kind on an EgressNetwork port (gRPC > HTTP > TLS > TCP), so an HTTPRoute or TLSRoute beside the TCPRoute would shrink it to those hosts. Only the TCPRoute is generated there, and the port is opaque. Narrow the tcp Egress if the hosts were meant to be the limit.',
    message: verbatim,
  },
  'egress/replaced-by-later-document': {
    severity: 'warning',
    title: 'Egress or HTTPRouteGroup replaced by a later document with the same name',
    remediation: 'Kubernetes keeps one object per kind, namespace and name: applied in repository order, the later document replaces this one, so it never took effect and only the later one is translated. Delete the earlier document, or rename it if both were meant to exist.',
    message: verbatim,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = {
  ...egressFindings,
  ...pick(routeMatchFindings, 'traffic-target/path-regex-translated', 'traffic-target/path-never-matches', 'traffic-target/path-regex-invalid', 'traffic-target/path-not-expressible', 'traffic-target/host-header'),
};

/** The ids `finding(...)` accepts here. */
export type RaisedId = keyof typeof raises;

export const finding = finderFor(raises);
