import type { Inventory, K8sObject, Service, Workload } from '../inventory/model.ts';
import { resolveTargetPort, selects } from '../inventory/services.ts';
import type { NodePath } from '../source.ts';
import { asArray, asPortNumber, asRecord, asString, getIn } from '../values.ts';
import { isValidCidr } from '../primitives/cidr.ts';
import { exposedPorts, type ExposedPort } from './exposed-ports.ts';
import { ignoredNamespace, ignoredNamespaceReason } from './meshed.ts';
import { replacedDocuments } from './replaced-documents.ts';

/**
 * The IngressBackends OSM applied and the pod ports their backends reached (osm-semantics §3.1, §6.6). Read by the
 * ingress-backend rule and by linkerd/servers.ts (an IngressBackend backend needs a Server); `verify` keeps its own
 * reading (verify/osm-ingress.ts) so that the check shares nothing with the translation.
 */

/** One `spec.backends[]` entry (osm-semantics §3.1): a Service of the IngressBackend's namespace and its targetPort. */
export interface IngressBackendTarget {
  readonly index: number;
  readonly name: string;
  /** `port.number`: the backend Service's targetPort, not its port (`pkg/catalog/ingress.go:42`). */
  readonly port: number;
  readonly protocol: 'http' | 'https';
  readonly skipClientCertValidation: boolean;
  readonly sniHosts: readonly string[];
}

export type IngressBackendSource =
  | { readonly index: number; readonly kind: 'Service'; readonly name: string; readonly namespace: string }
  | { readonly index: number; readonly kind: 'AuthenticatedPrincipal'; readonly name: string }
  | { readonly index: number; readonly kind: 'IPRange'; readonly name: string }
  | { readonly index: number; readonly kind: 'other'; readonly name: string; readonly written: string };

export interface IngressBackendPolicy {
  readonly object: K8sObject;
  readonly name: string;
  readonly namespace: string | undefined;
  /** Namespace written on generated objects: omitted when a kustomization sets it for the file they are added to. */
  readonly outNamespace: string | undefined;
  readonly backends: readonly IngressBackendTarget[];
  readonly sources: readonly IngressBackendSource[];
  /** `spec.matches` is set: OSM never implemented it (TODO(#3779), `pkg/catalog/ingress.go:143-151`). */
  readonly hasMatches: boolean;
  /** Service sources in an ignored namespace (osm-semantics §5): not in `sources`, they never took effect. */
  readonly ignoredSources: readonly NotApplied[];
}

/** An IngressBackend that never took effect in OSM, and why. */
export interface NotApplied {
  readonly object: K8sObject;
  readonly path: NodePath;
  readonly reason: string;
}

export interface IngressBackends {
  readonly applied: readonly IngressBackendPolicy[];
  readonly notApplied: readonly NotApplied[];
}

const SERVED = 'policy.openservicemesh.io/v1alpha1';

/**
 * Reads the IngressBackends OSM applied. The admission webhook refused the whole object for a protocol other than
 * http/https, https + skipClientCertValidation without an AuthenticatedPrincipal (its inverted check), a Service
 * source without name or namespace, an IPRange `net.ParseCIDR` rejects, and a backend another IngressBackend already
 * claims (`pkg/validator/validators.go:103-152`); the CRD requires backends, sources, port number and protocol.
 * Two documents with one namespace and name are one object: the later replaces the earlier.
 * OSM never injected in a namespace labelled openservicemesh.io/ignore (osm-semantics §5): an IngressBackend there
 * never applied, and a Service source there is left out (`ignoredSources`; the whole object when it was the only source).
 */
export function readIngressBackends(objects: readonly K8sObject[], inventory: Inventory): IngressBackends {
  const notApplied: NotApplied[] = [];
  const replaced = replacedDocuments(objects);
  const claims = new Map<string, IngressBackendPolicy>();
  const applied: IngressBackendPolicy[] = [];
  for (const object of objects) {
    const replacement = replaced.get(object);
    if (replacement) {
      notApplied.push({
        object, path: ['metadata', 'name'],
        reason: `a later document with the same namespace and name (${replacement.doc.file}:${replacement.locate(['metadata', 'name']).line}) replaces it`,
      });
      continue;
    }
    const read = readPolicy(object, inventory);
    if ('reason' in read) {
      notApplied.push(read);
      continue;
    }
    const conflict = read.backends.find((b) => claims.has(claimKey(read, b)));
    if (conflict) {
      const owner = claims.get(claimKey(read, conflict));
      notApplied.push({
        object, path: ['spec', 'backends', conflict.index],
        reason: `backend ${conflict.name}:${conflict.port} is already claimed by IngressBackend ${owner?.name} (duplicate backends are refused)`,
      });
      continue;
    }
    read.backends.forEach((b) => claims.set(claimKey(read, b), read));
    applied.push(read);
  }
  return { applied, notApplied };
}

function claimKey(p: IngressBackendPolicy, b: IngressBackendTarget): string {
  return `${p.namespace ?? ''}/${b.name}/${b.port}`;
}

