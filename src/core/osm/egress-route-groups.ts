import type { Inventory, K8sObject } from '../inventory/model.ts';
import { asArray, asRecord, asString } from '../values.ts';
import { inEffect, replacedDocuments } from './replaced-documents.ts';

/**
 * Which HTTPRouteGroups OSM's Egress objects name (osm-semantics §3.2; `pkg/catalog/egress.go`), as OSM looked them
 * up. Both the egress rule (to read what an Egress allowed) and the traffic-target rule (so a group only an Egress
 * names is not called unreferenced) need it, and neither imports the other.
 */

/** The apiVersion of the HTTPRouteGroups an Egress match may name (egressValidator). */
export const HTTP_ROUTE_GROUP_API = 'specs.smi-spec.io/v1alpha4';

/** The HTTPRouteGroup matches of an Egress `spec.matches`, with their index there. */
export function routeGroupNames(matches: readonly Readonly<Record<string, unknown>>[]): { name: string; index: number }[] {
  return matches.flatMap((m, index) => (m['apiGroup'] === HTTP_ROUTE_GROUP_API && m['kind'] === 'HTTPRouteGroup' ? [{ name: asString(m['name']) ?? '', index }] : []));
}

/**
 * The HTTPRouteGroups some Egress names in its matches, found as the egress rule finds them; whether OSM honoured the
 * Egress is the egress rule's to say. The traffic-target rule does not call these unreferenced.
 */
export function routeGroupsOfEgresses(inventory: Inventory): Set<K8sObject> {
  const result = usedRouteGroups(inventory);
  // The earlier documents of those groups are reported by the egress rule (egress/replaced-by-later-document).
  for (const [group] of replacedRouteGroups(inventory)) result.add(group);
  return result;
}

function usedRouteGroups(inventory: Inventory): Set<K8sObject> {
  const result = new Set<K8sObject>();
  for (const egress of inEffect(inventory.osm('Egress'))) {
    for (const { name } of routeGroupNames(asArray(asRecord(egress.body['spec'])['matches']).map(asRecord))) {
      const group = findInNamespace(inventory, 'HTTPRouteGroup', egress.ref.namespace, name);
      if (group) result.add(group);
    }
  }
  return result;
}

/** Earlier documents of the HTTPRouteGroups an Egress in effect names, each with the document that replaces it. */
export function replacedRouteGroups(inventory: Inventory): [K8sObject, K8sObject][] {
  const used = usedRouteGroups(inventory);
  return [...replacedDocuments(inventory.osm('HTTPRouteGroup'))].filter(([, later]) => used.has(later));
}

/** The document in effect (the last of that kind, namespace and name) in the namespace, else one without namespace. */
export function findInNamespace(inventory: Inventory, kind: string, namespace: string | undefined, name: string): K8sObject | undefined {
  const candidates = inEffect(inventory.osm(kind)).filter((o) => o.ref.name === name);
  return candidates.find((o) => o.ref.namespace === namespace) ?? candidates.find((o) => o.ref.namespace === undefined);
}
