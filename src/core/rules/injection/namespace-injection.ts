import { finding } from './findings.ts';
import type { Inventory, K8sObject, Workload } from '../../inventory/model.ts';
import { planServers } from '../../linkerd/servers.ts';
import { readAccessModel } from '../../osm/access-model.ts';
import { injectionDecidedByPatch, meshedNamespaces, namespaceMonitoring, SIDECAR_INJECTION, treatedAsMeshed } from '../../osm/meshed.ts';
import { formatRef } from '../../source.ts';
import { getIn } from '../../values.ts';
import type { Emitter } from '../emitter.ts';
import type { RuleInput } from '../rule.ts';

const LINKERD_INJECT = 'linkerd.io/inject';

/** What happens when nobody sets it (linkerd-reference §3.1: "Linkerd can only enforce policy on meshed pods"). */
const CONSEQUENCE = 'If this is skipped, its pods run without a Linkerd proxy once OSM is removed, and every policy generated for them is inert: they accept plaintext from anyone.';

/**
 * `osm namespace add` labels and annotates namespaces in the cluster, not in Git (osm-semantics §5: it "writes the
 * label monitored-by=<mesh> plus the annotation sidecar-injection: enabled"). A workload the migration treats as
 * meshed (OSM injected it, or a Server is generated for its pods) whose pod template says nothing about injection
 * gets its Linkerd proxy only from its namespace's `linkerd.io/inject` (linkerd-reference §7.1: "ns unset/`disabled`
 * + pod unset → no"). So each such namespace gets `linkerd.io/inject: enabled` on its Namespace manifest when the
 * repository has one whose injection is set nowhere in Git; without a manifest, a warning gives the command.
 */
export function translateNamespaceInjection(input: RuleInput, out: Emitter): void {
  const { inventory } = input;
  for (const [namespace, workloads] of relyingOnNamespace(input)) {
    if (namespace === undefined) {
      warnUnknownNamespace(workloads, out);
      continue;
    }
    const manifest = inventory.findNamespace(namespace);
    if (!manifest) {
      warnOutsideGit(namespace, workloads, inventory, out);
      continue;
    }
    // A manifest that decides injection itself (its own sidecar-injection is rewritten, linkerd.io/inject is kept),
    // or is ignored by OSM, is left as it says.
    if (SIDECAR_INJECTION in manifest.annotations || LINKERD_INJECT in manifest.annotations) continue;
    if (namespaceMonitoring(inventory, namespace) === 'ignored' || injectionDecidedByPatch(inventory, namespace)) continue;
    out.edit({ type: 'set-key', doc: manifest.object.doc, path: ['metadata', 'annotations'], key: LINKERD_INJECT, value: 'enabled' });
    out.finding(finding('injection/namespace-inject-added', manifest.object.locate(['metadata', 'name']), {
      resource: formatRef(manifest.object.ref),
      message: `${formatRef(manifest.object.ref)} carries no injection annotation, yet the migration treats its pods as meshed (${reasons(workloads)}): OSM's injection was set outside Git (osm namespace add). ${LINKERD_INJECT}: enabled is added so its pods get a Linkerd proxy when they are restarted; without it they would run with no proxy and every generated policy would be inert. If OSM never meshed this namespace, remove it and the policies generated for it.`,
    }));
  }
}

/**
 * Workloads treated as meshed whose pod template makes no injection choice, by namespace (`undefined`: unknown).
 * Namespaces OSM meshed without a manifest or a workload in the repository (only TrafficTargets name them) count
 * too, with no workload.
 */
function relyingOnNamespace(input: RuleInput): Map<string | undefined, Workload[]> {
  const { inventory } = input;
  const model = readAccessModel(inventory);
  const meshed = meshedNamespaces(inventory, model);
  const withServer = new Set(planServers(input).servers.map((s) => s.workload));
  const result = new Map<string | undefined, Workload[]>();
  for (const w of treatedAsMeshed(inventory, meshed, withServer)) {
    // A Rollout with workloadRef has no pod template: its pods are the referenced workload's, which is checked itself.
    if (w.kind !== 'Pod' && getIn(w.object.body, w.podMetadataPath.slice(0, -1)) === undefined) continue;
    if (SIDECAR_INJECTION in w.podAnnotations || LINKERD_INJECT in w.podAnnotations) continue;
    result.set(w.namespace, [...(result.get(w.namespace) ?? []), w]);
  }
  for (const ns of [...meshed].sort()) {
    if (!inventory.findNamespace(ns) && !inventory.workloads.some((w) => w.namespace === ns)) result.set(ns, []);
  }
  return result;
}

function reasons(workloads: readonly Workload[]): string {
  const names = workloads.map((w) => `${w.kind} ${w.name}`);
  return names.length > 0 ? names.join(', ') : 'TrafficTargets name its ServiceAccounts';
}

function warnOutsideGit(namespace: string, workloads: readonly Workload[], inventory: Inventory, out: Emitter): void {
  const at = workloads[0]?.object ?? namingPolicy(inventory, namespace);
  if (!at) return;
  out.finding(finding('injection/namespace-inject-outside-git', at.locate(['kind']), {
    resource: formatRef(at.ref),
    message: `Namespace ${namespace} has no manifest in the repository and the migration treats its pods as meshed (${reasons(workloads)}); OSM's injection there was set outside Git (osm namespace add), so Linkerd's must be too: kubectl annotate namespace ${namespace} ${LINKERD_INJECT}=enabled (then restart its workloads). ${CONSEQUENCE}`,
    // Whether its pods get a proxy is decided outside Git: every difference that hangs on it is this step's.
    affects: [{ namespace }],
  }));
}

/** Namespace-less workloads (applied with `kubectl -n`): the namespace is not known, so the command names none. */
function warnUnknownNamespace(workloads: readonly Workload[], out: Emitter): void {
  for (const w of workloads) {
    out.finding(finding('injection/namespace-inject-outside-git', w.object.locate(['kind']), {
      resource: formatRef(w.object.ref),
      message: `${formatRef(w.object.ref)} is treated as meshed, its pod template makes no injection choice and its namespace is not known: its Linkerd proxy comes only from the namespace it is applied to. For each such namespace: kubectl annotate namespace <ns> ${LINKERD_INJECT}=enabled (or add ${LINKERD_INJECT}: enabled to its pod template). ${CONSEQUENCE}`,
    }));
  }
}

/** The first TrafficTarget naming a ServiceAccount of the namespace, to anchor a finding on. */
function namingPolicy(inventory: Inventory, namespace: string): K8sObject | undefined {
  return readAccessModel(inventory).policies.find((p) => p.namespace === namespace || p.sources.some((s) => s.endsWith(`.${namespace}`)))?.target;
}
