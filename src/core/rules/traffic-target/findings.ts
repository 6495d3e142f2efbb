import { defineFindings, pick, verbatim } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';
import { accessModelFindings } from '../../osm/findings.ts';
import { probeFindings } from '../probe-findings.ts';
import { routeMatchFindings } from '../route-match-findings.ts';

/** The findings the traffic-target rule declares. */
export const trafficTargetFindings = defineFindings({
  'mesh-mode/permissive-audit': {
    severity: 'warning',
    title: 'Permissive mode: TrafficTargets translated in audit mode (wider than OSM)',
    remediation: 'Chosen with permissiveAccess: audit. OSM ignored TrafficTargets in permissive mode but refused plaintext and unmeshed clients (they match no inbound mesh chain). The generated Servers use accessPolicy: audit, which admits every client, so clients OSM refused are admitted too. Watch the proxy logs for authz.name=audit, then switch the Servers to deny when the policies are right; the default, permissiveAccess: exact, admits only meshed clients, as OSM did.',
    message: ({ ref }: { ref: string }) => `OSM ran in permissive mode, so ${ref} was not enforced: as permissiveAccess: audit asks, its Servers are generated with accessPolicy: audit, which also admits the plaintext and unmeshed clients OSM refused.`,
  },
  'mesh-mode/permissive-authenticated': {
    severity: 'info',
    title: 'Permissive mode kept exactly: TrafficTarget Servers with accessPolicy: all-authenticated',
    remediation: 'OSM ignored TrafficTargets in permissive mode, let every meshed client reach every route and refused plaintext clients. The generated Servers use accessPolicy: all-authenticated, which admits the same clients, plus a catch-all route so no request is answered 404. The translated AuthorizationPolicies take effect once accessPolicy is switched to deny (OSM\'s SMI mode); permissiveAccess: audit logs what they would deny instead, but also admits plaintext clients.',
    message: ({ ref }: { ref: string }) => `OSM ran in permissive mode, so ${ref} was not enforced: its Servers are generated with accessPolicy: all-authenticated, which admits every meshed client on every route and no plaintext client, as OSM did.`,
  },
  'mesh-mode/audit-unavailable': {
    severity: 'warning',
    title: 'Permissive mode on a Linkerd without audit: TrafficTargets not translated',
    remediation: 'OSM ignored TrafficTargets in permissive mode, and Linkerd before 2.16 has no audit mode, so enforcing them would deny traffic OSM allowed. Target Linkerd 2.16+ to get audit-mode policies, or switch the mode to smi to enforce them.',
    message: verbatim,
  },
  'mesh-mode/access-policy-unavailable': {
    severity: 'info',
    title: 'Permissive mode on a Linkerd without Server accessPolicy: TrafficTargets not translated',
    remediation: 'OSM ignored TrafficTargets in permissive mode. Before 2.16 a Server has no accessPolicy, so a Server translated from them would deny the meshed clients OSM admitted. No Server is generated: the namespace or pod default config.linkerd.io/default-inbound-policy: all-authenticated (mesh-mode/default-authenticated) admits every meshed client and no plaintext one, as OSM did. Target Linkerd 2.16+ to get the TrafficTargets translated, or switch the mode to smi to enforce them.',
    message: verbatim,
  },
  'traffic-target/http-rules-on-tcp-port': {
    severity: 'info',
    title: 'HTTPRouteGroup rules do not apply to a TCP port',
    remediation: 'On tcp / tcp-server-first ports OSM enforced only identities and ports. The generated Server is opaque and authorized at server level, as OSM did.',
    message: ({ port, workloadName, protocol, via }: { port: number; workloadName: string; protocol: string; via: string }) => `Port ${port} of ${workloadName} is ${protocol} (${via}): HTTPRouteGroup rules had no effect there; only identities are checked.`,
  },
  'traffic-target/tcp-route-port-scope': {
    severity: 'info',
    title: 'TCPRoute ports scope the TrafficTarget',
    remediation: 'OSM applied TCPRoute matches.ports to every port of the destination: sources of this TrafficTarget reach only those ports (HTTP rules included). The generated authorizations follow that.',
    message: ({ ref, ports, port, serviceAccount }: { ref: string; ports: string; port: number; serviceAccount: string }) => `${ref} lists TCPRoute ports ${ports}: OSM kept its sources off port ${port} of ${serviceAccount}'s pods, HTTP rules included.`,
  },
  'traffic-target/port-not-exposed': {
    severity: 'info',
    title: 'Container port exposed by no Service: unreachable through OSM',
    remediation: 'OSM built inbound chains only for Service target ports, so nothing reached this port through the mesh. No Server is generated; under the default-deny policy Linkerd refuses it too (kubelet probes excepted).',
    message: ({ name, ref }: { name: string | number; ref: string }) => `Port ${name} of ${ref} is exposed by no Service: OSM gave it no inbound chain, so no Server is generated for it.`,
  },
  'traffic-target/destination-without-workload': {
    severity: 'error',
    title: 'Destination ServiceAccount has no workload in the repository',
    remediation: 'No Deployment, StatefulSet, DaemonSet, Pod, Job, CronJob or Rollout in the repository runs as this ServiceAccount. Routes and authorizations were generated against a Server you must create: copy the Server in the message, set its podSelector and port.',
    message: verbatim,
  },
  'traffic-target/unreferenced-spec': {
    severity: 'info',
    title: 'HTTPRouteGroup or TCPRoute used by no TrafficTarget',
    remediation: 'Route specs grant nothing by themselves: only a TrafficTarget (or an Egress / TrafficSplit match, reported by their own rules) gives them effect. Nothing is generated from it; delete it with the rest of the OSM configuration.',
    message: ({ refKind, ref }: { refKind: string; ref: string }) => `${refKind} ${ref} is used by no TrafficTarget that OSM honoured with a valid source, so it allowed nothing.`,
  },
  'traffic-target/overlapping-routes': {
    severity: 'warning',
    title: 'Overlapping routes with different sources',
    remediation: 'OSM allowed a request when any matching route allowed the source; Linkerd authorizes against the one most specific route. Requests that match both routes are allowed only to the sources of the winning route. Merge the matches or give both routes the same sources.',
    message: ({ group, matchName, group2, matchName2, onPort }: { group: string; matchName: string; group2: string; matchName2: string; onPort: string }) => `Matches ${group}/${matchName} and ${group2}/${matchName2} overlap${onPort} with different sources, and the requests both match cannot be written as one HTTPRoute match (two regular expressions, neither inside the other, or two different patterns for one header): for those requests Linkerd checks only the winning route's sources.`,
  },
  'traffic-target/overlap-intersection': {
    severity: 'info',
    title: 'Overlapping routes get an intersection route with both sides\' sources',
    remediation: 'OSM allowed a request when any matching route allowed the source; Linkerd checks only the route that wins. The requests two overlapping matches both accept get their own HTTPRoute, inside both (so it wins them), authorized for the sources of both. Nothing to do; keep the generated route together with the two it comes from.',
    message: ({ group, matchName, group2, matchName2, onPort, describeMatch }: { group: string; matchName: string; group2: string; matchName2: string; onPort: string; describeMatch: string }) => `Matches ${group}/${matchName} and ${group2}/${matchName2} overlap${onPort} with different sources: the requests both match get a route of their own (${describeMatch}) that admits the sources of both, as OSM did.`,
  },
  'traffic-target/prefix-as-regex': {
    severity: 'info',
    title: 'Contained prefix route written as a regular expression so it wins',
    remediation: 'Linkerd ranks a RegularExpression or Exact path by the whole request path and a PathPrefix by the prefix\'s own length, so a PathPrefix route inside a broader regular-expression route would lose every longer path and its sources would get 403. The inner route is emitted as the equivalent anchored regular expression: both then tie on the path and the name decides (the inner route\'s name sorts first). Keep the generated names.',
    message: ({ group, matchName, stringify, outer, onPort, regex }: { group: string; matchName: string; stringify: string; outer: string; onPort: string; regex: string }) => `Match ${group}/${matchName} (pathRegex ${stringify}) lies inside ${outer}${onPort}. As a PathPrefix it would lose every longer path to that route (Linkerd ranks a regular expression by the whole path, a prefix by its own length), and its own sources would get 403: it is emitted as RegularExpression ${regex}, which ties on the path and wins by name.`,
  },
  'traffic-target/empty-header-value': {
    severity: 'info',
    title: 'Empty header value matched with a regular expression',
    remediation: 'OSM matched the header with the full-match regex "", which accepts only an empty value of a header that is present. An HTTPRoute header value must not be empty (minLength 1), so the match is written as RegularExpression ^$, which accepts exactly the same values. Nothing to do.',
    message: ({ label, name }: { label: string; name: string }) => `${label} requires header ${name} with an empty value: the HTTPRoute matches it with RegularExpression ^$ (an Exact value must not be empty).`,
  },
  'traffic-target/grpc-port': {
    severity: 'info',
    title: 'gRPC port served as HTTP/2 with HTTPRoutes',
    remediation: 'OSM handled grpc ports like HTTP, matching pathRegex against /package.Service/Method. The Server uses proxyProtocol HTTP/2 so HTTPRoutes keep applying (a gRPC Server would ignore them).',
    message: ({ port, workloadName, via, server }: { port: number; workloadName: string; via: string; server: string }) => `Port ${port} of ${workloadName} is grpc (${via}): Server ${server} uses proxyProtocol HTTP/2 so its HTTPRoutes apply.`,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = {
  ...trafficTargetFindings,
  ...pick(accessModelFindings, 'traffic-target/unserved-version', 'traffic-target/destination-port-ignored', 'traffic-target/rule-without-matches', 'traffic-target/invalid-rule-kind', 'traffic-target/namespace-mismatch', 'traffic-target/namespace-condition', 'traffic-target/route-group-not-found', 'traffic-target/tcp-route-not-found', 'traffic-target/match-name-not-found', 'traffic-target/source-kind-unsupported', 'traffic-target/source-namespace-missing'),
  ...pick(probeFindings, 'probes/open-to-all-networks', 'probes/overlaps-route'),
  ...pick(routeMatchFindings, 'traffic-target/path-regex-translated', 'traffic-target/path-never-matches', 'traffic-target/path-regex-invalid', 'traffic-target/path-not-expressible', 'traffic-target/host-header'),
};

export const finding = finderFor(raises);
