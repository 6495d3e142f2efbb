import type { CallEdge, CallGraph } from './call-graph.ts';

/** Namespaces that move together in one phase, and the calls between them (a cycle) that need an OSM-side bridge. */
export interface NamespaceGroup {
  readonly namespaces: readonly string[];
  /** Calls inside the group: while its pods restart, some callers are on Linkerd and some callees still on OSM. */
  readonly cycleEdges: readonly CallEdge[];
}

/**
 * The order in which namespaces move: strongly connected components of the call graph (a cycle cannot be ordered, so
 * its namespaces move together), callees before callers, ties by name so the same repository gives the same plan.
 */
export function orderNamespaceGroups(graph: CallGraph): NamespaceGroup[] {
  const components = stronglyConnected(graph);
  const componentOf = new Map<string, number>();
  components.forEach((c, i) => c.forEach((ns) => componentOf.set(ns, i)));
  const callees = components.map(() => new Set<number>());
  const inside = components.map((): CallEdge[] => []);
  for (const e of graph.edges) {
    const from = componentOf.get(e.caller);
    const to = componentOf.get(e.callee);
    if (from === undefined || to === undefined) continue;
    if (from === to) inside[from]?.push(e);
    else callees[from]?.add(to);
  }
  // Kahn's algorithm on the (acyclic) components: a group is ready when every group it calls has moved.
  const callers = components.map(() => [] as number[]);
  const waiting = callees.map((set, i) => {
    for (const j of set) callers[j]?.push(i);
    return set.size;
  });
  const name = (i: number) => components[i]?.[0] ?? '';
  const ready = components.map((_, i) => i).filter((i) => waiting[i] === 0).sort((a, b) => name(a).localeCompare(name(b)));
  const order: number[] = [];
  while (ready.length > 0) {
    const i = ready.shift() as number;
    order.push(i);
    for (const caller of callers[i] ?? []) {
      waiting[caller] = (waiting[caller] ?? 1) - 1;
      if (waiting[caller] === 0) insertSorted(ready, caller, (a, b) => name(a).localeCompare(name(b)));
    }
  }
  return order.map((i) => ({ namespaces: components[i] ?? [], cycleEdges: inside[i] ?? [] }));
}

function insertSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid] as T, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

/** Tarjan's algorithm, iterative (a repository may hold thousands of namespaces), each component sorted by name. */
function stronglyConnected(graph: CallGraph): string[][] {
  const next = new Map<string, string[]>(graph.namespaces.map((ns) => [ns, []]));
  for (const e of graph.edges) next.get(e.caller)?.push(e.callee);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;
  for (const root of graph.namespaces) {
    if (index.has(root)) continue;
    const work: { node: string; edge: number }[] = [{ node: root, edge: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; edge: number };
      const targets = next.get(frame.node) ?? [];
      if (frame.edge < targets.length) {
        const target = targets[frame.edge++] as string;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, edge: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(target) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        result.push(component.sort());
      }
    }
  }
  return result;
}
