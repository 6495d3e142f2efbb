import type { Severity } from './finding.ts';

export interface CatalogueEntry {
  readonly severity: Severity;
  readonly title: string;
  /** What to do about it: the default remediation text of every finding with this id. */
  readonly remediation: string;
}

/**
 * Every finding id the tool can raise, in one place. Ids are `<stage-or-rule>/<what>`, stable across releases:
 * review comments, SARIF results and `/osm2linkerd explain` refer to them. docs/findings.md is generated from this.
 */
export const catalogue = {
  'load/yaml-syntax-error': {
    severity: 'error',
    title: 'File is not valid YAML',
    remediation: 'Fix the YAML syntax at the given line; the rest of the repository was still migrated, this file was not.',
  },
  'load/helm-template-osm-reference': {
    severity: 'warning',
    title: 'Helm template hard-codes OSM configuration',
    remediation: 'This template line mentions OSM (an openservicemesh.io key or an SMI kind). Replace it by hand with the Linkerd equivalent shown in the README table.',
  },
  'load/namespace-unknown': {
    severity: 'warning',
    title: 'Namespace of an object is unknown',
    remediation: 'Set metadata.namespace, or list the file in a kustomization.yaml that sets namespace:. The translation does not assume "default".',
  },
  'load/namespace-ambiguous': {
    severity: 'warning',
    title: 'Object is deployed to several namespaces',
    remediation: 'Several kustomizations place this object in different namespaces. Generated resources omit metadata.namespace so each overlay sets it; check that the identities they name exist in every overlay.',
  },
  'load/unexpanded-variable': {
    severity: 'warning',
    title: 'Unexpanded variable in a namespace or name',
    remediation: 'The manifest contains a shell or template variable ($VAR, ${VAR}). Substitute it before migrating, or check the generated names by hand.',
  },
  'mesh-mode/assumed-smi': {
    severity: 'warning',
    title: 'No MeshConfig found: SMI (deny-by-default) mode assumed',
    remediation: 'The repository has TrafficTargets but no MeshConfig. OSM v1.2 installs default to permissive mode, earlier ones to SMI mode. Confirm with `kubectl get meshconfig osm-mesh-config -n osm-system -o jsonpath={.spec.traffic.enablePermissiveTrafficPolicyMode}` and set the mode option (`--mesh-mode`) if it was permissive.',
  },
  'mesh-mode/permissive-audit': {
    severity: 'warning',
    title: 'Permissive mode: TrafficTargets translated in audit mode',
    remediation: 'OSM ignored TrafficTargets in permissive mode. The generated Servers use accessPolicy: audit, so nothing is denied yet; watch the proxy logs for authz.name=audit, then switch to deny when the policies are right.',
  },
  'mesh-mode/audit-unavailable': {
    severity: 'warning',
    title: 'Permissive mode on a Linkerd without audit: TrafficTargets not translated',
    remediation: 'OSM ignored TrafficTargets in permissive mode, and Linkerd before 2.16 has no audit mode, so enforcing them would deny traffic OSM allowed. Target Linkerd 2.16+ to get audit-mode policies, or switch the mode to smi to enforce them.',
  },
  'mesh-mode/default-deny': {
    severity: 'info',
    title: 'Default-deny kept with config.linkerd.io/default-inbound-policy: deny',
    remediation: 'OSM in SMI mode denied every request no TrafficTarget allowed; Linkerd allows all by default. The annotation keeps the namespace deny-by-default. Pods must be restarted to pick it up.',
  },
  'mesh-mode/default-deny-unplaced': {
    severity: 'warning',
    title: 'Default-deny could not be placed on a Namespace manifest',
    remediation: 'The namespace has no manifest in the repository, so the annotation was added to each meshed pod template instead. Prefer setting config.linkerd.io/default-inbound-policy: deny on the Namespace so new workloads inherit it.',
  },
  'traffic-target/unserved-version': {
    severity: 'warning',
    title: 'TrafficTarget API version never served by OSM',
    remediation: 'OSM v0.7+ serves only access.smi-spec.io/v1alpha3; this object would have been rejected (or belongs to another mesh). It was translated as if it were v1alpha3: check that this is what you want.',
  },
  'traffic-target/destination-port-ignored': {
    severity: 'warning',
    title: 'destination.port was pruned by OSM: all ports were allowed',
    remediation: 'OSM removed spec.destination.port (it is not in the v1alpha3 schema), so the sources reached every port of the destination. The translation keeps that. To restrict ports, scope them with TCPRoute matches.ports before migrating or edit the generated Servers.',
  },
  'traffic-target/rule-without-matches': {
    severity: 'warning',
    title: 'HTTPRouteGroup rule without matches allowed nothing',
    remediation: 'OSM iterates over rule.matches, so a rule with none allowed no HTTP route (the SMI spec says the opposite). Nothing is generated for it. List the match names you meant to allow.',
  },
  'traffic-target/invalid-rule-kind': {
    severity: 'error',
    title: 'Rule kind disables the whole TrafficTarget',
    remediation: 'OSM ignores a TrafficTarget with any rule that is not HTTPRouteGroup or TCPRoute (for example UDPRoute): it allowed nothing, so nothing is generated. Remove the rule if the TrafficTarget was meant to work.',
  },
  'traffic-target/http-rules-on-tcp-port': {
    severity: 'info',
    title: 'HTTPRouteGroup rules do not apply to a TCP port',
    remediation: 'On tcp / tcp-server-first ports OSM enforced only identities and ports. The generated Server is opaque and authorized at server level, as OSM did.',
  },
  'traffic-target/tcp-route-port-scope': {
    severity: 'info',
    title: 'TCPRoute ports scope the TrafficTarget',
    remediation: 'OSM applied TCPRoute matches.ports to every port of the destination: sources of this TrafficTarget reach only those ports (HTTP rules included). The generated authorizations follow that.',
  },
  'traffic-target/port-not-exposed': {
    severity: 'info',
    title: 'Container port exposed by no Service: unreachable through OSM',
    remediation: 'OSM built inbound chains only for Service target ports, so nothing reached this port through the mesh. No Server is generated; under the default-deny policy Linkerd refuses it too (kubelet probes excepted).',
  },
  'traffic-target/destination-without-workload': {
    severity: 'error',
    title: 'Destination ServiceAccount has no workload in the repository',
    remediation: 'No Deployment, StatefulSet, DaemonSet, Pod, Job, CronJob or Rollout in the repository runs as this ServiceAccount. Routes and authorizations were generated against a Server you must create: copy the Server in the message, set its podSelector and port.',
  },
  'traffic-target/namespace-mismatch': {
    severity: 'warning',
    title: 'TrafficTarget namespace differs from its destination namespace',
    remediation: 'OSM drops a TrafficTarget whose metadata.namespace is not spec.destination.namespace, so it allowed nothing and nothing is generated. Move it to the destination namespace if it was meant to work.',
  },
  'traffic-target/route-group-not-found': {
    severity: 'error',
    title: 'Referenced HTTPRouteGroup not found',
    remediation: 'OSM looks up rules in the TrafficTarget namespace; this group is not in the repository there, so its matches allowed nothing. Add the HTTPRouteGroup to the repository and migrate again.',
  },
  'traffic-target/tcp-route-not-found': {
    severity: 'error',
    title: 'Referenced TCPRoute not found',
    remediation: 'OSM leaves a TrafficTarget whose TCPRoute is missing out of its L4 authorization, so its sources were denied. Nothing is generated for it. Add the TCPRoute (same namespace) and migrate again.',
  },
  'traffic-target/match-name-not-found': {
    severity: 'warning',
    title: 'Rule names a match the HTTPRouteGroup does not have',
    remediation: 'OSM drops unknown match names silently, so this name allowed nothing. Fix the name or remove it.',
  },
  'traffic-target/source-kind-unsupported': {
    severity: 'warning',
    title: 'Source is not a ServiceAccount',
    remediation: 'OSM only honoured ServiceAccount sources; this one allowed nothing and is not translated.',
  },
  'traffic-target/source-namespace-missing': {
    severity: 'error',
    title: 'Source ServiceAccount has no namespace',
    remediation: 'OSM built the identity <sa>.<namespace> from the source, so a missing namespace matched no client. Nothing is generated for this source; set sources[].namespace.',
  },
  'traffic-target/unreferenced-spec': {
    severity: 'info',
    title: 'HTTPRouteGroup or TCPRoute used by no TrafficTarget',
    remediation: 'Route specs grant nothing by themselves: only a TrafficTarget (or an Egress / TrafficSplit match, reported by their own rules) gives them effect. Nothing is generated from it; delete it with the rest of the OSM configuration.',
  },
  'traffic-target/path-regex-translated': {
    severity: 'info',
    title: 'pathRegex translated to an anchored RegularExpression',
    remediation: 'OSM matched pathRegex as a full-match RE2 regex on the path without query string. The HTTPRoute uses ^(?:regex)$ so Linkerd\'s span check gives the same answer. Simplify it to Exact or PathPrefix if that is what you meant.',
  },
  'traffic-target/path-never-matches': {
    severity: 'warning',
    title: 'pathRegex can never match a request path',
    remediation: 'Request paths start with "/", and OSM required the whole path to match. This match allowed nothing in OSM and is not translated.',
  },
  'traffic-target/path-regex-invalid': {
    severity: 'error',
    title: 'pathRegex is not a valid RE2 regular expression',
    remediation: 'Envoy rejected this route, so it allowed nothing in OSM; nothing is generated. Fix the expression if it was meant to work.',
  },
  'traffic-target/path-not-expressible': {
    severity: 'error',
    title: 'pathRegex cannot be expressed in the target Linkerd',
    remediation: 'The expression uses RE2 syntax the Rust regex engine of the Linkerd proxy rejects (such as \\C or \\Q…\\E). Nothing is generated for this match: rewrite it with plain regex syntax.',
  },
  'traffic-target/host-header': {
    severity: 'warning',
    title: 'host header match',
    remediation: 'OSM matched the host header against :authority with a full-match regex. The HTTPRoute keeps a header match on host; HTTP/2 clients send :authority instead, so check this route with HTTP/2 and gRPC clients or use spec.hostnames.',
  },
  'traffic-target/overlapping-routes': {
    severity: 'warning',
    title: 'Overlapping routes with different sources',
    remediation: 'OSM allowed a request when any matching route allowed the source; Linkerd authorizes against the one most specific route. Requests that match both routes are allowed only to the sources of the winning route. Merge the matches or give both routes the same sources.',
  },
  'traffic-target/server-conflict': {
    severity: 'error',
    title: 'Two Servers would select the same pod port',
    remediation: 'Workloads share a pod selector, so their Servers overlap; Linkerd honours only one (the oldest from 2.18, undefined before). Give the workloads distinct selector labels, or merge the Servers.',
  },
  'traffic-target/grpc-port': {
    severity: 'info',
    title: 'gRPC port served as HTTP/2 with HTTPRoutes',
    remediation: 'OSM handled grpc ports like HTTP, matching pathRegex against /package.Service/Method. The Server uses proxyProtocol HTTP/2 so HTTPRoutes keep applying (a gRPC Server would ignore them).',
  },
  'probes/open-to-all-networks': {
    severity: 'warning',
    title: 'Probe paths reachable without authentication',
    remediation: 'OSM served kubelet probes on dedicated listeners reachable by anyone who could reach the pod. The generated probe authorization admits any network because the node CIDRs are not known. Set probeNetworks (--probe-networks) to your node CIDRs to narrow it.',
  },
  'probes/tcp-probe-always-passes': {
    severity: 'warning',
    title: 'TCP probe will always pass once the pod is meshed',
    remediation: 'The Linkerd proxy accepts every inbound TCP connection itself, so a tcpSocket probe succeeds while the proxy is up even if the application is down (linkerd/linkerd2#7777). OSM turned TCP probes into HTTP checks of the real port. Switch the probe to httpGet, grpc or exec.',
  },
  'probes/overlaps-route': {
    severity: 'warning',
    title: 'Probe path also matched by a translated route',
    remediation: 'A translated route matches the kubelet probe request as specifically as the generated probe route, and Linkerd picks one of them by creation time. The probe route authorizes both the probe networks and that route\'s sources; if the other route wins, probes are refused. Make the OSM route more specific or exclude the probe path.',
  },
  'traffic-split/translated': {
    severity: 'info',
    title: 'TrafficSplit translated to a weighted HTTPRoute',
    remediation: 'Clients now split by the HTTPRoute on the apex Service. It has a single rule without matches, so every request is routed (a Service with an HTTPRoute refuses requests no rule matches). A split grants no access: the TrafficTargets still decide who may call the backends.',
  },
  'traffic-split/linkerd-smi-extension': {
    severity: 'warning',
    title: 'TrafficSplit kept for the linkerd-smi extension',
    remediation: 'Install linkerd-smi (linkerd smi install | kubectl apply -f -). It turns TrafficSplits into ServiceProfiles, which override HTTPRoutes, retries and timeouts on that Service: do not add HTTPRoutes to the apex Service.',
  },
  'traffic-split/never-served-version': {
    severity: 'warning',
    title: 'TrafficSplit version never served by upstream OSM',
    remediation: 'Upstream OSM served only split.smi-spec.io/v1alpha2 (v1alpha3/v1alpha4 matches work only on the osm-edge fork; v1alpha1 weights are quantities). The translation follows the object as written: check the result.',
  },
  'traffic-split/apex-service-not-found': {
    severity: 'error',
    title: 'Apex Service of the TrafficSplit not found',
    remediation: 'The route needs the apex Service port. Add the Service to the repository, or complete the HTTPRoute in the message by hand.',
  },
  'traffic-split/backend-port-mismatch': {
    severity: 'warning',
    title: 'Backend does not expose the apex port: OSM ignored it',
    remediation: 'OSM skipped backends that do not expose the root Service port. The backend is left out of the route as well; expose the port if it should receive traffic.',
  },
  'traffic-split/invalid-weights': {
    severity: 'error',
    title: 'TrafficSplit weights sum to less than 1',
    remediation: 'OSM could not build a weighted cluster (total weight must be >= 1), so the split was broken. Nothing is generated: set positive weights.',
  },
  'traffic-split/duplicate-apex': {
    severity: 'warning',
    title: 'Several TrafficSplits for one apex Service',
    remediation: 'OSM used only the first TrafficSplit per apex Service. Only that one is translated; delete the others.',
  },
  'traffic-split/unsupported-target': {
    severity: 'warning',
    title: 'Target Linkerd cannot split with HTTPRoutes',
    remediation: 'Weighted HTTPRoute backendRefs with a Service parent exist from Linkerd 2.13. The TrafficSplit is kept for the linkerd-smi extension instead.',
  },
  'injection/annotation-rewritten': {
    severity: 'info',
    title: 'OSM annotation rewritten to its Linkerd equivalent',
    remediation: 'The line now carries the Linkerd annotation. Annotations take effect when pods are re-created: roll the workloads after merging.',
  },
  'injection/invalid-value': {
    severity: 'error',
    title: 'Invalid openservicemesh.io/sidecar-injection value',
    remediation: 'OSM failed pod admission on this value, so it is not translated. Use enabled or disabled.',
  },
  'injection/monitored-by-removed': {
    severity: 'info',
    title: 'openservicemesh.io/monitored-by label removed',
    remediation: 'Linkerd has no mesh membership label; injection alone decides what is meshed. The label was removed.',
  },
  'injection/metrics-removed': {
    severity: 'info',
    title: 'openservicemesh.io/metrics annotation removed',
    remediation: 'Linkerd proxies always expose metrics on port 4191 (/metrics); scrape them with linkerd-viz or your Prometheus. The annotation was removed.',
  },
  'injection/ignore-label': {
    severity: 'warning',
    title: 'openservicemesh.io/ignore label removed',
    remediation: 'The namespace was excluded from OSM injection. The label was removed; add linkerd.io/inject: disabled to the namespace if it must stay out of the mesh.',
  },
  'injection/skip-inbound-replaces-defaults': {
    severity: 'info',
    title: 'skip-inbound-ports replaces Linkerd\'s default list',
    remediation: 'config.linkerd.io/skip-inbound-ports replaces the install default (4567,4568) instead of adding to it. Keep those ports in the list if the pod serves them.',
  },
  'injection/ip-range-inclusion-unsupported': {
    severity: 'warning',
    title: 'outbound-ip-range-inclusion-list has no Linkerd equivalent',
    remediation: 'Linkerd can only skip subnets (config.linkerd.io/skip-subnets), not restrict interception to a list. Compute the complement and set skip-subnets, or accept that all outbound traffic is proxied.',
  },
  'injection/annotation-not-on-pod': {
    severity: 'warning',
    title: 'OSM pod annotation outside the pod template had no effect',
    remediation: 'OSM read this annotation only on pods (spec.template.metadata.annotations). It did nothing here and is removed; set the Linkerd annotation on the pod template if it is needed.',
  },
  'injection/proxy-uuid-label': {
    severity: 'info',
    title: 'osm-proxy-uuid label removed',
    remediation: 'The OSM injector adds this label to pods; a copy in a manifest is stale. It was removed.',
  },
  'plan/edit-failed': {
    severity: 'warning',
    title: 'A change could not be made losslessly',
    remediation: 'The tool edits existing files only where it can keep every other byte as it was. This one is written in a style it does not edit (flow mapping, alias, complex key): make the change in the message by hand.',
  },
  'service-ports/app-protocol-rewritten': {
    severity: 'info',
    title: 'OSM appProtocol rewritten for Linkerd 2.18+',
    remediation: 'From 2.18 Linkerd clients read appProtocol, and every value but http, kubernetes.io/h2c, linkerd.io/opaque and linkerd.io/tcp means opaque TCP. The port now carries the Linkerd value with the same meaning; keep it if you downgrade below 2.18 (older versions ignore it).',
  },
  'service-ports/server-first-opaque': {
    severity: 'info',
    title: 'Server-speaks-first port marked opaque',
    remediation: 'OSM skipped protocol sniffing on tcp-server-first ports. Linkerd needs config.linkerd.io/opaque-ports for the same (on the Service for clients; the Server generated for the pods is opaque too). Without it, connections stall until detection times out.',
  },
  'service-ports/already-opaque': {
    severity: 'info',
    title: 'Server-speaks-first port already opaque by default',
    remediation: 'Linkerd treats 25, 587, 3306, 4444, 5432, 6379, 9300 and 11211 as opaque unless the install changes proxy.opaquePorts. Nothing to add; keep it in mind if your install overrides the list.',
  },
  'service-ports/unsupported-protocol': {
    severity: 'warning',
    title: 'appProtocol OSM could not program',
    remediation: 'OSM built no inbound chain for this appProtocol (for example https or h2c), so nothing reached the port through the mesh. Linkerd will proxy it: check that this is wanted, or skip the port with config.linkerd.io/skip-inbound-ports.',
  },
  'surroundings/network-policy': {
    severity: 'warning',
    title: 'NetworkPolicy opened for OSM',
    remediation: 'Allow Linkerd instead: proxy egress to the linkerd namespace (destination 8086, identity 8080, policy 8090), ingress to the proxy port 4143 from meshed clients and to 4191 for probes and metrics. Remove the OSM ports (15128 xDS, 15010 metrics, 15901-15904 probes) after OSM is uninstalled.',
  },
  'surroundings/ingress': {
    severity: 'warning',
    title: 'Ingress configured for OSM sidecar TLS',
    remediation: 'With Linkerd, mesh the ingress controller (linkerd.io/inject: ingress on its pods) and let it talk plain HTTP to the backends: remove backend-protocol HTTPS, proxy_ssl_* and the OSM client-certificate secret from the Ingress.',
  },
  'surroundings/gitops-install': {
    severity: 'warning',
    title: 'GitOps object installs OSM',
    remediation: 'Add Linkerd (linkerd-crds and linkerd-control-plane Helm charts, with your trust anchor and issuer) next to it, migrate the workloads, then remove this object to uninstall OSM.',
  },
  'surroundings/crd': {
    severity: 'info',
    title: 'SMI or OSM CRD in the repository',
    remediation: 'Delete the CRD once no object of its group remains; linkerd-smi installs its own TrafficSplit CRD when you keep TrafficSplits.',
  },
  'surroundings/flagger-provider': {
    severity: 'warning',
    title: 'Flagger canary uses the OSM provider',
    remediation: 'Switch spec.provider to gatewayapi:v1 (HTTPRoute weights, Linkerd 2.18+) or linkerd (TrafficSplit through linkerd-smi), and mesh the Flagger load tester.',
  },
  'unhandled/osm-kind': {
    severity: 'warning',
    title: 'OSM or SMI kind not translated',
    remediation: 'No rule of this version translates this kind; the object is kept and must be migrated by hand (see the README table).',
  },
  'unhandled/osm-annotation': {
    severity: 'warning',
    title: 'OSM annotation or label not translated',
    remediation: 'No rule translates this key; it is left in place. Remove it or replace it by hand.',
  },
  'verify/uncovered-difference': {
    severity: 'error',
    title: 'Linkerd would decide a request differently and no finding explains it',
    remediation: 'This is a translator bug: the generated policy allows or denies a request OSM did not. Do not merge; report it with the repository layout.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type FindingId = keyof typeof catalogue;

export function isFindingId(value: string): value is FindingId {
  return Object.hasOwn(catalogue, value);
}
