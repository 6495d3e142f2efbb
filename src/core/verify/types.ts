import type { FindingId } from '../findings/catalogue.ts';

/** Who sends a request: a meshed identity `<sa>.<namespace>`, an unmeshed pod, or the kubelet (probes). */
export type RequestSource =
  | { readonly kind: 'meshed'; readonly serviceAccount: string; readonly namespace: string; readonly ip: string }
  | { readonly kind: 'unmeshed'; readonly ip: string }
  | { readonly kind: 'kubelet'; readonly ip: string };

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
}

export interface VerificationReport {
  readonly requests: number;
  readonly differences: readonly Difference[];
  readonly uncovered: readonly Difference[];
}

export function describeSource(source: RequestSource): string {
  return source.kind === 'meshed' ? `${source.serviceAccount}.${source.namespace}` : source.kind;
}
