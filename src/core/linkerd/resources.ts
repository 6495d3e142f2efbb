import type { K8sObject } from '../inventory/model.ts';

/** A Kubernetes object the translation emits. Specs stay plain data: they are validated against the real CRDs. */
export interface LinkerdResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: Readonly<Record<string, unknown>>;
}

/** An emitted resource and the OSM object it replaces (placement puts it in a file beside that object). */
export interface GeneratedResource {
  readonly resource: LinkerdResource;
  readonly origin: K8sObject;
}

/** Label put on everything we generate, so people (and re-runs) can find it. */
export const GENERATED_BY_LABEL = { 'app.kubernetes.io/managed-by': 'osm2linkerd' } as const;
