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
    remediation: 'Fix the YAML syntax at the given line and run the migration again. This file was not edited (the OSM objects in its valid documents were still translated into new files, and the originals stay until it parses); the rest of the repository was migrated.',
  },
  'load/helm-template-osm-reference': {
    severity: 'warning',
    title: 'Helm template hard-codes OSM configuration',
    remediation: 'This template line mentions OSM (an openservicemesh.io key or an SMI kind). Replace it by hand with the Linkerd equivalent shown in the README table.',
  },
  'load/namespace-unknown': {
    severity: 'warning',
    title: 'Namespace of an object is unknown',
    remediation: 'Set metadata.namespace, list the file in a kustomization.yaml that sets namespace:, or deploy it from a Flux Kustomization with targetNamespace or an Argo CD Application with destination.namespace. The translation does not assume "default", nor the namespace a script passes to kubectl -n: the generated resources carry no namespace either, so apply them exactly where you apply their source.',
  },
  'load/namespace-overridden': {
    severity: 'info',
    title: 'A kustomization overrides the namespace an object names',
    remediation: 'kustomize replaces metadata.namespace with the kustomization\'s namespace:, so the generated resources follow the kustomization. If this file is also applied without kustomize, the two deployments differ: remove one of the namespaces.',
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
  'kustomize/entry-outside-repository': {
    severity: 'warning',
    title: 'A kustomization lists a path outside the repository',
    remediation: 'The entry climbs above the repository root (`../`), so neither what it deploys nor the namespace it gets can be read, and nothing there is translated. Migrate that repository too, or vendor the base into this one.',
  },
  'kustomize/patch-not-exact': {
    severity: 'warning',
    title: 'A kustomize patch cannot be applied exactly',
    remediation: 'The migration could not compute what this patch makes of its target (an unsupported patch directive, selector or operation, or a path that does not exist). The overlay\'s translation is not computed from it: translate what the overlay deploys by hand, or rewrite the patch as a plain strategic-merge or JSON 6902 add/replace/remove.',
  },
  'kustomize/patch-target-missing': {
    severity: 'warning',
    title: 'A kustomize patch matches nothing the kustomization builds',
    remediation: 'kustomize fails on a patch whose target it cannot find (before and after the migration). Fix the patch\'s name/namespace or target selector.',
  },
  'kustomize/overlay-translated': {
    severity: 'info',
    title: 'An overlay patches an OSM object: its translation is patched too',
    remediation: 'What the overlay deploys is its base with its patches applied. The Linkerd resources of the patched object are patched the same way in the generated patch file the overlay now lists; review both the base and the overlay output.',
  },
  'load/symlink-not-read': {
    severity: 'info',
    title: 'Symbolic link not read and not written',
    remediation: 'A symbolic link can point outside the repository, so it is never read as a manifest and never written through. If it names a manifest OSM applied, migrate the file it points to (or replace the link by the file) and run the migration again.',
  },
  'load/submodule-not-read': {
    severity: 'info',
    title: 'Submodule not read',
    remediation: 'A submodule is another repository: its manifests are not read and nothing is written into it. Run the migration on that repository itself.',
  },
  'load/file-too-large': {
    severity: 'warning',
    title: 'Manifest too large to read',
    remediation: 'Files over 1 MiB are not read, so OSM configuration in this file (if any) was not migrated and the file is left untouched. Split it into smaller files, or migrate it by hand.',
  },
  'load/binary-file': {
    severity: 'warning',
    title: 'File holds NUL bytes: not read',
    remediation: 'A file with NUL bytes is binary, not YAML or JSON: it was not read and is left untouched. If it is a manifest (e.g. saved as UTF-16), convert it to UTF-8 and run the migration again.',
  },
  'load/invalid-utf8': {
    severity: 'warning',
    title: 'File is not valid UTF-8: not read',
    remediation: 'The file holds bytes that are not UTF-8. Editing it would replace them on lines the migration did not mean to change, so it was not read and is left untouched. Re-encode it as UTF-8 and run the migration again.',
  },
  'load/alias-limit': {
    severity: 'error',
    title: 'Document expands too many YAML aliases',
    remediation: 'The document expands more aliases (*name) than the tool accepts (a guard against alias bombs), so it was not read: its OSM configuration was not migrated. Write the repeated values out or use fewer aliases.',
  },
  'load/invalid-number': {
    severity: 'error',
    title: 'Non-finite, negative or absurd number in an OSM field',
    remediation: 'OSM fields hold small non-negative numbers (ports, weights, counts, durations). This value (.inf, .nan, a negative number or one beyond any real setting) cannot be what OSM applied; the API server rejects or overflows it. Fix the value and run the migration again; the translation treated it as missing.',
  },
  'inventory/namespace-from-deployment-unit': {
    severity: 'info',
    title: 'Namespace given by a Flux Kustomization or an Argo CD Application',
    remediation: 'The object names no namespace (or Flux overrides it) and the GitOps entry point that deploys it sets one: the translation uses it, and the generated resources omit metadata.namespace so the same entry point places them. If the file is also applied some other way, set metadata.namespace.',
  },
  'inventory/object-in-several-files': {
    severity: 'warning',
    title: 'One object is defined in several files',
    remediation: 'Documents with the same kind, namespace and name in different files are versions of one Kubernetes object (canary stages applied in turn, an archived copy): whichever is applied last is live. Each file is translated in place with the same resource names, so applying a generated file replaces the previous version as applying its source did. Keep only the versions you still apply.',
  },
  'inventory/script-namespace-not-evidence': {
    severity: 'info',
    title: 'A script applies the file with kubectl -n: not evidence of its namespace',
    remediation: 'A script may apply a file once per namespace, with a variable, or not at all, so its `kubectl -n` places nothing: the object keeps an unknown namespace and its Linkerd resources carry none, so they land where the file is applied. Apply the generated file with the same command, or set metadata.namespace.',
  },
  'inventory/not-deployed': {
    severity: 'info',
    title: 'Nothing in the repository deploys this file',
    remediation: 'No kustomization root, Flux Kustomization path, Argo CD Application path or Helm chart reaches this file (an archive, an example). It is translated in place, but it decides nothing for the files that are deployed. Delete it if it is obsolete; if something outside the repository applies it, check the findings of its translation.',
  },
  'mesh-mode/assumed-smi': {
    severity: 'warning',
    title: 'No MeshConfig found: SMI (deny-by-default) mode assumed',
    remediation: 'The repository has TrafficTargets but no MeshConfig. OSM v1.2 installs default to permissive mode, earlier ones to SMI mode. Confirm with `kubectl get meshconfig osm-mesh-config -n osm-system -o jsonpath={.spec.traffic.enablePermissiveTrafficPolicyMode}` and set the mode option (`--mesh-mode`) if it was permissive.',
  },
  'mesh-mode/permissive-audit': {
    severity: 'warning',
    title: 'Permissive mode: TrafficTargets translated in audit mode (wider than OSM)',
    remediation: 'Chosen with permissiveAccess: audit. OSM ignored TrafficTargets in permissive mode but refused plaintext and unmeshed clients (they match no inbound mesh chain). The generated Servers use accessPolicy: audit, which admits every client, so clients OSM refused are admitted too. Watch the proxy logs for authz.name=audit, then switch the Servers to deny when the policies are right; the default, permissiveAccess: exact, admits only meshed clients, as OSM did.',
  },
  'mesh-mode/permissive-authenticated': {
    severity: 'info',
    title: 'Permissive mode kept exactly: TrafficTarget Servers with accessPolicy: all-authenticated',
    remediation: 'OSM ignored TrafficTargets in permissive mode, let every meshed client reach every route and refused plaintext clients. The generated Servers use accessPolicy: all-authenticated, which admits the same clients, plus a catch-all route so no request is answered 404. The translated AuthorizationPolicies take effect once accessPolicy is switched to deny (OSM\'s SMI mode); permissiveAccess: audit logs what they would deny instead, but also admits plaintext clients.',
  },
  'mesh-mode/audit-unavailable': {
    severity: 'warning',
    title: 'Permissive mode on a Linkerd without audit: TrafficTargets not translated',
    remediation: 'OSM ignored TrafficTargets in permissive mode, and Linkerd before 2.16 has no audit mode, so enforcing them would deny traffic OSM allowed. Target Linkerd 2.16+ to get audit-mode policies, or switch the mode to smi to enforce them.',
  },
  'mesh-mode/access-policy-unavailable': {
    severity: 'info',
    title: 'Permissive mode on a Linkerd without Server accessPolicy: TrafficTargets not translated',
    remediation: 'OSM ignored TrafficTargets in permissive mode. Before 2.16 a Server has no accessPolicy, so a Server translated from them would deny the meshed clients OSM admitted. No Server is generated: the namespace or pod default config.linkerd.io/default-inbound-policy: all-authenticated (mesh-mode/default-authenticated) admits every meshed client and no plaintext one, as OSM did. Target Linkerd 2.16+ to get the TrafficTargets translated, or switch the mode to smi to enforce them.',
  },
  'mesh-mode/default-deny': {
    severity: 'info',
    title: 'Default-deny kept with config.linkerd.io/default-inbound-policy: deny',
    remediation: 'OSM in SMI mode denied every request no TrafficTarget allowed; Linkerd allows all by default. The annotation keeps the namespace deny-by-default. Pods must be restarted to pick it up.',
  },
  'mesh-mode/default-authenticated': {
    severity: 'info',
    title: 'Permissive mode kept: config.linkerd.io/default-inbound-policy: all-authenticated',
    remediation: 'OSM in permissive mode let every meshed client in and refused plaintext clients (no inbound mesh chain); Linkerd\'s install default also admits unmeshed clients. The annotation keeps ports without a Server to meshed clients. Pods must be restarted to pick it up.',
  },
  'mesh-mode/default-deny-unplaced': {
    severity: 'warning',
    title: 'Default inbound policy could not be placed on a Namespace manifest',
    remediation: 'The namespace has no manifest in the repository, so config.linkerd.io/default-inbound-policy was added to each meshed pod template instead. Prefer setting it on the Namespace so new workloads inherit it.',
  },
  'traffic-target/unserved-version': {
    severity: 'warning',
    title: 'TrafficTarget API version never served by OSM',
    remediation: 'OSM v0.7+ serves only access.smi-spec.io/v1alpha3; this object would have been rejected (or belongs to another mesh). It was translated as if it were v1alpha3: check that this is what you want.',
  },
  'traffic-target/too-many-matches': {
    severity: 'error',
    title: 'Too many HTTP route matches for one destination',
    remediation: 'The tool analyses at most 250 HTTPRouteGroup matches per destination ServiceAccount (each is compared with every other for Linkerd\'s route precedence). The matches past the limit were not translated: merge matches (one pathRegex can cover many paths), or write the remaining HTTPRoutes by hand.',
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
  'traffic-target/namespace-condition': {
    severity: 'warning',
    title: 'TrafficTarget without a namespace: OSM honoured it only in its destination namespace',
    remediation: 'OSM dropped a TrafficTarget applied in any namespace but spec.destination.namespace. The generated resources carry no namespace, like their source: apply the generated file only in the destination namespace (where the source took effect), or set metadata.namespace on both.',
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
  'traffic-target/overlap-intersection': {
    severity: 'info',
    title: 'Overlapping routes get an intersection route with both sides\' sources',
    remediation: 'OSM allowed a request when any matching route allowed the source; Linkerd checks only the route that wins. The requests two overlapping matches both accept get their own HTTPRoute, inside both (so it wins them), authorized for the sources of both. Nothing to do; keep the generated route together with the two it comes from.',
  },
  'traffic-target/prefix-as-regex': {
    severity: 'info',
    title: 'Contained prefix route written as a regular expression so it wins',
    remediation: 'Linkerd ranks a RegularExpression or Exact path by the whole request path and a PathPrefix by the prefix\'s own length, so a PathPrefix route inside a broader regular-expression route would lose every longer path and its sources would get 403. The inner route is emitted as the equivalent anchored regular expression: both then tie on the path and the name decides (the inner route\'s name sorts first). Keep the generated names.',
  },
  'traffic-target/empty-header-value': {
    severity: 'info',
    title: 'Empty header value matched with a regular expression',
    remediation: 'OSM matched the header with the full-match regex "", which accepts only an empty value of a header that is present. An HTTPRoute header value must not be empty (minLength 1), so the match is written as RegularExpression ^$, which accepts exactly the same values. Nothing to do.',
  },
  'traffic-target/server-conflict': {
    severity: 'error',
    title: 'Two Servers would select the same pod port',
    remediation: 'Workloads share a pod selector, so their Servers overlap; Linkerd honours only one (the oldest from 2.18, undefined before). Give the workloads distinct selector labels, or merge the Servers.',
  },
  'server-selection/narrowed': {
    severity: 'info',
    title: 'Server selector narrowed to keep other pods off it',
    remediation: 'The workload\'s spec.selector also selects the pods of another workload in the namespace, so a Server built from it alone would carry this workload\'s authorizations to them. The generated Server adds labels of this workload\'s pod template (or DoesNotExist conditions on labels the others carry); keep those labels on the pod template, or give the workloads selectors that do not overlap.',
  },
  'server-selection/selects-other-identity': {
    severity: 'error',
    title: 'No Server: its selector would reach pods of another ServiceAccount',
    remediation: 'OSM authorized clients per pod ServiceAccount; a Server selecting this workload\'s pods would also select another workload\'s pods (running as another ServiceAccount) and nothing in the pod templates tells them apart, so its authorizations would reach pods OSM protected. The Server and its routes and policies are not generated, and the port keeps the default inbound policy (its clients are refused). Add a label that only this workload\'s pods carry (e.g. app.kubernetes.io/name) to its pod template and selector, then run the migration again.',
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
  'ingress-backend/rejected-by-osm': {
    severity: 'warning',
    title: 'IngressBackend that never took effect in OSM',
    remediation: 'OSM\'s admission webhook refuses an IngressBackend with a port.protocol other than http or https, an https backend skipping client certificate validation without an AuthenticatedPrincipal, a Service source without namespace, an IPRange that is not a CIDR, or a backend another IngressBackend already claims; a later document with the same name replaces an earlier one; OSM never injected in a namespace labelled openservicemesh.io/ignore, so an IngressBackend there, or one whose only sources are Services there, did nothing. It allowed nothing, so nothing is generated. Fix it if it was meant to work.',
  },
  'ingress-backend/backend-not-found': {
    severity: 'error',
    title: 'Backend Service of an IngressBackend has no pods in the repository',
    remediation: 'The Service (or the workloads it selects) is not in the repository, so the Server for its pods cannot be generated. The AuthorizationPolicies target the Server named in the message: create it from the snippet (podSelector = the Service selector, port = port.number).',
  },
  'ingress-backend/port-not-target-port': {
    severity: 'warning',
    title: 'IngressBackend port.number is not a targetPort of the backend Service',
    remediation: 'OSM compares port.number with the Service\'s targetPort ("number: 14001 # targetPort of the service"), not with its port, so this backend matched nothing and allowed nothing. Nothing is generated for it; set port.number to the targetPort if it was meant to work.',
  },
  'ingress-backend/mesh-controller': {
    severity: 'warning',
    title: 'Mesh the ingress controller (linkerd.io/inject: ingress)',
    remediation: 'OSM admitted the ingress controller from outside the mesh (by source IP or an OSM client certificate). Linkerd authorizes it by its mesh identity: add linkerd.io/inject: ingress to the controller\'s pod template (not its namespace), restart it, and have it strip incoming l5d-dst-override headers. Until it is meshed, Linkerd refuses its requests to the backends.',
  },
  'ingress-backend/source-service-not-found': {
    severity: 'warning',
    title: 'Ingress controller Service not in the repository: fill in its identity',
    remediation: 'The pods behind the Service source are not in the repository, so their ServiceAccount is unknown. The AuthorizationPolicies reference a MeshTLSAuthentication that does not exist yet; Linkerd ignores them, and refuses the controller, until you create it from the snippet with the controller\'s ServiceAccount.',
  },
  'ingress-backend/http-source-ip': {
    severity: 'info',
    title: 'Plain-HTTP IngressBackend: source IP check becomes an identity check',
    remediation: 'OSM wildcarded the client identity on http backends and admitted clients by source IP only (the Service endpoints and IPRanges). Linkerd admits the meshed controller by its mesh identity and IPRange sources by network, and the hop from the controller to the backend becomes mTLS. AuthenticatedPrincipal sources had no effect on http backends and are not translated.',
  },
  'ingress-backend/open-to-all': {
    severity: 'warning',
    title: 'IngressBackend open to every client, kept open',
    remediation: 'Without a Service or IPRange source (or, on https, without an AuthenticatedPrincipal) OSM admitted any client to the backend port. The translation keeps it open with an AuthorizationPolicy from every network, which also admits meshed pods that OSM held to their TrafficTargets. Add a Service source naming the controller to restrict it.',
  },
  'ingress-backend/ip-range': {
    severity: 'warning',
    title: 'IPRange source becomes a NetworkAuthentication that also admits meshed pods',
    remediation: 'OSM\'s ingress chain only saw clients outside the mesh, so an IPRange never opened the port to mesh pods. A NetworkAuthentication admits every client from the range, meshed or not. Narrow the range to the controller\'s addresses, or name the controller\'s Service instead once it is meshed.',
  },
  'ingress-backend/https-backend': {
    severity: 'warning',
    title: 'HTTPS IngressBackend: the OSM client certificate gives way to the mesh identity',
    remediation: 'OSM\'s sidecar terminated TLS and checked the controller\'s OSM-issued client certificate. Linkerd terminates mTLS in its own proxy: mesh the controller, make it send plain HTTP to the backend (remove backend-protocol HTTPS, proxy_ssl_* and the OSM client-certificate secret from the Ingress or controller configuration), and the AuthorizationPolicy checks the identity the AuthenticatedPrincipal named. Source IP restrictions from Service sources are not kept.',
  },
  'ingress-backend/skip-client-cert-validation': {
    severity: 'warning',
    title: 'HTTPS IngressBackend without client certificate validation',
    remediation: 'With skipClientCertValidation OSM terminated TLS but accepted any client certificate, so only the source IP counted; AuthenticatedPrincipals were wildcarded. The backend is translated like a plain-HTTP one. Mesh the controller and have it send plain HTTP to the backend: Linkerd adds mTLS between the proxies.',
  },
  'ingress-backend/sni-hosts': {
    severity: 'warning',
    title: 'tls.sniHosts restriction is dropped',
    remediation: 'OSM matched the ingress TLS connection on these SNI names. A meshed controller\'s connection carries Linkerd\'s own SNI, so Linkerd cannot check them; restrict host names on the Ingress (rule host) instead.',
  },
  'ingress-backend/principal-not-translated': {
    severity: 'warning',
    title: 'AuthenticatedPrincipal that names no Linkerd identity',
    remediation: 'Only OSM identities of the form <serviceaccount>.<namespace>.cluster.local map to a Linkerd identity (<serviceaccount>.<namespace>.serviceaccount.identity.linkerd.<trust domain>). This principal is not translated, so the client that presented it is refused: add the controller\'s ServiceAccount to a MeshTLSAuthentication from the snippet and require it from an AuthorizationPolicy on the backend Server.',
  },
  'ingress-backend/principal-not-controller': {
    severity: 'warning',
    title: 'AuthenticatedPrincipal does not spell the controller\'s ServiceAccount',
    remediation: 'OSM issued the ingress controller\'s client certificate from MeshConfig certificate.ingressGateway, so its SAN need not match the ServiceAccount of the controller pods. OSM admitted the pods behind the Service source presenting that certificate; the translation authorizes their ServiceAccounts, not the account the SAN spells. If other pods held the certificate, add their ServiceAccount to the controllers MeshTLSAuthentication.',
  },
  'ingress-backend/source-ignored': {
    severity: 'info',
    title: 'IngressBackend source kind OSM ignored',
    remediation: 'OSM only reads Service, AuthenticatedPrincipal and IPRange sources, and a Service in a namespace labelled openservicemesh.io/ignore had no pods OSM knew; such a source allowed nothing and is not translated. Remove it.',
  },
  'ingress-backend/matches-not-implemented': {
    severity: 'warning',
    title: 'IngressBackend spec.matches was never implemented by OSM',
    remediation: 'OSM ignored spec.matches (TODO #3779) and routed every path and method of the backend to the controller. The translation allows all routes as OSM did; restrict paths on the Ingress, or add HTTPRoutes on the backend Server with their own AuthorizationPolicies.',
  },
  'ingress-backend/permissive-mesh-clients': {
    severity: 'info',
    title: 'Permissive mode: every meshed client admitted on the ingress backend Server',
    remediation: 'In permissive mode OSM let every mesh client reach the backend port. The Server generated for the ingress would deny them, so an AuthorizationPolicy admits any meshed identity (identities: ["*"]). Replace it with the real clients when you move to deny-by-default.',
  },
  'ingress-backend/shared-server': {
    severity: 'info',
    title: 'Ingress authorizations attached to the TrafficTarget Server',
    remediation: 'The backend port already has a Server from the traffic-target rule, so the ingress AuthorizationPolicies target it (one Server per port); being server-level, they count on every route of it. Unless a TrafficTarget route already matches every request, a catch-all route lets the controller reach every path, and other clients now get 403 instead of 404 on paths no TrafficTarget route matches; nothing else changes for them.',
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
    remediation: 'OSM never injected pods in a namespace with this label. The label was removed; on a Namespace, linkerd.io/inject: disabled takes its place (its sidecar-injection annotation is rewritten to disabled, or the annotation is added), so the namespace stays out of the Linkerd mesh too. On a pod template the label did nothing in OSM.',
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
  'injection/ignored-namespace': {
    severity: 'info',
    title: 'Injection annotation in a namespace OSM ignored becomes disabled',
    remediation: 'The namespace is labelled openservicemesh.io/ignore: OSM\'s injector never saw its pods, whatever the annotation said, so linkerd.io/inject is written as disabled to keep them out of the Linkerd mesh too. If the namespace should now join the mesh, set enabled by hand and roll its workloads.',
  },
  'injection/namespace-not-monitored': {
    severity: 'warning',
    title: 'Namespace manifest without openservicemesh.io/monitored-by',
    remediation: 'OSM injected pods and applied policies only in namespaces labelled openservicemesh.io/monitored-by. osm namespace add sets that label outside Git, so the namespace is translated as if monitored. If the label was never set on the cluster, OSM never meshed this namespace: set linkerd.io/inject: disabled on it and drop the policies translated for it.',
  },
  'injection/namespace-inject-added': {
    severity: 'warning',
    title: 'linkerd.io/inject: enabled added to a Namespace whose OSM injection was set outside Git',
    remediation: 'osm namespace add annotates the namespace in the cluster, not in Git, so the manifest carries no injection annotation while the migration treats its pods as meshed. Without linkerd.io/inject their pods would run without a Linkerd proxy after OSM is removed and every generated policy would be inert (plaintext from anyone). The annotation is added; restart the workloads to inject them. If OSM never meshed this namespace, remove it and the policies generated for it.',
  },
  'injection/namespace-inject-outside-git': {
    severity: 'warning',
    title: 'Namespace injection must be set outside Git: kubectl annotate namespace <ns> linkerd.io/inject=enabled',
    remediation: 'The migration treats these pods as meshed, their pod templates make no injection choice, and the repository has no manifest for their namespace: OSM\'s injection was set in the cluster (osm namespace add), and Linkerd\'s must be too. Run kubectl annotate namespace <ns> linkerd.io/inject=enabled and restart the workloads, or add the namespace manifest to the repository. If skipped, the pods run without a proxy after OSM is removed and every generated policy is inert: they accept plaintext from anyone.',
  },
  'plan/value-replaced': {
    severity: 'warning',
    title: 'An existing annotation value is overwritten',
    remediation: 'The object already set this key to another value; the translation writes the value OSM\'s behaviour needs. If the old value was deliberate (tuned by hand for Linkerd already), put it back and accept the difference the other findings describe.',
  },
  'plan/path-not-writable': {
    severity: 'error',
    title: 'Planned file sits on a symbolic link, submodule or unread file: not written',
    remediation: 'The migration would write this path, but it is a symbolic link, a submodule, a file the tool did not read, or it resolves outside the repository. Nothing was written there. Remove or rename what is at that path and run the migration again.',
  },
  'plan/file-kept': {
    severity: 'warning',
    title: 'OSM file kept: its translation is not written beside it',
    remediation: 'Every OSM object in this file was translated, but not into a file of its own (it is one version of an object several files define, and its translation lives elsewhere). The planner never deletes a file without writing its replacement: remove the OSM documents by hand once the Linkerd resources are applied.',
  },
  'plan/edit-failed': {
    severity: 'warning',
    title: 'A change could not be made losslessly',
    remediation: 'The tool edits existing files only where it can keep every other byte as it was. This one is written in a style it does not edit (flow mapping, alias, complex key): make the change in the message by hand.',
  },
  'phases/osm-bridge-widens': {
    severity: 'warning',
    title: 'Phased migration: OSM runs in permissive mode with egress until the lock-down',
    remediation: 'Callers still on OSM reach moved callees only through the egress passthrough, and OSM admits them to its servers only in permissive mode (migration-strategies.md). Keep the phases short; if a TrafficTarget protected something sensitive, move that namespace early or keep a NetworkPolicy around it for the duration.',
  },
  'phases/call-order': {
    severity: 'info',
    title: 'Phased migration: the order namespaces move in',
    remediation: 'A caller on Linkerd cannot reach a callee still on OSM, so callees move first. The order comes from TrafficTargets, IngressBackends and Service addresses in the repository; calls made by something the repository does not show are not in it: check the list before merging the first move.',
  },
  'phases/temporarily-wider': {
    severity: 'info',
    title: 'Phased migration: moved Servers admit every caller until the lock-down',
    remediation: 'Callers still on OSM arrive at moved pods unauthenticated (plaintext). The phase keeps them working with audit (Linkerd 2.16+) or an all-networks authorization; the lock-down phase enforces the exact translation. Use the audit log (authz.name=audit) to find callers the translation would deny.',
  },
  'phases/outage': {
    severity: 'error',
    title: 'Phased migration: a call OSM allowed fails during a phase',
    remediation: 'The cluster this phase leaves denies a request OSM allowed before the migration, and no finding explains it: usually a caller moved before its callee (an OSM server refuses Linkerd callers), or the OSM egress passthrough is off. Move the callee first, or let OSM admit the moved callers (an IngressBackend with an IPRange source for the pod network).',
  },
  'phases/call-cycle': {
    severity: 'warning',
    title: 'Phased migration: namespaces call each other and move together',
    remediation: 'While their pods restart, a caller already on Linkerd cannot reach a callee still on OSM. Restart the callees first within the phase, or let OSM admit the moved callers for the duration: an IngressBackend with an IPRange source for the pod network on each callee backend, or the callee port in openservicemesh.io/inbound-port-exclusion-list.',
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
  'egress/translated': {
    severity: 'info',
    title: 'Egress translated to EgressNetwork routes',
    remediation: 'Each port of the Egress became a route on the EgressNetwork of the client namespace: HTTPRoute (http: hostnames = hosts, the HTTPRouteGroup matches as full-match regexes), TLSRoute (https: SNI = hosts) or TCPRoute (tcp, tcp-server-first: opaque port). ipAddresses became EgressNetworks of those networks, which win over the namespace-wide one. Pods must be restarted to pick up the policy.',
  },
  'egress/default-deny': {
    severity: 'info',
    title: 'Outbound traffic to unknown destinations stays denied (EgressNetwork Deny)',
    remediation: 'OSM dropped outbound traffic nothing routed when traffic.enableEgress was false. The namespace gets an EgressNetwork with trafficPolicy Deny, so only the routes attached to it get out. It covers destinations outside the cluster networks only: in-cluster destinations without a proxy (and the API server), which OSM also refused, stay reachable; restrict those with a NetworkPolicy if needed.',
  },
  'egress/passthrough': {
    severity: 'warning',
    title: 'Global egress passthrough: Egress HTTP restrictions are not kept',
    remediation: 'With traffic.enableEgress true OSM forwarded unmatched outbound traffic, but an http port of an Egress still sent the sources\' plain HTTP on that port through host/path routes (other hosts got 404). The EgressNetwork allows unmatched traffic (trafficPolicy Allow), so those requests now pass. Switch the EgressNetwork to Deny and add routes for everything else that must get out if you need the restriction.',
  },
  'egress/passthrough-assumed': {
    severity: 'warning',
    title: 'traffic.enableEgress unknown: global egress passthrough assumed off',
    remediation: 'The repository has Egress policies but no MeshConfig setting traffic.enableEgress (the chart default was true in v1.2, false before). OSM\'s docs require it off for Egress policies, so the translation denies other outbound traffic. Check `kubectl get meshconfig osm-mesh-config -n osm-system -o jsonpath={.spec.traffic.enableEgress}`; if it was true, set the EgressNetworks to trafficPolicy Allow.',
  },
  'egress/sources-widened': {
    severity: 'warning',
    title: 'Egress sources cannot be restricted per ServiceAccount',
    remediation: 'OSM allowed this egress only to pods running as the listed ServiceAccounts. A Linkerd EgressNetwork and its routes apply to every meshed client in the namespace, so the other workloads named in the message get the same egress. Move the sources to a namespace of their own, or add a NetworkPolicy (egress) selecting the other pods.',
  },
  'egress/no-egress-control': {
    severity: 'warning',
    title: 'Target Linkerd has no egress control (EgressNetwork is 2.17+)',
    remediation: 'Linkerd before 2.17 proxies outbound traffic without any egress policy, so what OSM denied now gets out. Target Linkerd 2.17+ to get EgressNetworks, or apply the NetworkPolicy sketched in the message (it can restrict IP ranges and ports, not host names).',
  },
  'egress/policy-disabled': {
    severity: 'warning',
    title: 'Egress ignored by OSM: featureFlags.enableEgressPolicy is false',
    remediation: 'OSM returned no egress policy at all while the flag was off, so this Egress allowed nothing and nothing is generated for it. Outbound traffic followed traffic.enableEgress alone, and so does the translation. Delete the Egress, or turn the flag on in OSM first if it was meant to work.',
  },
  'egress/rejected-by-osm': {
    severity: 'warning',
    title: 'Egress that OSM\'s admission webhook rejects',
    remediation: 'OSM accepts matches of apiGroup specs.smi-spec.io/v1alpha4 (kind HTTPRouteGroup) and policy.openservicemesh.io/v1alpha1 (kind UpstreamTrafficSetting, at most one); anything else is refused when the Egress is applied, so it never took effect and nothing is generated. Fix the matches if it was meant to work.',
  },
  'egress/upstream-traffic-setting': {
    severity: 'warning',
    title: 'UpstreamTrafficSetting limits on egress traffic are not carried over',
    remediation: 'OSM applied the connection settings of the UpstreamTrafficSetting named in the Egress matches (circuit-breaker limits, connect timeout) to this egress traffic. Linkerd has no connection limits for egress; the UpstreamTrafficSetting itself is handled by its own rule, for mesh Services only. Accept the change or enforce the limits at the destination.',
  },
  'egress/upstream-traffic-setting-not-found': {
    severity: 'warning',
    title: 'Referenced UpstreamTrafficSetting not found: OSM ignored the Egress',
    remediation: 'OSM drops an Egress whose UpstreamTrafficSetting match cannot be found in its namespace ("Ignoring invalid Egress policy"), so it allowed nothing and nothing is generated. Add the UpstreamTrafficSetting to the repository (same namespace as the Egress) and migrate again.',
  },
  'egress/route-group-not-found': {
    severity: 'warning',
    title: 'Referenced HTTPRouteGroup not found or empty: no HTTP request allowed',
    remediation: 'OSM looks up Egress matches in the Egress namespace. With an HTTPRouteGroup match that resolves to no match, the http ports of the Egress got no route, so no request was allowed and none is generated. Add the HTTPRouteGroup (with matches) to the repository and migrate again.',
  },
  'egress/invalid-source': {
    severity: 'warning',
    title: 'Egress source OSM could not match',
    remediation: 'OSM matched Egress sources by kind ServiceAccount, name and namespace; this one matched no pod and is not translated.',
  },
  'egress/invalid-ip-range': {
    severity: 'warning',
    title: 'ipAddresses entry is not a CIDR',
    remediation: 'OSM skipped ip ranges it could not parse ("Invalid IP range … will be skipped"); the translation skips it too. Write it as a.b.c.d/n.',
  },
  'egress/unsupported-protocol': {
    severity: 'warning',
    title: 'Egress port protocol OSM did not program',
    remediation: 'OSM handled only http, https, tcp and tcp-server-first Egress ports; this port allowed nothing and is not translated.',
  },
  'egress/host-not-expressible': {
    severity: 'warning',
    title: 'Egress host cannot be a Gateway API hostname',
    remediation: 'Route hostnames must be DNS names (optionally *.suffix), not IP addresses. The host is left out of the route, so requests to it are denied; allow it by IP with ipAddresses and a tcp port, or add a route by hand.',
  },
  'egress/http-without-hosts': {
    severity: 'warning',
    title: 'http Egress port without hosts allowed nothing',
    remediation: 'OSM built one virtual host per entry of hosts for an http port; with no hosts there was no route, so no request was allowed and no route is generated. List the hosts if the port was meant to work.',
  },
  'egress/gateway-api-required': {
    severity: 'warning',
    title: 'TLSRoute / TCPRoute need the Gateway API experimental CRDs',
    remediation: 'Linkerd 2.19+ no longer installs the Gateway API CRDs by default, and TLSRoute and TCPRoute exist only in the experimental channel. Install them (linkerd-crds installGatewayAPI=true, or Gateway API 1.2.1 experimental) before applying these routes.',
  },
  'egress/namespace-not-monitored': {
    severity: 'warning',
    title: 'Egress in a namespace OSM ignored',
    remediation: 'The Egress is in a namespace labelled openservicemesh.io/ignore, where OSM never injected a pod: it had no effect and nothing is generated for it. (An Egress in a Namespace manifest without openservicemesh.io/monitored-by is translated, with injection/namespace-not-monitored.)',
  },
  'egress/default-deny-unplaced': {
    severity: 'warning',
    title: 'Egress default-deny could not be placed: no meshed namespace found',
    remediation: 'OSM denied outbound traffic to unknown destinations (traffic.enableEgress false), but the repository shows no meshed namespace to put an EgressNetwork in. Add `apiVersion: policy.linkerd.io/v1alpha1, kind: EgressNetwork, spec: {trafficPolicy: Deny}` to each meshed namespace (Linkerd 2.17+).',
  },
  'egress/tcp-subsumes-routes': {
    severity: 'info',
    title: 'http/https Egress rules subsumed by a tcp Egress on the same port',
    remediation: 'OSM matched a tcp (or tcp-server-first) Egress port on the port and ipAddresses alone, whatever the SNI or Host, so every connection to that port went out and the narrower http/https rules there added nothing. Linkerd uses only the highest-ranked route kind on an EgressNetwork port (gRPC > HTTP > TLS > TCP), so an HTTPRoute or TLSRoute beside the TCPRoute would shrink it to those hosts. Only the TCPRoute is generated there, and the port is opaque. Narrow the tcp Egress if the hosts were meant to be the limit.',
  },
  'egress/replaced-by-later-document': {
    severity: 'warning',
    title: 'Egress or HTTPRouteGroup replaced by a later document with the same name',
    remediation: 'Kubernetes keeps one object per kind, namespace and name: applied in repository order, the later document replaces this one, so it never took effect and only the later one is translated. Delete the earlier document, or rename it if both were meant to exist.',
  },
  'mesh-config/traffic-policy-mode': {
    severity: 'info',
    title: 'MeshConfig traffic policy mode read',
    remediation: 'Permissive mode (enablePermissiveTrafficPolicyMode: true) ignored TrafficTargets: their Servers admit every meshed client (mesh-mode/permissive-authenticated), or every client with permissiveAccess: audit (mesh-mode/permissive-audit). SMI mode denied by default: the default-policy rule keeps that with config.linkerd.io/default-inbound-policy: deny (mesh-mode/default-deny).',
  },
  'mesh-config/egress-passthrough': {
    severity: 'info',
    title: 'MeshConfig traffic.enableEgress translated by the egress rule',
    remediation: 'traffic.enableEgress decided what happened to outbound traffic OSM did not otherwise route. The egress findings say what was generated for it (EgressNetwork trafficPolicy Deny or Allow, Linkerd 2.17+).',
  },
  'mesh-config/proxy-log-level': {
    severity: 'info',
    title: 'sidecar.logLevel becomes config.linkerd.io/proxy-log-level',
    remediation: 'OSM set the Envoy log level mesh-wide; Linkerd reads it per pod (the Namespace annotation is copied to pods that do not set their own). Pods must be restarted to pick it up. Linkerd\'s own default is warn,linkerd=info.',
  },
  'mesh-config/exclusion-lists': {
    severity: 'info',
    title: 'MeshConfig exclusion lists become config.linkerd.io/skip-* annotations',
    remediation: 'OSM added the mesh-wide port and IP range exclusions to every pod\'s own; the same values go on each meshed Namespace (or pod template), and a pod that sets its own list (which hides the namespace\'s in Linkerd) gets the union, as OSM applied it. skip-inbound-ports and skip-outbound-ports replace Linkerd\'s defaults (4567,4568) instead of adding to them. Pods must be restarted to pick them up.',
  },
  'mesh-config/annotations-unplaced': {
    severity: 'warning',
    title: 'Mesh-wide proxy annotations could not be placed',
    remediation: 'OSM applied these settings to every meshed pod, but the namespaces named in the message (or every meshed namespace) have neither a Namespace manifest nor a meshed pod template in the repository, so the annotations were written nowhere. Add them to those Namespaces (or their pod templates) where they are defined.',
  },
  'mesh-config/ip-range-inclusion-unsupported': {
    severity: 'warning',
    title: 'traffic.outboundIPRangeInclusionList has no Linkerd equivalent',
    remediation: 'OSM redirected only the listed destinations to the proxy. Linkerd can only skip subnets (config.linkerd.io/skip-subnets): compute the complement and set skip-subnets, or accept that all outbound traffic is proxied.',
  },
  'mesh-config/tracing': {
    severity: 'warning',
    title: 'OSM tracing settings need the Linkerd tracing setup',
    remediation: 'OSM\'s Envoys sent Zipkin spans to observability.tracing. Linkerd up to 2.18 does this with the linkerd-jaeger extension (collector address in its values); from 2.19 with the control-plane values proxy.tracing.enabled and proxy.tracing.collector.endpoint. Applications must forward trace headers in both meshes.',
  },
  'mesh-config/certificate': {
    severity: 'info',
    title: 'OSM certificate setting: Linkerd identity works differently',
    remediation: 'Linkerd issues each proxy a 24h certificate from its identity issuer (Helm identity.issuer.issuanceLifetime) with ECDSA P-256 keys, under a trust anchor you provide at install. Set issuanceLifetime if the OSM validity mattered; key size has no setting.',
  },
  'mesh-config/ingress-gateway-certificate': {
    severity: 'warning',
    title: 'OSM issued an ingress client certificate: mesh the ingress controller instead',
    remediation: 'OSM gave the ingress controller a mesh certificate (certificate.ingressGateway) to call HTTPS IngressBackends. Linkerd has no such certificate: mesh the ingress controller (linkerd.io/inject: ingress) so it gets an identity, then remove the secret from the Ingress configuration.',
  },
  'mesh-config/feature-flag': {
    severity: 'info',
    title: 'OSM feature flag read',
    remediation: 'The message says what the flag changed in OSM and what the translation does with it. Feature flags disappear with OSM.',
  },
  'mesh-config/feature-not-reproduced': {
    severity: 'warning',
    title: 'OSM feature turned on that Linkerd does not reproduce',
    remediation: 'The flag enabled a behaviour Linkerd has no equivalent of (see the message); it is dropped with OSM. Check that nothing relied on it.',
  },
  'mesh-config/proxy-setting': {
    severity: 'info',
    title: 'Envoy sidecar setting without a Linkerd equivalent',
    remediation: 'The Linkerd proxy is not Envoy: images, TLS parameters, init-container privileges and resync intervals are set by the Linkerd install (Helm values) or not at all. The message names the closest Linkerd setting when there is one.',
  },
  'mesh-config/control-plane-setting': {
    severity: 'info',
    title: 'OSM control-plane setting dropped',
    remediation: 'The setting configured OSM\'s own controller. Linkerd\'s control plane is configured by its Helm values (for example controllerLogLevel); nothing in the application manifests replaces it.',
  },
  'mesh-config/external-authorization': {
    severity: 'warning',
    title: 'Inbound external authorization has no Linkerd equivalent',
    remediation: 'OSM sent every inbound and ingress HTTP request to an ext_authz service first. Linkerd policies are AuthorizationPolicies on identities, networks and routes only: enforce that check in the application or an ingress in front of it.',
  },
  'mesh-config/pruned-field': {
    severity: 'warning',
    title: 'MeshConfig field in the wrong place had no effect',
    remediation: 'The MeshConfig schema has no such field here, so the API server pruned it and OSM never saw it (the osm-docs example nests exclusion lists under observability). Nothing is translated; move the value under traffic first if it was meant to work.',
  },
  'mesh-config/unknown-field': {
    severity: 'warning',
    title: 'MeshConfig field not recognised',
    remediation: 'This version of the translator does not know the field, so nothing is done with it. Check whether it mattered and set the Linkerd equivalent by hand.',
  },
  'mesh-config/duplicate': {
    severity: 'warning',
    title: 'More than one OSM mesh configuration',
    remediation: 'A cluster has one osm-mesh-config; the repository holds several (overlays, copies). Only the first one is translated; check that it is the one your cluster ran with.',
  },
  'mesh-config/invalid-value': {
    severity: 'warning',
    title: 'MeshConfig value OSM would reject',
    remediation: 'The MeshConfig schema does not allow this value (enum, port range or CIDR pattern), so it never took effect; it is not translated.',
  },
  'mesh-config/no-effect': {
    severity: 'info',
    title: 'MeshConfig fields with nothing to migrate',
    remediation: 'These fields are empty, disabled or set to what Linkerd does anyway, so they need nothing in Linkerd and go away with the MeshConfig.',
  },
  'mesh-config/legacy-configmap': {
    severity: 'info',
    title: 'OSM configuration ConfigMap read',
    remediation: 'The osm-config ConfigMap (OSM v0.8 and earlier) or the Helm preset-mesh-config ConfigMap holds the mesh configuration; its keys are translated like MeshConfig fields and the ConfigMap goes with OSM.',
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
  'surroundings/argo-rollouts-smi': {
    severity: 'warning',
    title: 'Argo Rollout shifts traffic through SMI TrafficSplits',
    remediation: 'Argo Rollouts writes the TrafficSplit of a Rollout with trafficRouting.smi at run time, so it is not in Git to translate. Linkerd serves TrafficSplit only with the deprecated linkerd-smi extension: without it Argo cannot write the split and the canary traffic shifting fails. Switch to the Argo Rollouts Gateway API plugin (trafficRouting.plugins argoproj-labs/gatewayAPI) with an HTTPRoute whose parent is the root Service (Linkerd 2.14+), or install linkerd-smi.',
  },
  'surroundings/ingress-crd': {
    severity: 'warning',
    title: 'Ingress-controller route (Traefik, Contour, NGINX, Emissary) in front of meshed Services',
    remediation: 'Under OSM the ingress controller stayed outside the mesh and reached its backends through an IngressBackend. Under Linkerd the backends\' Servers refuse an unmeshed controller: mesh it (ingress mode plus an l5d-dst-override header when it sends to pod endpoints, as Traefik and Contour do; linkerd.io/inject: enabled when it sends to the Service) and authorize its ServiceAccount on the backends.',
  },
  'upstream-traffic-setting/never-applied': {
    severity: 'warning',
    title: 'UpstreamTrafficSetting that OSM never applied',
    remediation: 'OSM applied a setting only when its host was exactly <service>.<namespace>.svc.cluster.local and it lived in that Service\'s namespace (one per host, an FQDN required by the webhook), or when an Egress referenced it. This one met none of these, so it had no effect and nothing is generated. Delete it, or fix it first if it was meant to work.',
  },
  'upstream-traffic-setting/target-not-found': {
    severity: 'warning',
    title: 'Service or pods of an UpstreamTrafficSetting not in the repository',
    remediation: 'Rate limits attach to the Servers of the Service\'s pods and circuit breaking to the Service manifest, and neither is in this repository. Migrate the repository that holds them together with this object, or create the HTTPLocalRateLimitPolicy / annotations named in the message by hand.',
  },
  'upstream-traffic-setting/egress-host': {
    severity: 'warning',
    title: 'UpstreamTrafficSetting used by an Egress: not translated',
    remediation: 'OSM applied this setting to the egress cluster of an external host. Linkerd has no per-destination connection limits or rate limits for egress traffic; keep the limits in the external service or an egress gateway if you need them.',
  },
  'upstream-traffic-setting/rate-limit': {
    severity: 'info',
    title: 'HTTP local rate limit translated to an HTTPLocalRateLimitPolicy',
    remediation: 'OSM limited requests at the upstream pods\' inbound proxy; the HTTPLocalRateLimitPolicy does the same on each Server of the Service\'s pods (per proxy, over-limit requests get 429). Check the requestsPerSecond value against the OSM rate.',
  },
  'upstream-traffic-setting/rate-limit-unavailable': {
    severity: 'warning',
    title: 'Rate limiting needs Linkerd 2.17+',
    remediation: 'HTTPLocalRateLimitPolicy exists from Linkerd 2.17; earlier versions cannot rate-limit, so the limit is dropped. Target 2.17+ (--linkerd-version) to translate it.',
  },
  'upstream-traffic-setting/rate-limit-approximated': {
    severity: 'warning',
    title: 'Rate limit not expressible exactly',
    remediation: 'Linkerd takes a whole number of requests per second, with no burst, no custom status code and no extra response headers. The message names each part of the OSM limit that changed or was dropped; adjust requestsPerSecond if the rounding is too loose.',
  },
  'upstream-traffic-setting/rate-limit-widened': {
    severity: 'warning',
    title: 'Rate limit covers more requests than in OSM',
    remediation: 'OSM limited the requests addressed to one Service host; Linkerd limits everything that reaches the pod port (the Server), whichever Service it came through, and allows one policy per Server. Split the ports or Services if the limits must stay separate.',
  },
  'upstream-traffic-setting/route-rate-limit': {
    severity: 'warning',
    title: 'Per-route rate limit not translated',
    remediation: 'OSM applied httpRoutes[].rateLimit to the route whose regex equals path as a string. Linkerd rate-limits whole Servers only, so a limit on part of the routes is dropped (the message names the HTTPRoutes it covered), and a path that equals no route never applied. Move the limit into the application or an ingress if it matters.',
  },
  'upstream-traffic-setting/tcp-rate-limit': {
    severity: 'warning',
    title: 'TCP connection rate limit dropped',
    remediation: 'OSM limited new TCP connections per unit of time at the upstream. Linkerd has no connection rate limiting (HTTPLocalRateLimitPolicy counts HTTP requests); nothing replaces it.',
  },
  'upstream-traffic-setting/connection-settings': {
    severity: 'warning',
    title: 'Envoy connection setting dropped',
    remediation: 'OSM programmed these Envoy circuit breakers (connection, request and retry caps) and the connect timeout into every client. Linkerd has no concurrency caps: its circuit breaking is failure accrual, which ejects failing endpoints instead (balancer.linkerd.io/failure-accrual: consecutive on the Service, 2.13+). Add it by hand if that is what the caps were for.',
  },
  'upstream-traffic-setting/service-profile-overrides': {
    severity: 'warning',
    title: 'A ServiceProfile makes Linkerd ignore the failure accrual annotations',
    remediation: 'While a ServiceProfile exists for a Service, Linkerd ignores its balancer.linkerd.io/failure-accrual annotations. Delete the ServiceProfile (on 2.16+ retries move to annotations too), or accept that the circuit breaking is not translated.',
  },
  'upstream-traffic-setting/failure-accrual': {
    severity: 'warning',
    title: 'osm-edge circuit breaking translated to failure accrual',
    remediation: 'osm-edge opened its breaker for the whole upstream after a number of errors in a time window; Linkerd\'s consecutive failure accrual stops sending to one endpoint after that many consecutive failures and backs off between the min and max penalty. The message lists the annotations and the fields with no equivalent; upstream OSM ignored this field altogether.',
  },
  'upstream-traffic-setting/unreleased-field': {
    severity: 'warning',
    title: 'Field of unreleased OSM or the osm-edge fork dropped',
    remediation: 'rateLimit.global exists only in unreleased OSM (main) and httpHeaders only in osm-edge; OSM v1.2 pruned both, and Linkerd has neither global nor per-header rate limiting. Nothing is generated for them.',
  },
  'upstream-traffic-setting/unknown-field': {
    severity: 'warning',
    title: 'Field unknown to the UpstreamTrafficSetting schema',
    remediation: 'OSM\'s API server pruned fields its CRD does not declare (for example outlierDetection, which no OSM version has), so this one did nothing and is not translated. Remove it.',
  },
  'upstream-traffic-setting/namespace-ignored': {
    severity: 'warning',
    title: 'UpstreamTrafficSetting in a namespace OSM ignored',
    remediation: 'The UpstreamTrafficSetting is in a namespace labelled openservicemesh.io/ignore, where OSM never injected a pod: it had no effect and nothing is generated for it. Delete it.',
  },
  'retry/feature-disabled': {
    severity: 'warning',
    title: 'Retry policy ignored by OSM: enableRetryPolicy off',
    remediation: 'OSM applied Retry objects only with MeshConfig featureFlags.enableRetryPolicy: true (default false), so these requests were never retried and no Linkerd retries are generated. If the cluster did turn the flag on outside this repository, add the annotations from the message to the destination Service.',
  },
  'retry/translated': {
    severity: 'info',
    title: 'Retry policy translated to Linkerd retry annotations',
    remediation: 'Linkerd clients retry failed requests to the annotated Service (retry.linkerd.io/http or /grpc, limit, per-try timeout; 2.16+). Requests with bodies over 64 KiB are never retried, and a ServiceProfile for the Service disables these annotations.',
  },
  'retry/applies-to-all-clients': {
    severity: 'warning',
    title: 'Retries now apply to every client of the Service',
    remediation: 'OSM retried only requests from the Retry\'s source ServiceAccount. Linkerd configures retries on the destination Service, so every meshed client retries. Make sure the routes are idempotent for all of them, or move the retry annotations to an HTTPRoute that only those clients use.',
  },
  'retry/not-expressible': {
    severity: 'warning',
    title: 'Retry setting with no Linkerd equivalent',
    remediation: 'Linkerd retries on response status codes (HTTP) or gRPC statuses, a number of times, with an optional per-try timeout. Envoy conditions such as reset, connect-failure or refused-stream and the backoff base interval have no setting; the message names each one that was dropped.',
  },
  'retry/ineffective': {
    severity: 'info',
    title: 'Retry policy that made no retries',
    remediation: 'With numRetries 0, or no retryOn condition Envoy understood, OSM made no retries for this policy. Nothing is generated (Linkerd would otherwise retry once by default).',
  },
  'retry/invalid-reference': {
    severity: 'warning',
    title: 'Retry source or destination OSM ignored',
    remediation: 'OSM applied a Retry only for a ServiceAccount source, and only to destinations of kind Service ("Retry policy destinations must be a service"). This part did nothing and is not translated.',
  },
  'retry/destination-not-found': {
    severity: 'warning',
    title: 'Retry destination Service not in the repository',
    remediation: 'The retry configuration goes on the destination Service, which is not in this repository. Add the annotations from the message to it where it is defined.',
  },
  'retry/conflicting-policies': {
    severity: 'warning',
    title: 'Retry policies disagree for one Service',
    remediation: 'OSM used the first Retry that matched a source and destination, per source; Linkerd has one retry configuration per Service, for all clients. The message lists the candidates; nothing is generated for this Service until you pick one and add its annotations.',
  },
  'retry/service-profile-overrides': {
    severity: 'warning',
    title: 'A ServiceProfile makes Linkerd ignore the retry annotations',
    remediation: 'While a ServiceProfile exists for a Service, Linkerd takes retries (isRetryable routes and the retryBudget) from it and ignores the retry.linkerd.io annotations. Move the retry into the ServiceProfile, or delete the ServiceProfile if nothing else needs it.',
  },
  'retry/service-profile': {
    severity: 'warning',
    title: 'Retries on Linkerd before 2.16 need a ServiceProfile',
    remediation: 'Before 2.16 Linkerd retries only routes a ServiceProfile marks isRetryable, within a retry budget (a ratio of extra load) rather than a count per request, and without a per-try timeout. A ServiceProfile also overrides HTTPRoutes on its Service. The message says what was generated or why not.',
  },
  'retry/unknown-field': {
    severity: 'warning',
    title: 'Field unknown to the Retry schema',
    remediation: 'OSM\'s API server pruned fields its CRD does not declare, so this one did nothing and is not translated. Remove it.',
  },
  'retry/namespace-ignored': {
    severity: 'warning',
    title: 'Retry in (or from) a namespace OSM ignored',
    remediation: 'The Retry, or its source ServiceAccount, is in a namespace labelled openservicemesh.io/ignore, where OSM never injected a pod: no request was retried and no Linkerd retries are generated. Delete it.',
  },
  'other-kinds/mesh-root-certificate': {
    severity: 'warning',
    title: 'MeshRootCertificate: Linkerd brings its own identity CA',
    remediation: 'Linkerd issues workload certificates from its trust anchor and issuer (linkerd install --identity-trust-anchors-file / --identity-issuer-*), or from cert-manager as an external issuer (--identity-external-issuer). Reuse the CA this object named if you want one root for both meshes during the move; the trust domain is --identity-trust-domain.',
  },
  'other-kinds/identity-binding': {
    severity: 'info',
    title: 'IdentityBinding: never supported by OSM',
    remediation: 'OSM ignored SMI IdentityBindings, so nothing depended on it. Delete it; Linkerd identities are ServiceAccounts (MeshTLSAuthentication identityRefs).',
  },
  'other-kinds/telemetry': {
    severity: 'warning',
    title: 'Telemetry / ExtensionService: OSM main-branch access logging',
    remediation: 'Linkerd writes proxy access logs with the config.linkerd.io/access-log annotation (apache or json) on the workloads or their Namespace; ship them with your log collector, or use linkerd-jaeger for traces.',
  },
  'other-kinds/multi-cluster-service': {
    severity: 'warning',
    title: 'MultiClusterService: use the Linkerd multicluster extension',
    remediation: 'Install the linkerd-multicluster extension, link the clusters (linkerd multicluster link), and export the Service with the label mirror.linkerd.io/exported: "true" (or remote-discovery).',
  },
  'other-kinds/backpressure': {
    severity: 'info',
    title: 'Backpressure: removed from OSM in v0.8',
    remediation: 'OSM v0.8 and later ignored this object. Delete it; Linkerd rate limits are HTTPLocalRateLimitPolicy (2.17+) and circuit breaking is failure accrual on the Service.',
  },
  'other-kinds/udp-route': {
    severity: 'info',
    title: 'UDPRoute: OSM never routed UDP',
    remediation: 'Delete it. Linkerd does not proxy UDP either: UDP traffic bypasses the proxy and needs a NetworkPolicy if it must be restricted.',
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
  'unhandled/osm-field': {
    severity: 'warning',
    title: 'Field of an OSM object not translated',
    remediation: 'The rule for this kind does not know this field (a newer or forked OSM spelling, or a typo OSM ignored). Check what it did in your OSM version and add the Linkerd equivalent by hand.',
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