function readPolicy(object: K8sObject, inventory: Inventory): IngressBackendPolicy | NotApplied {
  const reject = (path: NodePath, reason: string): NotApplied => ({ object, path, reason });
  const ignored = ignoredNamespace(inventory, object.ref.namespace);
  if (ignored !== undefined) return reject(['metadata', 'namespace'], ignoredNamespaceReason(ignored));
  if (object.ref.apiVersion !== SERVED && object.ref.apiVersion.includes('/')) {
    return reject(['apiVersion'], `OSM serves IngressBackend only as ${SERVED}`);
  }
  const spec = asRecord(object.body['spec']);
  if (!Array.isArray(spec['backends'])) return reject(['spec'], 'spec.backends is required');
  if (!Array.isArray(spec['sources'])) return reject(['spec'], 'spec.sources is required');
  const sources: IngressBackendSource[] = [];
  for (const [index, raw] of asArray(spec['sources']).entries()) {
    const s = asRecord(raw);
    const kind = asString(s['kind']) ?? '';
    const name = asString(s['name']) ?? '';
    const at: NodePath = ['spec', 'sources', index];
    if (!name) return reject(at, `source ${index} has no name`);
    if (kind === 'Service') {
      const namespace = asString(s['namespace']) ?? '';
      if (!namespace) return reject(at, `Service source ${name} has no namespace ("'source.namespace' not specified")`);
      sources.push({ index, kind, name, namespace });
    } else if (kind === 'IPRange') {
      if (!name.includes('/') || !isValidCidr(name)) return reject([...at, 'name'], `IPRange ${JSON.stringify(name)} is not a CIDR`);
      sources.push({ index, kind, name });
    } else if (kind === 'AuthenticatedPrincipal') {
      sources.push({ index, kind, name });
    } else {
      sources.push({ index, kind: 'other', name, written: kind });
    }
  }
  // A Service source in an ignored namespace had no injected pods there (osm-semantics §5): left out, with a notice.
  const ignoredSources = sources.flatMap((s): NotApplied[] => {
    const ignored = s.kind === 'Service' ? ignoredNamespace(inventory, s.namespace) : undefined;
    return ignored === undefined ? [] : [reject(['spec', 'sources', s.index], `Service source ${ignored}/${s.name}: ${ignoredNamespaceReason(ignored)}`)];
  });
  if (ignoredSources.length > 0 && ignoredSources.length === sources.length) {
    return reject(['spec', 'sources'], `its only source${sources.length > 1 ? 's are Services' : ' is a Service'} in an ignored namespace (${ignoredSources.map((n) => n.reason).join('; ')})`);
  }
  const hasPrincipal = sources.some((s) => s.kind === 'AuthenticatedPrincipal');
  const backends: IngressBackendTarget[] = [];
  for (const [index, raw] of asArray(spec['backends']).entries()) {
    const b = asRecord(raw);
    const at: NodePath = ['spec', 'backends', index];
    const name = asString(b['name']) ?? '';
    const port = asPortNumber(getIn(b, ['port', 'number']));
    const protocol = (asString(getIn(b, ['port', 'protocol'])) ?? '').toLowerCase();
    if (!name) return reject(at, `backend ${index} has no name`);
    if (port === undefined || port < 1 || port > 65535) return reject([...at, 'port'], `backend ${name} has no valid port.number`);
    if (protocol !== 'http' && protocol !== 'https') {
      return reject([...at, 'port'], `backend ${name} has port.protocol ${JSON.stringify(getIn(b, ['port', 'protocol']) ?? '')} ("Expected 'port.protocol' to be 'http' or 'https'")`);
    }
    const skip = getIn(b, ['tls', 'skipClientCertValidation']) === true;
    if (protocol === 'https' && skip && !hasPrincipal) {
      return reject([...at, 'tls'], `backend ${name} skips client certificate validation without an AuthenticatedPrincipal source (the webhook's inverted check refuses it)`);
    }
    const sniHosts = asArray(getIn(b, ['tls', 'sniHosts'])).filter((h): h is string => typeof h === 'string');
    backends.push({ index, name, port, protocol, skipClientCertValidation: skip, sniHosts });
  }
  return {
    object,
    name: object.ref.name,
    namespace: object.ref.namespace,
    outNamespace: object.namespaceSource === 'kustomization' ? undefined : object.ref.namespace,
    backends,
    sources: sources.filter((s) => !ignoredSources.some((n) => n.path[2] === s.index)),
    ignoredSources,
    hasMatches: asArray(spec['matches']).length > 0,
  };
}

/** A pod port an IngressBackend backend reached: OSM's ingress filter chain listened on it. */
export interface BackendPort {
  readonly workload: Workload;
  readonly port: ExposedPort;
}

export interface BackendPorts {
  /** The backend Service, in the IngressBackend's namespace. */
  readonly service: Service | undefined;
  /** The workloads the Service selects. */
  readonly workloads: readonly Workload[];
  /** Their pod ports that `port.number` names: a TCP port of the Service must target it on that workload. */
  readonly ports: readonly BackendPort[];
}

/** "backend.Port.Number != int(svc.TargetPort)": only a Service port whose targetPort is port.number matches. */
export function backendPorts(inventory: Inventory, policy: IngressBackendPolicy, backend: IngressBackendTarget): BackendPorts {
  const service = inventory.findService(policy.namespace, backend.name);
  if (!service) return { service, workloads: [], ports: [] };
  const workloads = inventory.workloads.filter((w) => w.namespace === service.namespace && selects(service, w));
  const ports: BackendPort[] = [];
  for (const workload of workloads) {
    const reached = service.ports.some((sp) => sp.protocol.toUpperCase() === 'TCP' && resolveTargetPort(sp, workload) === backend.port);
    const port = reached ? exposedPorts(inventory, workload).find((e) => e.port === backend.port) : undefined;
    if (port) ports.push({ workload, port });
  }
  return { service, workloads, ports };
}
