import { defineFindings, pick, verbatim } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';
import { probeFindings } from '../probe-findings.ts';

/** The findings the ingress-backend rule declares. */
export const ingressBackendFindings = defineFindings({
  'ingress-backend/rejected-by-osm': {
    severity: 'warning',
    title: 'IngressBackend that never took effect in OSM',
    remediation: 'OSM\'s admission webhook refuses an IngressBackend with a port.protocol other than http or https, an https backend skipping client certificate validation without an AuthenticatedPrincipal, a Service source without namespace, an IPRange that is not a CIDR, or a backend another IngressBackend already claims; a later document with the same name replaces an earlier one; OSM never injected in a namespace labelled openservicemesh.io/ignore, so an IngressBackend there, or one whose only sources are Services there, did nothing. It allowed nothing, so nothing is generated. Fix it if it was meant to work.',
    message: verbatim,
  },
  'ingress-backend/backend-not-found': {
    severity: 'error',
    title: 'Backend Service of an IngressBackend has no pods in the repository',
    remediation: 'The Service (or the workloads it selects) is not in the repository, so the Server for its pods cannot be generated. The AuthorizationPolicies target the Server named in the message: create it from the snippet (podSelector = the Service selector, port = port.number).',
    message: verbatim,
  },
  'ingress-backend/port-not-target-port': {
    severity: 'warning',
    title: 'IngressBackend port.number is not a targetPort of the backend Service',
    remediation: 'OSM compares port.number with the Service\'s targetPort ("number: 14001 # targetPort of the service"), not with its port, so this backend matched nothing and allowed nothing. Nothing is generated for it; set port.number to the targetPort if it was meant to work.',
    message: verbatim,
  },
  'ingress-backend/mesh-controller': {
    severity: 'warning',
    title: 'Mesh the ingress controller (linkerd.io/inject: ingress)',
    remediation: 'OSM admitted the ingress controller from outside the mesh (by source IP or an OSM client certificate). Linkerd authorizes it by its mesh identity: add linkerd.io/inject: ingress to the controller\'s pod template (not its namespace), restart it, and have it strip incoming l5d-dst-override headers. Until it is meshed, Linkerd refuses its requests to the backends.',
    message: verbatim,
  },
  'ingress-backend/source-service-not-found': {
    severity: 'warning',
    title: 'Ingress controller Service not in the repository: fill in its identity',
    remediation: 'The pods behind the Service source are not in the repository, so their ServiceAccount is unknown. The AuthorizationPolicies reference a MeshTLSAuthentication that does not exist yet; Linkerd ignores them, and refuses the controller, until you create it from the snippet with the controller\'s ServiceAccount.',
    message: verbatim,
  },
  'ingress-backend/http-source-ip': {
    severity: 'info',
    title: 'Plain-HTTP IngressBackend: source IP check becomes an identity check',
    remediation: 'OSM wildcarded the client identity on http backends and admitted clients by source IP only (the Service endpoints and IPRanges). Linkerd admits the meshed controller by its mesh identity and IPRange sources by network, and the hop from the controller to the backend becomes mTLS. AuthenticatedPrincipal sources had no effect on http backends and are not translated.',
    message: verbatim,
  },
  'ingress-backend/open-to-all': {
    severity: 'warning',
    title: 'IngressBackend open to every client, kept open',
    remediation: 'Without a Service or IPRange source (or, on https, without an AuthenticatedPrincipal) OSM admitted any client to the backend port. The translation keeps it open with an AuthorizationPolicy from every network, which also admits meshed pods that OSM held to their TrafficTargets. Add a Service source naming the controller to restrict it.',
    message: verbatim,
  },
  'ingress-backend/ip-range': {
    severity: 'warning',
    title: 'IPRange source becomes a NetworkAuthentication that also admits meshed pods',
    remediation: 'OSM\'s ingress chain only saw clients outside the mesh, so an IPRange never opened the port to mesh pods. A NetworkAuthentication admits every client from the range, meshed or not. Narrow the range to the controller\'s addresses, or name the controller\'s Service instead once it is meshed.',
    message: verbatim,
  },
  'ingress-backend/https-backend': {
    severity: 'warning',
    title: 'HTTPS IngressBackend: the OSM client certificate gives way to the mesh identity',
    remediation: 'OSM\'s sidecar terminated TLS and checked the controller\'s OSM-issued client certificate. Linkerd terminates mTLS in its own proxy: mesh the controller, make it send plain HTTP to the backend (remove backend-protocol HTTPS, proxy_ssl_* and the OSM client-certificate secret from the Ingress or controller configuration), and the AuthorizationPolicy checks the identity the AuthenticatedPrincipal named. Source IP restrictions from Service sources are not kept.',
    message: verbatim,
  },
  'ingress-backend/skip-client-cert-validation': {
    severity: 'warning',
    title: 'HTTPS IngressBackend without client certificate validation',
    remediation: 'With skipClientCertValidation OSM terminated TLS but accepted any client certificate, so only the source IP counted; AuthenticatedPrincipals were wildcarded. The backend is translated like a plain-HTTP one. Mesh the controller and have it send plain HTTP to the backend: Linkerd adds mTLS between the proxies.',
    message: verbatim,
  },
  'ingress-backend/sni-hosts': {
    severity: 'warning',
    title: 'tls.sniHosts restriction is dropped',
    remediation: 'OSM matched the ingress TLS connection on these SNI names. A meshed controller\'s connection carries Linkerd\'s own SNI, so Linkerd cannot check them; restrict host names on the Ingress (rule host) instead.',
    message: verbatim,
  },
  'ingress-backend/principal-not-translated': {
    severity: 'warning',
    title: 'AuthenticatedPrincipal that names no Linkerd identity',
    remediation: 'Only OSM identities of the form <serviceaccount>.<namespace>.cluster.local map to a Linkerd identity (<serviceaccount>.<namespace>.serviceaccount.identity.linkerd.<trust domain>). This principal is not translated, so the client that presented it is refused: add the controller\'s ServiceAccount to a MeshTLSAuthentication from the snippet and require it from an AuthorizationPolicy on the backend Server.',
    message: verbatim,
  },
  'ingress-backend/principal-not-controller': {
    severity: 'warning',
    title: 'AuthenticatedPrincipal does not spell the controller\'s ServiceAccount',
    remediation: 'OSM issued the ingress controller\'s client certificate from MeshConfig certificate.ingressGateway, so its SAN need not match the ServiceAccount of the controller pods. OSM admitted the pods behind the Service source presenting that certificate; the translation authorizes their ServiceAccounts, not the account the SAN spells. If other pods held the certificate, add their ServiceAccount to the controllers MeshTLSAuthentication.',
    message: verbatim,
  },
  'ingress-backend/source-ignored': {
    severity: 'info',
    title: 'IngressBackend source kind OSM ignored',
    remediation: 'OSM only reads Service, AuthenticatedPrincipal and IPRange sources, and a Service in a namespace labelled openservicemesh.io/ignore had no pods OSM knew; such a source allowed nothing and is not translated. Remove it.',
    message: verbatim,
  },
  'ingress-backend/matches-not-implemented': {
    severity: 'warning',
    title: 'IngressBackend spec.matches was never implemented by OSM',
    remediation: 'OSM ignored spec.matches (TODO #3779) and routed every path and method of the backend to the controller. The translation allows all routes as OSM did; restrict paths on the Ingress, or add HTTPRoutes on the backend Server with their own AuthorizationPolicies.',
    message: verbatim,
  },
  'ingress-backend/permissive-mesh-clients': {
    severity: 'info',
    title: 'Permissive mode: every meshed client admitted on the ingress backend Server',
    remediation: 'In permissive mode OSM let every mesh client reach the backend port. The Server generated for the ingress would deny them, so an AuthorizationPolicy admits any meshed identity (identities: ["*"]). Replace it with the real clients when you move to deny-by-default.',
    message: verbatim,
  },
  'ingress-backend/shared-server': {
    severity: 'info',
    title: 'Ingress authorizations attached to the TrafficTarget Server',
    remediation: 'The backend port already has a Server from the traffic-target rule, so the ingress AuthorizationPolicies target it (one Server per port); being server-level, they count on every route of it. Unless a TrafficTarget route already matches every request, a catch-all route lets the controller reach every path, and other clients now get 403 instead of 404 on paths no TrafficTarget route matches; nothing else changes for them.',
    message: verbatim,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = {
  ...ingressBackendFindings,
  ...pick(probeFindings, 'probes/open-to-all-networks'),
};

/** The ids `finding(...)` accepts here. */
export type RaisedId = keyof typeof raises;

export const finding = finderFor(raises);
