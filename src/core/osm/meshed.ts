import type { Inventory, Workload } from '../inventory/model.ts';
import type { AccessModel } from './access-model.ts';

export const SIDECAR_INJECTION = 'openservicemesh.io/sidecar-injection';
export const MONITORED_BY = 'openservicemesh.io/monitored-by';
export const IGNORE = 'openservicemesh.io/ignore';

/**
 * What the repository says of OSM's hold on a namespace (osm-semantics §5):
 *  - `ignored`: its Namespace manifest carries `openservicemesh.io/ignore` (any value: the webhook selects on
 *    DoesNotExist): OSM never injected a pod there, so nothing there was meshed or applied;
 *  - `monitored`: its Namespace manifest carries `openservicemesh.io/monitored-by`;
 *  - `unlabelled`: a Namespace manifest without that label. `osm namespace add` sets it imperatively, so OSM may well
 *    have monitored it: translated as if monitored, with a warning (injection/namespace-not-monitored);
 *  - `unknown`: no Namespace manifest (or no namespace): assumed monitored.
 */
export type NamespaceMonitoring = 'monitored' | 'ignored' | 'unlabelled' | 'unknown';

export function namespaceMonitoring(inventory: Inventory, namespace: string | undefined): NamespaceMonitoring {
  const ns = namespace === undefined ? undefined : inventory.findNamespace(namespace);
  if (!ns) return 'unknown';
  if (ns.labels[IGNORE] !== undefined) return 'ignored';
  return ns.labels[MONITORED_BY] === undefined ? 'unlabelled' : 'monitored';
}

/** The first of `namespaces` that is `ignored`, if any: objects there (or naming it) OSM never applied. */
export function ignoredNamespace(inventory: Inventory, ...namespaces: readonly (string | undefined)[]): string | undefined {
  return namespaces.find((ns) => namespaceMonitoring(inventory, ns) === 'ignored');
}

/** The message of a finding for an object OSM never applied because `namespace` is ignored. */
export function ignoredNamespaceReason(namespace: string): string {
  return `namespace ${namespace} is labelled ${IGNORE}, so OSM never injected a sidecar there (osm-semantics §5)`;
}

/** OSM accepts enabled/yes/true and disabled/no/false, case-insensitive (osm-semantics §5). */
export function injectionValue(value: string | undefined): 'enabled' | 'disabled' | 'invalid' | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'enabled' || v === 'yes' || v === 'true') return 'enabled';
  if (v === 'disabled' || v === 'no' || v === 'false') return 'disabled';
  return 'invalid';
}

/**
 * Namespaces OSM meshed, as far as the repository tells: Namespace manifests with injection enabled that are monitored
 * (or unlabelled, taken as monitored: see `namespaceMonitoring`), and namespaces whose ServiceAccounts appear in
 * TrafficTargets (SMI identities exist only for meshed pods). An ignored namespace is never meshed.
 */
export function meshedNamespaces(inventory: Inventory, model: AccessModel): Set<string> {
  const result = new Set<string>();
  for (const ns of inventory.namespaces) {
    if (ns.labels[IGNORE] === undefined && injectionValue(ns.annotations[SIDECAR_INJECTION]) === 'enabled') result.add(ns.name);
  }
  for (const p of model.policies) {
    if (p.namespace && !inventory.findNamespace(p.namespace)) result.add(p.namespace);
    for (const s of p.sources) {
      const ns = s.slice(s.indexOf('.') + 1);
      if (!inventory.findNamespace(ns)) result.add(ns);
    }
  }
  for (const w of inventory.workloads) {
    if (w.namespace && namespaceMonitoring(inventory, w.namespace) !== 'ignored' && injectionValue(w.podAnnotations[SIDECAR_INJECTION]) === 'enabled') {
      result.add(w.namespace);
    }
  }
  return result;
}

/**
 * OSM's injection decision (osm-semantics §5): the namespace must be monitored and not ignored (an unlabelled
 * Namespace manifest counts as monitored, see `namespaceMonitoring`); then pod `enabled` injects, pod `disabled` does
 * not, otherwise the namespace annotation decides. Without a Namespace manifest, the namespace's membership is taken
 * from `meshedNamespaces`.
 */
export function isMeshed(workload: Workload, inventory: Inventory, meshed: ReadonlySet<string>): boolean {
  if (workload.namespace === undefined) return false;
  const pod = injectionValue(workload.podAnnotations[SIDECAR_INJECTION]);
  const ns = inventory.findNamespace(workload.namespace);
  if (namespaceMonitoring(inventory, workload.namespace) === 'ignored') return false;
  if (pod === 'enabled') return true;
  if (pod === 'disabled' || pod === 'invalid') return false;
  if (ns) return injectionValue(ns.annotations[SIDECAR_INJECTION]) === 'enabled';
  return meshed.has(workload.namespace);
}

/**
 * The workloads the migration treats as meshed: those OSM injected (`isMeshed`), and those a Server is generated for
 * (`withServer`): OSM programmed their pods, so it had injected them, whatever Git says of their namespace, whose
 * injection `osm namespace add` sets in the cluster (osm-semantics §5). Never in an ignored namespace.
 */
export function treatedAsMeshed(inventory: Inventory, meshed: ReadonlySet<string>, withServer: ReadonlySet<Workload>): Workload[] {
  return inventory.workloads.filter((w) => isMeshed(w, inventory, meshed)
    || (withServer.has(w) && (w.namespace === undefined || namespaceMonitoring(inventory, w.namespace) !== 'ignored')));
}
