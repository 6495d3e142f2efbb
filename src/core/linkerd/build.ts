import type { LabelSelectorRequirement } from '../inventory/model.ts';
import type { LinkerdVersion } from '../options.ts';
import { GENERATED_BY_LABEL, type LinkerdResource } from './resources.ts';
import {
  AUTHORIZATION_POLICY_API,
  MESH_TLS_AUTHENTICATION_API,
  NETWORK_AUTHENTICATION_API,
  policyHttpRouteApiVersion,
  serverApiVersion,
} from './versions.ts';

/** Builders for the Linkerd kinds we emit: apiVersion per target, explicit groups and kinds, stable key order. */

const POLICY_GROUP = 'policy.linkerd.io';

function metadata(name: string, namespace: string | undefined): LinkerdResource['metadata'] {
  return { name, ...(namespace !== undefined ? { namespace } : {}), labels: { ...GENERATED_BY_LABEL } };
}

export type ProxyProtocol = 'unknown' | 'HTTP/1' | 'HTTP/2' | 'gRPC' | 'opaque' | 'TLS';

export interface ServerSpec {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly podLabels: Readonly<Record<string, string>>;
  /** ANDed with podLabels (a workload's selector expressions, or conditions that keep other pods off the Server). */
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
  readonly port: number | string;
  readonly proxyProtocol: ProxyProtocol;
  /** Server v1beta3 accessPolicy (2.16+); omitted means the CRD default, deny. */
  readonly accessPolicy?: 'audit' | 'all-authenticated';
}

function podSelector(s: ServerSpec): Record<string, unknown> {
  const expressions = (s.matchExpressions ?? []).map((r) => ({
    key: r.key, operator: r.operator, ...(r.operator === 'In' || r.operator === 'NotIn' ? { values: [...r.values] } : {}),
  }));
  if (expressions.length === 0) return { matchLabels: { ...s.podLabels } };
  return { ...(Object.keys(s.podLabels).length > 0 ? { matchLabels: { ...s.podLabels } } : {}), matchExpressions: expressions };
}

export function buildServer(version: LinkerdVersion, s: ServerSpec): LinkerdResource {
  return {
    apiVersion: serverApiVersion(version),
    kind: 'Server',
    metadata: metadata(s.name, s.namespace),
    spec: {
      podSelector: podSelector(s),
      port: s.port,
      proxyProtocol: s.proxyProtocol,
      ...(s.accessPolicy ? { accessPolicy: s.accessPolicy } : {}),
    },
  };
}

export interface RouteMatch {
  readonly path?: { readonly type: 'Exact' | 'PathPrefix' | 'RegularExpression'; readonly value: string };
  readonly headers?: readonly { readonly name: string; readonly value: string; readonly type: 'Exact' | 'RegularExpression' }[];
  readonly method?: string;
}

/** An inbound HTTPRoute attached to a Server (linkerd-reference §3.5: group and kind written explicitly). */
export function buildServerRoute(
  version: LinkerdVersion,
  name: string,
  namespace: string | undefined,
  server: string,
  rules: readonly { readonly matches: readonly RouteMatch[] }[],
): LinkerdResource {
  return {
    apiVersion: policyHttpRouteApiVersion(version),
    kind: 'HTTPRoute',
    metadata: metadata(name, namespace),
    spec: {
      parentRefs: [{ group: POLICY_GROUP, kind: 'Server', name: server }],
      rules: rules.map((r) => ({ matches: r.matches.map((m) => ({ ...m })) })),
    },
  };
}

export type AuthorizationTarget =
  | { readonly kind: 'Server'; readonly name: string }
  | { readonly kind: 'HTTPRoute'; readonly name: string }
  | { readonly kind: 'Namespace'; readonly name: string };

export type AuthenticationRef =
  | { readonly kind: 'MeshTLSAuthentication'; readonly name: string }
  | { readonly kind: 'NetworkAuthentication'; readonly name: string };

export function buildAuthorizationPolicy(
  name: string,
  namespace: string | undefined,
  target: AuthorizationTarget,
  refs: readonly AuthenticationRef[],
): LinkerdResource {
  const targetRef = target.kind === 'Namespace'
    ? { kind: 'Namespace', name: target.name }
    : { group: POLICY_GROUP, kind: target.kind, name: target.name };
  return {
    apiVersion: AUTHORIZATION_POLICY_API,
    kind: 'AuthorizationPolicy',
    metadata: metadata(name, namespace),
    spec: {
      targetRef,
      requiredAuthenticationRefs: refs.map((r) => ({ group: POLICY_GROUP, kind: r.kind, name: r.name })),
    },
  };
}

/**
 * identityRefs rather than identity strings: they do not depend on the trust domain or the control-plane
 * namespace (linkerd-reference §3.7), which a translator cannot know.
 */
export function buildMeshTlsAuthentication(
  name: string,
  namespace: string | undefined,
  serviceAccounts: readonly { readonly name: string; readonly namespace: string }[],
): LinkerdResource {
  return {
    apiVersion: MESH_TLS_AUTHENTICATION_API,
    kind: 'MeshTLSAuthentication',
    metadata: metadata(name, namespace),
    spec: { identityRefs: serviceAccounts.map((sa) => ({ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace })) },
  };
}

export function buildNetworkAuthentication(name: string, namespace: string | undefined, cidrs: readonly string[]): LinkerdResource {
  return {
    apiVersion: NETWORK_AUTHENTICATION_API,
    kind: 'NetworkAuthentication',
    metadata: metadata(name, namespace),
    spec: { networks: cidrs.map((cidr) => ({ cidr })) },
  };
}
