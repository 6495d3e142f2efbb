import type { Inventory, OsmProtocol, Workload } from '../inventory/model.ts';
import { resolveTargetPort } from '../inventory/services.ts';
import type { OsmAccess } from './osm-access.ts';

/**
 * Who had a proxy, before and after, read by verify itself (not by the translator's osm/meshed.ts).
 *
 * OSM (osm-semantics §5): nothing is injected in a namespace labelled `openservicemesh.io/ignore`; the pod template's
 * `openservicemesh.io/sidecar-injection` decides first, then the Namespace manifest's. When neither says, `osm
 * namespace add` may have set it in the cluster: the repository's own SMI objects are the evidence (identities exist
 * only for meshed pods), so a namespace some TrafficTarget lives in or names a source of, or an IngressBackend lives
 * in, counts as meshed.
 *
 * Linkerd (linkerd-reference §7.1): `linkerd.io/inject` on the pod template, else on the Namespace, decides. When the
 * migrated repository says neither, it is **unknown**: someone may annotate the namespace outside Git (the translator
 * asks them to), or nobody will.
 */

export type Injection = 'enabled' | 'disabled' | 'unknown';

const OSM_INJECTION = 'openservicemesh.io/sidecar-injection';
const OSM_IGNORE = 'openservicemesh.io/ignore';
const LINKERD_INJECTION = 'linkerd.io/inject';

function osmValue(value: string | undefined): Injection {
  const v = value?.trim().toLowerCase();
  if (v === undefined) return 'unknown';
  if (v === 'enabled' || v === 'yes' || v === 'true') return 'enabled';
  // Anything else fails the admission request or says no: no sidecar either way.
  return 'disabled';
}

/** Namespaces the repository's OSM objects show OSM managed (see the module comment). */
export function osmEvidence(before: Inventory, access: OsmAccess): Set<string> {
  const namespaces = new Set(access.namespaces);
  for (const identity of access.identities) namespaces.add(identity.slice(identity.indexOf('.') + 1));
  for (const o of before.osm('IngressBackend')) if (o.ref.namespace !== undefined) namespaces.add(o.ref.namespace);
  return namespaces;
}

export function osmInjected(before: Inventory, workload: Workload, evidence: ReadonlySet<string>): boolean {
  const namespace = workload.namespace;
  if (namespace === undefined) return false;
  const ns = before.findNamespace(namespace);
  if (ns?.labels[OSM_IGNORE] !== undefined) return false;
  const pod = osmValue(workload.podAnnotations[OSM_INJECTION]);
  if (pod !== 'unknown') return pod === 'enabled';
  const declared = osmValue(ns?.annotations[OSM_INJECTION]);
  if (declared !== 'unknown') return declared === 'enabled';
  return evidence.has(namespace);
}

function linkerdValue(value: string | undefined): Injection {
  if (value === undefined) return 'unknown';
  return value === 'enabled' || value === 'ingress' ? 'enabled' : 'disabled';
}

/** The workload's injection in the migrated repository, with the reason in a few words. */
export function linkerdInjection(after: Inventory, workload: Workload): { injection: Injection; reason: string } {
  const pod = linkerdValue(workload.podAnnotations[LINKERD_INJECTION]);
  if (pod !== 'unknown') return { injection: pod, reason: `pod template ${LINKERD_INJECTION}: ${workload.podAnnotations[LINKERD_INJECTION] ?? ''}` };
  const ns = workload.namespace === undefined ? undefined : after.findNamespace(workload.namespace);
  const declared = linkerdValue(ns?.annotations[LINKERD_INJECTION]);
  if (declared !== 'unknown') return { injection: declared, reason: `namespace ${LINKERD_INJECTION}: ${ns?.annotations[LINKERD_INJECTION] ?? ''}` };
  return {
    injection: 'unknown',
    reason: ns
      ? `no ${LINKERD_INJECTION} on the pod template nor on Namespace ${ns.name}`
      : `no ${LINKERD_INJECTION} on the pod template and no Namespace ${workload.namespace ?? ''} manifest`,
  };
}

export interface PodPort {
  readonly port: number;
  /** OSM's protocol for it when a Service targets it (§6.5), else undefined: no inbound chain in OSM. */
  readonly osmProtocol?: OsmProtocol;
}

/**
 * Every port the pod template exposes: its container ports and every Service targetPort that reaches it. OSM built
 * inbound chains only for Service target ports (§6.1); the first Service wins on a protocol disagreement.
 */
export function podPorts(inventory: Inventory, workload: Workload): PodPort[] {
  const protocols = new Map<number, OsmProtocol>();
  for (const service of inventory.servicesSelecting(workload)) {
    for (const sp of service.ports) {
      if (sp.protocol.toUpperCase() !== 'TCP') continue;
      const port = resolveTargetPort(sp, workload);
      if (port !== undefined && !protocols.has(port)) protocols.set(port, sp.osmProtocol);
    }
  }
  const ports = new Set([...workload.ports.filter((p) => p.protocol.toUpperCase() === 'TCP').map((p) => p.port), ...protocols.keys()]);
  return [...ports].sort((a, b) => a - b).map((port) => {
    const osmProtocol = protocols.get(port);
    return osmProtocol !== undefined ? { port, osmProtocol } : { port };
  });
}
