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

/** What each version can do, where the answer changes what we emit. */
export function features(v: LinkerdVersion) {
  return {
    /** `audit` default policy and Server accessPolicy (2.16+; earlier versions silently fall back to allow-all). */
    audit: atLeast(v, '2.16'),
    /** Weighted backendRefs on HTTPRoutes with a Service parent (2.13+). */
    weightedServiceRoutes: atLeast(v, '2.13'),
    /** RegularExpression path matches on inbound routes (every supported version's proxy has them). */
    regexPathMatch: true,
  } as const;
}
