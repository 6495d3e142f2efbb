import type { FindingId } from '../findings/catalogue.ts';

/**
 * Who sends a request: a meshed identity `<sa>.<namespace>`, an unmeshed pod, the kubelet (probes), or an ingress
 * controller an OSM IngressBackend names.
 */
export type RequestSource =
  | { readonly kind: 'meshed'; readonly serviceAccount: string; readonly namespace: string; readonly ip: string }
  | { readonly kind: 'unmeshed'; readonly ip: string }
  | { readonly kind: 'kubelet'; readonly ip: string }
  | IngressSource;

/**
 * An ingress controller, seen twice: by OSM it was no mesh client (plain HTTP, or TLS with an OSM-issued client
 * certificate, from its pod IPs, osm-semantics §3.1, §6.6); by Linkerd it is a meshed client with its ServiceAccount's
 * identity once meshed (`identity` absent while it is not meshed, or when its ServiceAccount is unknown).
 */
export interface IngressSource {
  readonly kind: 'ingress';
  /** `ingress:service/<ns>/<name>` or `ingress:principal/<SAN>`: what findings name in `affects.source`. */
  readonly label: string;
  readonly ip: string;
  /** The IngressBackend Service source it stands for (`<ns>/<name>`): OSM admitted that Service's endpoint IPs. */
  readonly service?: string;
  /** SAN of the client certificate it presented to OSM (HTTPS backends); absent when unknown. */
  readonly principal?: string;
  readonly identity?: { readonly serviceAccount: string; readonly namespace: string };
}

export interface HttpRequestShape {
  readonly method: string;
  /** Path without query string. */
  readonly path: string;
  /** Lower-case header names. `host` is the authority. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One cell of the request matrix: a source calling one container port of one destination workload. */
export interface AccessRequest {
  readonly source: RequestSource;
  readonly namespace: string;
  readonly workload: string;
  readonly serviceAccount: string;
  readonly port: number;
  /** Absent for TCP connections (opaque ports). */
  readonly http?: HttpRequestShape;
}

export interface Decision {
  readonly allowed: boolean;
  /** Why, in a few words (which route/authorization decided). */
  readonly reason: string;
}

export interface Difference {
  readonly request: AccessRequest;
  readonly osm: Decision;
  readonly linkerd: Decision;
  /** Findings whose `affects` scope covers this request. Empty: nobody explained it. */
  readonly coveredBy: readonly FindingId[];
  /** The overlay (`kustomization <dir>`) whose build this request was asked of; absent for the deployed base view. */
  readonly unit?: string;
}

/**
 * One (source identity → destination workload:port) pair whose verdict changes for some requests: `wider` counts
 * requests Linkerd allows that OSM denied, `narrower` the reverse.
 */
export interface AccessChange {
  readonly source: string;
  readonly namespace: string;
  readonly workload: string;
  readonly port: number;
  readonly wider: number;
  readonly narrower: number;
  /** Findings that explain at least one of its requests. */
  readonly coveredBy: readonly FindingId[];
  /** Requests of the pair no finding explains. */
  readonly uncovered: number;
  /** The first differing request, as an example. */
  readonly example: Difference;
  /** The overlay whose build changes the verdict; absent for the deployed base view. */
  readonly unit?: string;
}

/**
 * One (source → destination workload:port) pair of the deployed base view that either mesh allows for at least one
 * of its requests: who may call whom before and after the migration (the PR's access graph).
 */
export interface AccessPair {
  /** As `describeSource` names it (`<sa>.<namespace>`, `unmeshed`, `kubelet`, `ingress:…`). */
  readonly source: string;
  readonly sourceKind: RequestSource['kind'];
  /** The namespace of a meshed identity (an ingress controller's once meshed); absent for other sources. */
  readonly sourceNamespace?: string;
  readonly namespace: string;
  readonly workload: string;
  readonly port: number;
  /** OSM allowed some of its requests before the migration. */
  readonly osm: boolean;
  /** Linkerd allows some of its requests after the migration. */
  readonly linkerd: boolean;
}

/** What verify could not decide from the repository, and says instead of assuming. */
export type VerificationUnknown = (
  | { readonly kind: 'namespace-unknown'; readonly workload: string; readonly file: string }
  | { readonly kind: 'injection-unknown'; readonly namespace: string; readonly workload: string; readonly reason: string }
  | { readonly kind: 'server-conflict'; readonly namespace: string; readonly workload: string; readonly port: number; readonly servers: readonly string[] }
) & { readonly unit?: string };

/**
 * One kustomization root whose patches make it deploy something else than the base view, judged on its own build:
 * its figures are included in the report's totals, and its differences carry its name.
 */
export interface UnitVerification {
  /** `kustomization <dir>`. */
  readonly root: string;
  readonly requests: number;
  readonly differences: number;
  readonly uncovered: number;
}

export interface VerificationReport {
  readonly requests: number;
  readonly differences: readonly Difference[];
  readonly uncovered: readonly Difference[];
  /** The differences grouped by source and destination port, uncovered first. */
  readonly accessChanges: readonly AccessChange[];
  readonly unknowns: readonly VerificationUnknown[];
  /** The overlays judged on their own builds (the deployed base view is the rest of the totals). */
  readonly units: readonly UnitVerification[];
  /** The base view's pairs that either mesh allows, sorted by destination then source. */
  readonly pairs: readonly AccessPair[];
}

export function describeSource(source: RequestSource): string {
  if (source.kind === 'meshed') return `${source.serviceAccount}.${source.namespace}`;
  return source.kind === 'ingress' ? source.label : source.kind;
}
