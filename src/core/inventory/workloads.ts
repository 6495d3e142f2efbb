import type { NodePath } from '../source.ts';
import { asArray, asPortNumber, asRecord, asString, asStringMap, getIn } from '../values.ts';
import { isEmptySelector, readLabelSelector } from './label-selector.ts';
import { WORKLOAD_KINDS, type ContainerPort, type K8sObject, type Probe, type Workload, type WorkloadKind } from './model.ts';

/** Where each workload kind keeps its pod template (Pod: the object itself). */
const POD_TEMPLATE: Record<WorkloadKind, NodePath> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Rollout: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Pod: [],
};

function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

export function readWorkload(object: K8sObject): Workload | undefined {
  const kind = object.ref.kind;
  if (!isWorkloadKind(kind)) return undefined;
  if (kind === 'Rollout' && !object.ref.apiVersion.startsWith('argoproj.io/')) return undefined;
  const templatePath = POD_TEMPLATE[kind];
  const template = asRecord(getIn(object.body, templatePath));
  const metadata = asRecord(template['metadata']);
  const spec = asRecord(template['spec']);
  const podLabels = asStringMap(metadata['labels']);
  const matchLabels = asStringMap(getIn(object.body, ['spec', 'selector', 'matchLabels']));
  const selector = readLabelSelector(getIn(object.body, ['spec', 'selector']));
  const containers = [...asArray(spec['containers']), ...asArray(spec['initContainers'])].map(asRecord);
  const ports = containers.flatMap(readPorts);
  return {
    object,
    kind,
    name: object.ref.name,
    ...(object.ref.namespace !== undefined ? { namespace: object.ref.namespace } : {}),
    podLabels,
    selectorLabels: Object.keys(matchLabels).length > 0 ? matchLabels : podLabels,
    // A Job or a bare Pod has no selector written: its pods are the ones carrying the template's labels.
    podSelector: isEmptySelector(selector) ? { matchLabels: podLabels, matchExpressions: [] } : selector,
    serviceAccount: asString(spec['serviceAccountName']) ?? asString(spec['serviceAccount']) ?? 'default',
    ports,
    probes: containers.flatMap((c) => readProbes(c, ports)),
    podAnnotations: asStringMap(metadata['annotations']),
    podMetadataPath: [...templatePath, 'metadata'],
  };
}

function readPorts(container: Readonly<Record<string, unknown>>): ContainerPort[] {
  return asArray(container['ports']).flatMap((raw) => {
    const p = asRecord(raw);
    const port = asPortNumber(p['containerPort']);
    if (port === undefined) return [];
    const name = asString(p['name']);
    return [{ port, protocol: asString(p['protocol']) ?? 'TCP', ...(name ? { name } : {}) }];
  });
}

const PROBES = [['livenessProbe', 'liveness'], ['readinessProbe', 'readiness'], ['startupProbe', 'startup']] as const;

function readProbes(container: Readonly<Record<string, unknown>>, ports: readonly ContainerPort[]): Probe[] {
  const resolve = (value: unknown): number | undefined =>
    asPortNumber(value) ?? ports.find((p) => p.name !== undefined && p.name === value)?.port;
  return PROBES.flatMap(([field, kind]): Probe[] => {
    const probe = asRecord(container[field]);
    if (Object.keys(probe).length === 0) return [];
    const http = asRecord(probe['httpGet']);
    if (Object.keys(http).length > 0) {
      const port = resolve(http['port']);
      // Linkerd matches probe paths without the query string (and "/" when none is given).
      const path = (asString(http['path']) ?? '/').split('?')[0] || '/';
      return [{ kind, type: 'http', path, ...(port !== undefined ? { port } : {}) }];
    }
    const tcp = asRecord(probe['tcpSocket']);
    if (Object.keys(tcp).length > 0) {
      const port = resolve(tcp['port']);
      return [{ kind, type: 'tcp', ...(port !== undefined ? { port } : {}) }];
    }
    const grpc = asRecord(probe['grpc']);
    if (Object.keys(grpc).length > 0) {
      const port = asPortNumber(grpc['port']);
      return [{ kind, type: 'grpc', ...(port !== undefined ? { port } : {}) }];
    }
    return [{ kind, type: 'exec' }];
  });
}
