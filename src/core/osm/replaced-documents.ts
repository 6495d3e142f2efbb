import type { K8sObject } from '../inventory/model.ts';
import { objectKey } from '../inventory/object-versions.ts';

/**
 * Kubernetes keeps one object per kind, namespace and name: applied in repository order (`kubectl apply`), a later
 * document with the same key replaces the earlier one (the approach of osm/ingress-backends.ts). Documents of one
 * object in different files are separate versions, translated each in its own view (inventory/object-versions.ts),
 * so here it is two documents of one file or stream; a document without a namespace is never one object with a
 * document of another file. Returns each
 * replaced document with the document that finally replaces it; documents missing from the map are the ones in effect.
 */
export function replacedDocuments(objects: readonly K8sObject[]): ReadonlyMap<K8sObject, K8sObject> {
  // Rules ask once per reference they resolve: remember the answer per list (the inventory hands out one per kind).
  const known = memo.get(objects);
  if (known) return known;
  const latest = new Map<string, K8sObject>();
  for (const o of objects) latest.set(documentKey(o), o);
  const replaced = new Map<K8sObject, K8sObject>();
  for (const o of objects) {
    const last = latest.get(documentKey(o));
    if (last && last !== o) replaced.set(o, last);
  }
  memo.set(objects, replaced);
  return replaced;
}

const memo = new WeakMap<readonly K8sObject[], ReadonlyMap<K8sObject, K8sObject>>();

/** The documents in effect: the last of each kind, namespace and name, in repository order. */
export function inEffect(objects: readonly K8sObject[]): readonly K8sObject[] {
  const known = effective.get(objects);
  if (known) return known;
  const replaced = replacedDocuments(objects);
  const result = objects.filter((o) => !replaced.has(o));
  effective.set(objects, result);
  return result;
}

const effective = new WeakMap<readonly K8sObject[], readonly K8sObject[]>();

function documentKey(o: K8sObject): string {
  return objectKey(o);
}
