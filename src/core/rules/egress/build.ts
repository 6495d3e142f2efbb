import type { RouteMatch } from '../../linkerd/build.ts';
import { GENERATED_BY_LABEL, type LinkerdResource } from '../../linkerd/resources.ts';
import { EGRESS_NETWORK_API, GATEWAY_TCP_ROUTE_API, GATEWAY_TLS_ROUTE_API, policyHttpRouteApiVersion } from '../../linkerd/versions.ts';
import type { LinkerdVersion } from '../../options.ts';

/**
 * Builders for Linkerd egress control (linkerd-reference §6, 2.17+): EgressNetwork, and the routes that let traffic
 * through a Deny EgressNetwork. Routes name the EgressNetwork as parent with the port (required for that parent,
 * linkerd-reference §9.6); TLS and TCP routes send the traffic on to its original destination by naming the
 * EgressNetwork as backend (Linkerd docs, "Managing egress traffic"), in their single rule (§9.8).
 */

const POLICY_GROUP = 'policy.linkerd.io';

export type TrafficPolicy = 'Allow' | 'Deny';

function metadata(name: string, namespace: string | undefined, annotations?: Readonly<Record<string, string>>): LinkerdResource['metadata'] {
  return {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    labels: { ...GENERATED_BY_LABEL },
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
  };
}

/** `networks` omitted = everything outside the install's clusterNetworks. */
export function buildEgressNetwork(
  name: string,
  namespace: string | undefined,
  trafficPolicy: TrafficPolicy,
  networks: readonly string[] | undefined,
  annotations?: Readonly<Record<string, string>>,
): LinkerdResource {
  return {
    apiVersion: EGRESS_NETWORK_API,
    kind: 'EgressNetwork',
    metadata: metadata(name, namespace, annotations),
    spec: {
      trafficPolicy,
      ...(networks ? { networks: networks.map((cidr) => ({ cidr })) } : {}),
    },
  };
}

function parentRef(network: string, port: number) {
  return { group: POLICY_GROUP, kind: 'EgressNetwork', name: network, port };
}

/** policy.linkerd.io HTTPRoute: always installed with Linkerd's CRDs, unlike the Gateway API one on 2.19+. */
export function buildEgressHttpRoute(
  version: LinkerdVersion,
  name: string,
  namespace: string | undefined,
  network: string,
  port: number,
  hostnames: readonly string[],
  rules: readonly (readonly RouteMatch[])[],
): LinkerdResource {
  return {
    apiVersion: policyHttpRouteApiVersion(version),
    kind: 'HTTPRoute',
    metadata: metadata(name, namespace),
    spec: {
      parentRefs: [parentRef(network, port)],
      ...(hostnames.length > 0 ? { hostnames: [...hostnames] } : {}),
      rules: rules.map((matches) => ({ matches: matches.map((m) => ({ ...m })) })),
    },
  };
}

export function buildEgressTlsRoute(name: string, namespace: string | undefined, network: string, port: number, hostnames: readonly string[]): LinkerdResource {
  return {
    apiVersion: GATEWAY_TLS_ROUTE_API,
    kind: 'TLSRoute',
    metadata: metadata(name, namespace),
    spec: {
      parentRefs: [parentRef(network, port)],
      ...(hostnames.length > 0 ? { hostnames: [...hostnames] } : {}),
      rules: [{ backendRefs: [{ group: POLICY_GROUP, kind: 'EgressNetwork', name: network }] }],
    },
  };
}

export function buildEgressTcpRoute(name: string, namespace: string | undefined, network: string, port: number): LinkerdResource {
  return {
    apiVersion: GATEWAY_TCP_ROUTE_API,
    kind: 'TCPRoute',
    metadata: metadata(name, namespace),
    spec: {
      parentRefs: [parentRef(network, port)],
      rules: [{ backendRefs: [{ group: POLICY_GROUP, kind: 'EgressNetwork', name: network }] }],
    },
  };
}
