import { defineFindings, verbatim } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';

/** The findings the mesh-config rule declares. */
export const meshConfigFindings = defineFindings({
  'mesh-config/traffic-policy-mode': {
    severity: 'info',
    title: 'MeshConfig traffic policy mode read',
    remediation: 'Permissive mode (enablePermissiveTrafficPolicyMode: true) ignored TrafficTargets: their Servers admit every meshed client (mesh-mode/permissive-authenticated), or every client with permissiveAccess: audit (mesh-mode/permissive-audit). SMI mode denied by default: the default-policy rule keeps that with config.linkerd.io/default-inbound-policy: deny (mesh-mode/default-deny).',
    message: verbatim,
  },
  'mesh-config/egress-passthrough': {
    severity: 'info',
    title: 'MeshConfig traffic.enableEgress translated by the egress rule',
    remediation: 'traffic.enableEgress decided what happened to outbound traffic OSM did not otherwise route. The egress findings say what was generated for it (EgressNetwork trafficPolicy Deny or Allow, Linkerd 2.17+).',
    message: verbatim,
  },
  'mesh-config/proxy-log-level': {
    severity: 'info',
    title: 'sidecar.logLevel becomes config.linkerd.io/proxy-log-level',
    remediation: 'OSM set the Envoy log level mesh-wide; Linkerd reads it per pod (the Namespace annotation is copied to pods that do not set their own). Pods must be restarted to pick it up. Linkerd\'s own default is warn,linkerd=info.',
    message: verbatim,
  },
  'mesh-config/exclusion-lists': {
    severity: 'info',
    title: 'MeshConfig exclusion lists become config.linkerd.io/skip-* annotations',
    remediation: 'OSM added the mesh-wide port and IP range exclusions to every pod\'s own; the same values go on each meshed Namespace (or pod template), and a pod that sets its own list (which hides the namespace\'s in Linkerd) gets the union, as OSM applied it. skip-inbound-ports and skip-outbound-ports replace Linkerd\'s defaults (4567,4568) instead of adding to them. Pods must be restarted to pick them up.',
    message: verbatim,
  },
  'mesh-config/annotations-unplaced': {
    severity: 'warning',
    title: 'Mesh-wide proxy annotations could not be placed',
    remediation: 'OSM applied these settings to every meshed pod, but the namespaces named in the message (or every meshed namespace) have neither a Namespace manifest nor a meshed pod template in the repository, so the annotations were written nowhere. Add them to those Namespaces (or their pod templates) where they are defined.',
    message: verbatim,
  },
  'mesh-config/ip-range-inclusion-unsupported': {
    severity: 'warning',
    title: 'traffic.outboundIPRangeInclusionList has no Linkerd equivalent',
    remediation: 'OSM redirected only the listed destinations to the proxy. Linkerd can only skip subnets (config.linkerd.io/skip-subnets): compute the complement and set skip-subnets, or accept that all outbound traffic is proxied.',
    message: verbatim,
  },
  'mesh-config/tracing': {
    severity: 'warning',
    title: 'OSM tracing settings need the Linkerd tracing setup',
    remediation: 'OSM\'s Envoys sent Zipkin spans to observability.tracing. Linkerd up to 2.18 does this with the linkerd-jaeger extension (collector address in its values); from 2.19 with the control-plane values proxy.tracing.enabled and proxy.tracing.collector.endpoint. Applications must forward trace headers in both meshes.',
    message: verbatim,
  },
  'mesh-config/certificate': {
    severity: 'info',
    title: 'OSM certificate setting: Linkerd identity works differently',
    remediation: 'Linkerd issues each proxy a 24h certificate from its identity issuer (Helm identity.issuer.issuanceLifetime) with ECDSA P-256 keys, under a trust anchor you provide at install. Set issuanceLifetime if the OSM validity mattered; key size has no setting.',
    message: verbatim,
  },
  'mesh-config/ingress-gateway-certificate': {
    severity: 'warning',
    title: 'OSM issued an ingress client certificate: mesh the ingress controller instead',
    remediation: 'OSM gave the ingress controller a mesh certificate (certificate.ingressGateway) to call HTTPS IngressBackends. Linkerd has no such certificate: mesh the ingress controller (linkerd.io/inject: ingress) so it gets an identity, then remove the secret from the Ingress configuration.',
    message: verbatim,
  },
  'mesh-config/feature-flag': {
    severity: 'info',
    title: 'OSM feature flag read',
    remediation: 'The message says what the flag changed in OSM and what the translation does with it. Feature flags disappear with OSM.',
    message: verbatim,
  },
  'mesh-config/feature-not-reproduced': {
    severity: 'warning',
    title: 'OSM feature turned on that Linkerd does not reproduce',
    remediation: 'The flag enabled a behaviour Linkerd has no equivalent of (see the message); it is dropped with OSM. Check that nothing relied on it.',
    message: verbatim,
  },
  'mesh-config/proxy-setting': {
    severity: 'info',
    title: 'Envoy sidecar setting without a Linkerd equivalent',
    remediation: 'The Linkerd proxy is not Envoy: images, TLS parameters, init-container privileges and resync intervals are set by the Linkerd install (Helm values) or not at all. The message names the closest Linkerd setting when there is one.',
    message: verbatim,
  },
  'mesh-config/control-plane-setting': {
    severity: 'info',
    title: 'OSM control-plane setting dropped',
    remediation: 'The setting configured OSM\'s own controller. Linkerd\'s control plane is configured by its Helm values (for example controllerLogLevel); nothing in the application manifests replaces it.',
    message: verbatim,
  },
  'mesh-config/external-authorization': {
    severity: 'warning',
    title: 'Inbound external authorization has no Linkerd equivalent',
    remediation: 'OSM sent every inbound and ingress HTTP request to an ext_authz service first. Linkerd policies are AuthorizationPolicies on identities, networks and routes only: enforce that check in the application or an ingress in front of it.',
    message: verbatim,
  },
  'mesh-config/pruned-field': {
    severity: 'warning',
    title: 'MeshConfig field in the wrong place had no effect',
    remediation: 'The MeshConfig schema has no such field here, so the API server pruned it and OSM never saw it (the osm-docs example nests exclusion lists under observability). Nothing is translated; move the value under traffic first if it was meant to work.',
    message: verbatim,
  },
  'mesh-config/unknown-field': {
    severity: 'warning',
    title: 'MeshConfig field not recognised',
    remediation: 'This version of the translator does not know the field, so nothing is done with it. Check whether it mattered and set the Linkerd equivalent by hand.',
    message: verbatim,
  },
  'mesh-config/duplicate': {
    severity: 'warning',
    title: 'More than one OSM mesh configuration',
    remediation: 'A cluster has one osm-mesh-config; the repository holds several (overlays, copies). Only the first one is translated; check that it is the one your cluster ran with.',
    message: verbatim,
  },
  'mesh-config/invalid-value': {
    severity: 'warning',
    title: 'MeshConfig value OSM would reject',
    remediation: 'The MeshConfig schema does not allow this value (enum, port range or CIDR pattern), so it never took effect; it is not translated.',
    message: verbatim,
  },
  'mesh-config/no-effect': {
    severity: 'info',
    title: 'MeshConfig fields with nothing to migrate',
    remediation: 'These fields are empty, disabled or set to what Linkerd does anyway, so they need nothing in Linkerd and go away with the MeshConfig.',
    message: verbatim,
  },
  'mesh-config/legacy-configmap': {
    severity: 'info',
    title: 'OSM configuration ConfigMap read',
    remediation: 'The osm-config ConfigMap (OSM v0.8 and earlier) or the Helm preset-mesh-config ConfigMap holds the mesh configuration; its keys are translated like MeshConfig fields and the ConfigMap goes with OSM.',
    message: verbatim,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = meshConfigFindings;

/** The ids `finding(...)` accepts here. */
export type RaisedId = keyof typeof raises;

export const finding = finderFor(raises);
