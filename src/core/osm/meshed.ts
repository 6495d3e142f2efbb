import type { Inventory, Workload } from '../inventory/model.ts';
import type { AccessModel } from './access-model.ts';

export const SIDECAR_INJECTION = 'openservicemesh.io/sidecar-injection';
export const MONITORED_BY = 'openservicemesh.io/monitored-by';

/** OSM accepts enabled/yes/true and disabled/no/false, case-insensitive (osm-semantics §5). */
export function injectionValue(value: string | undefined): 'enabled' | 'disabled' | 'invalid' | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'enabled' || v === 'yes' || v === 'true') return 'enabled';
  if (v === 'disabled' || v === 'no' || v === 'false') return 'disabled';
  return 'invalid';
}

/**
 * Namespaces OSM meshed, as far as the repository tells: monitored Namespace manifests with injection enabled, and
 * namespaces whose ServiceAccounts appear in TrafficTargets (SMI identities exist only for meshed pods).
 */
export function meshedNamespaces(inventory: Inventory, model: AccessModel): Set<string> {
  const result = new Set<string>();
  for (const ns of inventory.namespaces) {
    if (ns.labels[MONITORED_BY] !== undefined && injectionValue(ns.annotations[SIDECAR_INJECTION]) === 'enabled') result.add(ns.name);
  }
  for (const p of model.policies) {
    if (p.namespace && !inventory.findNamespace(p.namespace)) result.add(p.namespace);
    for (const s of p.sources) {
      const ns = s.slice(s.indexOf('.') + 1);
      if (!inventory.findNamespace(ns)) result.add(ns);
    }
  }
  for (const w of inventory.workloads) {
    if (w.namespace && injectionValue(w.podAnnotations[SIDECAR_INJECTION]) === 'enabled') result.add(w.namespace);
  }
  return result;
}

/**
 * OSM's injection decision (osm-semantics §5): the namespace must be monitored; then pod `enabled` injects, pod
 * `disabled` does not, otherwise the namespace annotation decides. Without a Namespace manifest, the namespace's
 * membership is taken from `meshedNamespaces`.
 */
export function isMeshed(workload: Workload, inventory: Inventory, meshed: ReadonlySet<string>): boolean {
  if (workload.namespace === undefined) return false;
  const pod = injectionValue(workload.podAnnotations[SIDECAR_INJECTION]);
  const ns = inventory.findNamespace(workload.namespace);
  if (ns && ns.labels[MONITORED_BY] === undefined) return false;
  if (pod === 'enabled') return true;
  if (pod === 'disabled' || pod === 'invalid') return false;
  if (ns) return injectionValue(ns.annotations[SIDECAR_INJECTION]) === 'enabled';
  return meshed.has(workload.namespace);
}
