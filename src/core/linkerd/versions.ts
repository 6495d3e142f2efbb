import { atLeast, type LinkerdVersion } from '../options.ts';

/**
 * The newest API version of each kind a Linkerd version serves (linkerd-semantics §1, from each version's CRD chart).
 * Emitting the newest served version keeps the output valid and avoids deprecation warnings.
 */
export function serverApiVersion(v: LinkerdVersion): string {
  if (atLeast(v, '2.16')) return 'policy.linkerd.io/v1beta3';
  if (atLeast(v, '2.15')) return 'policy.linkerd.io/v1beta2';
  return 'policy.linkerd.io/v1beta1';
}

export function policyHttpRouteApiVersion(v: LinkerdVersion): string {
  if (atLeast(v, '2.14')) return 'policy.linkerd.io/v1beta3';
  if (atLeast(v, '2.13')) return 'policy.linkerd.io/v1beta2';
  return 'policy.linkerd.io/v1beta1';
}

export const AUTHORIZATION_POLICY_API = 'policy.linkerd.io/v1alpha1';
export const MESH_TLS_AUTHENTICATION_API = 'policy.linkerd.io/v1alpha1';
export const NETWORK_AUTHENTICATION_API = 'policy.linkerd.io/v1alpha1';
/** HTTPLocalRateLimitPolicy (2.17+, linkerd-reference §6). */
export const HTTP_LOCAL_RATE_LIMIT_POLICY_API = 'policy.linkerd.io/v1alpha1';
/** ServiceProfile: served by every supported version (linkerd-reference §5.1). */
export const SERVICE_PROFILE_API = 'linkerd.io/v1alpha2';
/** EgressNetwork (2.17+, linkerd-semantics §1). */
export const EGRESS_NETWORK_API = 'policy.linkerd.io/v1alpha1';
/** Gateway API TLSRoute / TCPRoute: only v1alpha2 exists in Linkerd's CRD chart (2.17+), experimental channel. */
export const GATEWAY_TLS_ROUTE_API = 'gateway.networking.k8s.io/v1alpha2';
export const GATEWAY_TCP_ROUTE_API = 'gateway.networking.k8s.io/v1alpha2';

/** What each version can do, where the answer changes what we emit. */
export function features(v: LinkerdVersion) {
  return {
    /** `audit` default policy and Server accessPolicy (2.16+; earlier versions silently fall back to allow-all). */
    audit: atLeast(v, '2.16'),
    /** Server v1beta3 `accessPolicy`, any default-policy value (2.16+, linkerd-reference §1, §3.4). */
    serverAccessPolicy: atLeast(v, '2.16'),
    /** Weighted backendRefs on HTTPRoutes with a Service parent (2.13+). */
    weightedServiceRoutes: atLeast(v, '2.13'),
    /** RegularExpression path matches on inbound routes (every supported version's proxy has them). */
    regexPathMatch: true,
    /** HTTPLocalRateLimitPolicy on Servers (2.17+, linkerd-reference §6). */
    localRateLimit: atLeast(v, '2.17'),
    /** `retry.linkerd.io/*` and `timeout.linkerd.io/*` annotations (2.16+; before, ServiceProfile only: linkerd-reference §5). */
    retryAnnotations: atLeast(v, '2.16'),
    /** `balancer.linkerd.io/failure-accrual: consecutive` on Services (2.13+, linkerd-reference §5.3). */
    failureAccrual: atLeast(v, '2.13'),
    /** Egress control: EgressNetwork plus HTTPRoute / TLSRoute / TCPRoute with EgressNetwork parents (2.17+). */
    egressNetwork: atLeast(v, '2.17'),
    /** linkerd-crds installs the Gateway API CRDs (TLSRoute, TCPRoute…) by default: 2.14-2.18 (`installGatewayAPI: false` from 2.19). */
    gatewayApiInstalledByDefault: atLeast(v, '2.14') && !atLeast(v, '2.19'),
  } as const;
}
