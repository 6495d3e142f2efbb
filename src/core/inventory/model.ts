import type { LoadedDocument } from '../load/load.ts';
import type { NodePath, ObjectRef, SourceLocation } from '../source.ts';

import type { DeploymentUnits } from './deployment-units.ts';

/**
 * How an object's namespace was found: its own metadata, a kustomization's namespace:, a deployment unit's evidence
 * (a Flux Kustomization's targetNamespace, an Argo CD Application's destination.namespace), or not at all.
 */
export type NamespaceSource = 'metadata' | 'kustomization' | 'deployment-unit' | 'unknown';

/**
 * The namespace to write on a resource generated beside `object` for `namespace`. Only a namespace the source itself
 * names is written: where kustomize or a GitOps tool places the source, it places the generated file the same way;
 * where the namespace is unknown, the generated resources stay namespace-less too, so they land wherever the file is
 * applied (never a guessed namespace).
 */
export function generatedNamespace(object: K8sObject, namespace: string | undefined): string | undefined {
  return object.namespaceSource === 'metadata' ? namespace : undefined;
}

/** A Kubernetes object found in the repository, with where it came from. */
export interface K8sObject {
  readonly ref: ObjectRef;
  readonly body: Readonly<Record<string, unknown>>;
  readonly doc: LoadedDocument;
  /** How the namespace was found; `unknown` means ref.namespace is undefined. */
  readonly namespaceSource: NamespaceSource;
  /** Every namespace the object is deployed to when several kustomizations (or GitOps entry points) place it. */
  readonly candidateNamespaces: readonly string[];
  /** Line of a node inside the object (or of its closest existing ancestor). */
  locate(path: NodePath): SourceLocation;
}

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
}

export interface Probe {
  readonly kind: 'liveness' | 'readiness' | 'startup';
  readonly type: 'http' | 'tcp' | 'grpc' | 'exec';
  /** Container port number the probe targets (resolved from a name when needed). */
  readonly port?: number;
  /** HTTP path without query string. */
  readonly path?: string;
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'Rollout'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export interface Workload {
  readonly object: K8sObject;
  readonly kind: WorkloadKind;
  readonly name: string;
  readonly namespace?: string;
  /** Labels of the pods (pod template labels). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Labels that identify this workload's pods: spec.selector.matchLabels, else the pod labels. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** serviceAccountName, else the deprecated serviceAccount, else `default`. */
  readonly serviceAccount: string;
  readonly ports: readonly ContainerPort[];
  readonly probes: readonly Probe[];
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** Path of the pod template's metadata in the document (for edits). */
  readonly podMetadataPath: NodePath;
}

/** Protocol OSM gave a Service port (osm-semantics §6.5, v1.2 order of preference). */
export type OsmProtocol = 'http' | 'grpc' | 'tcp' | 'tcp-server-first' | 'unsupported';

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly appProtocol?: string;
  readonly protocol: string;
  readonly osmProtocol: OsmProtocol;
  /** Index in spec.ports (for locating). */
  readonly index: number;
}

export interface Service {
  readonly object: K8sObject;
  readonly name: string;
  readonly namespace?: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePort[];
  readonly headless: boolean;
}

export interface NamespaceObject {
  readonly object: K8sObject;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A kustomization.yaml: what it lists and which namespace it sets. */
export interface Kustomization {
  readonly file: string;
  readonly dir: string;
  readonly namespace?: string;
  /** Entries of resources: (and the deprecated bases:) as written. */
  readonly resources: readonly string[];
  readonly doc: LoadedDocument;
}

/** Everything the rules read: built once, read-only. */
export interface Inventory {
  readonly objects: readonly K8sObject[];
  readonly workloads: readonly Workload[];
  readonly services: readonly Service[];
  readonly serviceAccounts: readonly K8sObject[];
  readonly namespaces: readonly NamespaceObject[];
  readonly kustomizations: readonly Kustomization[];
  /** The repository's entry points and what each deploys. */
  readonly deploymentUnits: DeploymentUnits;
  /** Documents that are not Kubernetes objects (Helm values files, config fragments): OSM keys in them still count. */
  readonly otherDocuments: readonly LoadedDocument[];
  /** OSM and SMI objects (by group), in repository order. */
  readonly osmObjects: readonly K8sObject[];
  /** OSM/SMI objects of one kind. */
  osm(kind: string): readonly K8sObject[];
  /** Workloads of a namespace running as a ServiceAccount. */
  workloadsRunningAs(namespace: string | undefined, serviceAccount: string): readonly Workload[];
  /** Services in the workload's namespace whose selector selects its pods. */
  servicesSelecting(workload: Workload): readonly Service[];
  findService(namespace: string | undefined, name: string): Service | undefined;
  findNamespace(name: string): NamespaceObject | undefined;
}

/** API groups whose objects belong to OSM or SMI. */
export const OSM_GROUPS = [
  'access.smi-spec.io',
  'specs.smi-spec.io',
  'split.smi-spec.io',
  'policy.openservicemesh.io',
  'config.openservicemesh.io',
] as const;
