import { selectorSelects } from '../inventory/label-selector.ts';
import type { Inventory, LabelSelector, LabelSelectorRequirement, Workload } from '../inventory/model.ts';

/**
 * Which pods a Server selects, computed over every pod template of the inventory (linkerd-reference §3.2: Servers
 * in the pod's namespace whose podSelector matches the pod labels, on the port number or the TCP container-port
 * name). A workload's own spec.selector may also select the pods of another workload; a Server built from it would
 * then carry this workload's authorizations to those pods, while OSM's identity is per pod ServiceAccount
 * (osm-semantics §2.1.4). So the selector is narrowed with labels of this workload's pod template that the other
 * pods do not have.
 */

/** Does a Server on `port` (number or container-port name) govern one of the workload's pod ports? */
export function serverPortApplies(port: number | string, workload: Workload): boolean {
  // A number selects that port directly, declared in containerPorts or not (linkerd-reference §3.2).
  if (typeof port === 'number') return true;
  return workload.ports.some((p) => p.name === port && p.protocol.toUpperCase() === 'TCP');
}

/** The pod port numbers a Server on `port` governs on the workload's pods. */
export function serverPortNumbers(port: number | string, workload: Workload): number[] {
  if (typeof port === 'number') return [port];
  return [...new Set(workload.ports.filter((p) => p.name === port && p.protocol.toUpperCase() === 'TCP').map((p) => p.port))];
}

const byNamespace = new WeakMap<Inventory, Map<string | undefined, Workload[]>>();

/** The pod templates of a namespace (indexed once per inventory: every Server asks). */
function workloadsIn(inventory: Inventory, namespace: string | undefined): readonly Workload[] {
  let index = byNamespace.get(inventory);
  if (!index) {
    index = new Map();
    for (const w of inventory.workloads) {
      const list = index.get(w.namespace);
      if (list) list.push(w);
      else index.set(w.namespace, [w]);
    }
    byNamespace.set(inventory, index);
  }
  return index.get(namespace) ?? [];
}

/** Pod templates of the workload's namespace, other than its own, that a Server (selector, port) governs. */
function otherWorkloadsSelected(inventory: Inventory, workload: Workload, selector: LabelSelector, port: number | string): Workload[] {
  return workloadsIn(inventory, workload.namespace).filter((w) => w !== workload && selectorSelects(selector, w.podLabels) && serverPortApplies(port, w));
}

export interface NarrowedSelector {
  readonly selector: LabelSelector;
  /** The conditions added, as written for a reader (`version: v2`, `track DoesNotExist`). */
  readonly added: readonly string[];
  /** Other pod templates the workload's own selector selected and the narrowed one no longer does. */
  readonly excluded: readonly Workload[];
  /** Other pod templates no label of this workload's pod template tells apart: still selected. */
  readonly unresolved: readonly Workload[];
}

type Condition =
  | { readonly kind: 'label'; readonly key: string; readonly value: string }
  | { readonly kind: 'absent'; readonly key: string };

function excludes(condition: Condition, labels: Readonly<Record<string, string>>): boolean {
  if (condition.kind === 'label') return labels[condition.key] !== condition.value;
  return Object.hasOwn(labels, condition.key);
}

function describe(condition: Condition): string {
  return condition.kind === 'label' ? `${condition.key}: ${condition.value}` : `${condition.key} DoesNotExist`;
}

/**
 * The workload's selector, plus the fewest conditions (chosen greedily) that keep every other pod template of the
 * namespace off the Server: a label of this pod template the other lacks or sets differently (matchLabels), else a
 * label key the other has and this pod template has not (`DoesNotExist`). Both hold for every pod of the workload
 * (its pods carry the template's labels), so the Server still selects all of them.
 */
export function narrowSelector(inventory: Inventory, workload: Workload, port: number | string): NarrowedSelector {
  const base = workload.podSelector;
  const others = otherWorkloadsSelected(inventory, workload, base, port);
  if (others.length === 0) return { selector: base, added: [], excluded: [], unresolved: [] };
  const own = workload.podLabels;
  const candidates: Condition[] = [
    ...Object.keys(own).sort().filter((k) => base.matchLabels[k] === undefined).map((key): Condition => ({ kind: 'label', key, value: own[key] ?? '' })),
    ...[...new Set(others.flatMap((w) => Object.keys(w.podLabels)))].sort().filter((k) => !Object.hasOwn(own, k)).map((key): Condition => ({ kind: 'absent', key })),
  ];
  const chosen: Condition[] = [];
  let remaining = others;
  while (remaining.length > 0) {
    let best: Condition | undefined;
    let bestCount = 0;
    for (const c of candidates) {
      const count = remaining.filter((w) => excludes(c, w.podLabels)).length;
      if (count > bestCount) [best, bestCount] = [c, count];
    }
    if (!best) break;
    const picked = best;
    chosen.push(picked);
    remaining = remaining.filter((w) => !excludes(picked, w.podLabels));
  }
  const matchLabels = { ...base.matchLabels };
  const matchExpressions: LabelSelectorRequirement[] = [...base.matchExpressions];
  for (const c of chosen) {
    if (c.kind === 'label') matchLabels[c.key] = c.value;
    else matchExpressions.push({ key: c.key, operator: 'DoesNotExist', values: [] });
  }
  const selector = { matchLabels, matchExpressions };
  return { selector, added: chosen.map(describe), excluded: others.filter((w) => !remaining.includes(w)), unresolved: remaining };
}
