import { defineFindings, verbatim } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';

/** The findings the other-kinds rule declares. */
export const otherKindsFindings = defineFindings({
  'other-kinds/mesh-root-certificate': {
    severity: 'warning',
    title: 'MeshRootCertificate: Linkerd brings its own identity CA',
    remediation: 'Linkerd issues workload certificates from its trust anchor and issuer (linkerd install --identity-trust-anchors-file / --identity-issuer-*), or from cert-manager as an external issuer (--identity-external-issuer). Reuse the CA this object named if you want one root for both meshes during the move; the trust domain is --identity-trust-domain.',
    message: verbatim,
  },
  'other-kinds/identity-binding': {
    severity: 'info',
    title: 'IdentityBinding: never supported by OSM',
    remediation: 'OSM ignored SMI IdentityBindings, so nothing depended on it. Delete it; Linkerd identities are ServiceAccounts (MeshTLSAuthentication identityRefs).',
    message: verbatim,
  },
  'other-kinds/telemetry': {
    severity: 'warning',
    title: 'Telemetry / ExtensionService: OSM main-branch access logging',
    remediation: 'Linkerd writes proxy access logs with the config.linkerd.io/access-log annotation (apache or json) on the workloads or their Namespace; ship them with your log collector, or use linkerd-jaeger for traces.',
    message: verbatim,
  },
  'other-kinds/multi-cluster-service': {
    severity: 'warning',
    title: 'MultiClusterService: use the Linkerd multicluster extension',
    remediation: 'Install the linkerd-multicluster extension, link the clusters (linkerd multicluster link), and export the Service with the label mirror.linkerd.io/exported: "true" (or remote-discovery).',
    message: verbatim,
  },
  'other-kinds/backpressure': {
    severity: 'info',
    title: 'Backpressure: removed from OSM in v0.8',
    remediation: 'OSM v0.8 and later ignored this object. Delete it; Linkerd rate limits are HTTPLocalRateLimitPolicy (2.17+) and circuit breaking is failure accrual on the Service.',
    message: verbatim,
  },
  'other-kinds/udp-route': {
    severity: 'info',
    title: 'UDPRoute: OSM never routed UDP',
    remediation: 'Delete it. Linkerd does not proxy UDP either: UDP traffic bypasses the proxy and needs a NetworkPolicy if it must be restricted.',
    message: verbatim,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = otherKindsFindings;

/** The ids `finding(...)` accepts here. */
export type RaisedId = keyof typeof raises;

export const finding = finderFor(raises);
