import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import { formatRef } from '../source.ts';
import { isNamespaced } from './inventory.ts';
import { dirname } from './kustomize.ts';
import type { Inventory, K8sObject } from './model.ts';

/**
 * One Kubernetes object, several files (issue 7 item 1). Documents with the same kind, namespace and name in
 * different files are versions of one object: canary stages applied in turn, an archived copy beside the deployed
 * one. They do not compete ("the first one wins" is not what the cluster does): whichever is applied last is live.
 * So each version is translated in a view of the repository in which it is the live one, and its translation is
 * written beside it with the same resource names.
 */

/**
 * kind/namespace/name. A namespaced object without a known namespace is keyed by its file as well: two namespace-less
 * documents of different files may be applied to different namespaces, so they are never taken for one object.
 */
export function objectKey(o: K8sObject): string {
  const namespace = o.ref.namespace ?? (isNamespaced(o.ref.kind) ? `?${o.doc.file}` : '');
  return `${o.ref.kind}/${namespace}/${o.ref.name}`;
}

/** A set of objects applied together, and the ones among them whose translation this view contributes. */
export interface TranslationView {
  readonly objects: readonly K8sObject[];
  /** The first view's own objects are all of its objects; another view's are the versions of one file. */
  readonly own: ReadonlySet<K8sObject>;
}

/**
 * The views to translate. The first holds what the repository deploys (objects its entry points reach), with one
 * version of each object: the one in the last file in repository order, as `kubectl apply -f` of the whole tree
 * leaves it. Every other version, and every file no entry point reaches, is translated in a view of its own: the
 * deployed objects with that file's versions in place of the ones they replace, plus, for context, what files of its
 * directory add without replacing anything (they are usually applied together, `kubectl apply -f dir/`).
 */
export function translationViews(inventory: Inventory): TranslationView[] {
  const deployed = (o: K8sObject) => !inventory.deploymentUnits.unreached.has(o.doc.file);
  const chosenFile = new Map<string, string>();
  for (const o of inventory.objects) if (deployed(o)) chosenFile.set(objectKey(o), o.doc.file);
  const main = inventory.objects.filter((o) => deployed(o) && chosenFile.get(objectKey(o)) === o.doc.file);
  const inMain = new Set(main);
  const mainKeys = new Set(main.map(objectKey));
  const views: TranslationView[] = [{ objects: main, own: inMain }];
  const byDir = new Map<string, K8sObject[]>();
  for (const o of inventory.objects) {
    if (inMain.has(o)) continue;
    const dir = dirname(o.doc.file);
    const list = byDir.get(dir);
    if (list) list.push(o);
    else byDir.set(dir, [o]);
  }
  for (const pending of byDir.values()) {
    let rest = pending;
    while (rest.length > 0) {
      const layerFile = new Map<string, string>();
      for (const o of rest) layerFile.set(objectKey(o), o.doc.file);
      const layer = rest.filter((o) => layerFile.get(objectKey(o)) === o.doc.file);
      for (const file of new Set(layer.map((o) => o.doc.file))) {
        const own = layer.filter((o) => o.doc.file === file);
        const ownKeys = new Set(own.map(objectKey));
        const context = layer.filter((o) => o.doc.file !== file && !mainKeys.has(objectKey(o)) && !ownKeys.has(objectKey(o)));
        // Its own objects come first: where OSM let the first of two competing objects win (two TrafficSplits of one
        // apex), the view translates its own, and what the deployed objects get is decided in the first view only.
        views.push({ objects: [...own, ...context, ...main.filter((o) => !ownKeys.has(objectKey(o)))], own: new Set(own) });
      }
      const taken = new Set(layer);
      rest = rest.filter((o) => !taken.has(o));
    }
  }
  return views;
}

/** Objects the migration reads: OSM objects, workloads, Services, Namespaces. */
function readByMigration(inventory: Inventory): (o: K8sObject) => boolean {
  const read = new Set<K8sObject>([...inventory.osmObjects, ...inventory.workloads.map((w) => w.object)]);
  return (o) => read.has(o) || o.ref.kind === 'Service' || o.ref.kind === 'Namespace';
}

/** "Defined in N files; whichever is applied last is live", on every version. */
export function versionFindings(inventory: Inventory): Finding[] {
  const byKey = new Map<string, K8sObject[]>();
  for (const o of inventory.objects) byKey.set(objectKey(o), [...(byKey.get(objectKey(o)) ?? []), o]);
  const findings: Finding[] = [];
  const matters = readByMigration(inventory);
  for (const versions of byKey.values()) {
    const files = [...new Set(versions.map((o) => o.doc.file))];
    if (files.length < 2) continue;
    for (const o of versions) {
      if (!matters(o)) continue;
      const others = files.filter((f) => f !== o.doc.file);
      const resource = formatRef(o.ref);
      findings.push(finding('inventory/object-in-several-files', o.locate(['metadata', 'name']), {
        resource,
        message: `${resource} is defined in ${files.length} files (this one and ${others.join(', ')}); they are versions of one object, and whichever is applied last is live. This version is translated in place, with the same resource names, so applying its translation replaces the others as applying it did.`,
      }));
    }
  }
  return findings;
}

/** One finding per file no entry point reaches, when it holds something the migration reads. */
export function notDeployedFindings(inventory: Inventory): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const matters = readByMigration(inventory);
  for (const o of inventory.objects) {
    const file = o.doc.file;
    if (seen.has(file) || !inventory.deploymentUnits.unreached.has(file) || !matters(o)) continue;
    seen.add(file);
    const entries = inventory.deploymentUnits.units.filter((u) => u.kind === 'flux-kustomization' || u.kind === 'argocd-application').map((u) => u.name);
    findings.push(finding('inventory/not-deployed', o.locate(['metadata', 'name']), {
      resource: formatRef(o.ref),
      message: `Nothing in the repository deploys ${file}: no kustomization root, GitOps path (${entries.join(', ')}) or Helm chart reaches it. It is translated in place, but it decides nothing for the deployed files, and verify does not count it.`,
    }));
  }
  return findings;
}
