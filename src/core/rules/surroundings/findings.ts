import { defineFindings, verbatim } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';

/** The findings the surroundings rule declares. */
export const surroundingsFindings = defineFindings({
  'surroundings/network-policy': {
    severity: 'warning',
    title: 'NetworkPolicy opened for OSM',
    remediation: 'Allow Linkerd instead: proxy egress to the linkerd namespace (destination 8086, identity 8080, policy 8090), ingress to the proxy port 4143 from meshed clients and to 4191 for probes and metrics. Remove the OSM ports (15128 xDS, 15010 metrics, 15901-15904 probes) after OSM is uninstalled.',
    message: verbatim,
  },
  'surroundings/ingress': {
    severity: 'warning',
    title: 'Ingress configured for OSM sidecar TLS',
    remediation: 'With Linkerd, mesh the ingress controller (linkerd.io/inject: ingress on its pods) and let it talk plain HTTP to the backends: remove backend-protocol HTTPS, proxy_ssl_* and the OSM client-certificate secret from the Ingress.',
    message: verbatim,
  },
  'surroundings/gitops-install': {
    severity: 'warning',
    title: 'GitOps object installs OSM',
    remediation: 'Add Linkerd (linkerd-crds and linkerd-control-plane Helm charts, with your trust anchor and issuer) next to it, migrate the workloads, then remove this object to uninstall OSM.',
    message: verbatim,
  },
  'surroundings/crd': {
    severity: 'info',
    title: 'SMI or OSM CRD in the repository',
    remediation: 'Delete the CRD once no object of its group remains; linkerd-smi installs its own TrafficSplit CRD when you keep TrafficSplits.',
    message: verbatim,
  },
  'surroundings/flagger-provider': {
    severity: 'warning',
    title: 'Flagger canary uses the OSM provider',
    remediation: 'Switch spec.provider to gatewayapi:v1 (HTTPRoute weights, Linkerd 2.18+) or linkerd (TrafficSplit through linkerd-smi), and mesh the Flagger load tester.',
    message: verbatim,
  },
  'surroundings/argo-rollouts-smi': {
    severity: 'warning',
    title: 'Argo Rollout shifts traffic through SMI TrafficSplits',
    remediation: 'Argo Rollouts writes the TrafficSplit of a Rollout with trafficRouting.smi at run time, so it is not in Git to translate. Linkerd serves TrafficSplit only with the deprecated linkerd-smi extension: without it Argo cannot write the split and the canary traffic shifting fails. Switch to the Argo Rollouts Gateway API plugin (trafficRouting.plugins argoproj-labs/gatewayAPI) with an HTTPRoute whose parent is the root Service (Linkerd 2.14+), or install linkerd-smi.',
    message: verbatim,
  },
  'surroundings/ingress-crd': {
    severity: 'warning',
    title: 'Ingress-controller route (Traefik, Contour, NGINX, Emissary) in front of meshed Services',
    remediation: 'Under OSM the ingress controller stayed outside the mesh and reached its backends through an IngressBackend. Under Linkerd the backends\' Servers refuse an unmeshed controller: mesh it (ingress mode plus an l5d-dst-override header when it sends to pod endpoints, as Traefik and Contour do; linkerd.io/inject: enabled when it sends to the Service) and authorize its ServiceAccount on the backends.',
    message: verbatim,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = surroundingsFindings;

/** The ids `finding(...)` accepts here. */
export type RaisedId = keyof typeof raises;

export const finding = finderFor(raises);
