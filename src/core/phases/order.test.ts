import { describe, expect, it } from 'vitest';
import type { CallGraph } from './call-graph.ts';
import { orderNamespaceGroups } from './order.ts';

function graph(namespaces: string[], calls: [string, string][]): CallGraph {
  return { namespaces, edges: calls.map(([caller, callee]) => ({ caller, callee, evidence: 'test' })) };
}

describe('orderNamespaceGroups', () => {
  // migration-strategies.md: "A moved caller reaching a callee still on OSM fails unless that callee's OSM side admits
  // it … Order phases by the call graph … in reverse; a cycle needs one of the OSM-side bridges."
  it('moves callees before their callers', () => {
    const groups = orderNamespaceGroups(graph(['web', 'api', 'db'], [['web', 'api'], ['api', 'db']]));
    expect(groups.map((g) => g.namespaces)).toEqual([['db'], ['api'], ['web']]);
    expect(groups.every((g) => g.cycleEdges.length === 0)).toBe(true);
  });

  it('moves a cycle as one group and names the calls inside it', () => {
    const groups = orderNamespaceGroups(graph(['a', 'b', 'c', 'd'], [['a', 'b'], ['b', 'c'], ['c', 'b'], ['c', 'd']]));
    expect(groups.map((g) => g.namespaces)).toEqual([['d'], ['b', 'c'], ['a']]);
    expect(groups[1]?.cycleEdges.map((e) => `${e.caller}>${e.callee}`)).toEqual(['b>c', 'c>b']);
  });

  it('orders independent namespaces by name, so the same repository gives the same plan', () => {
    expect(orderNamespaceGroups(graph(['zeta', 'alpha', 'mid'], [])).map((g) => g.namespaces)).toEqual([['alpha'], ['mid'], ['zeta']]);
  });

  it('orders a chain of 20,000 namespaces without recursion', () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `ns-${String(i).padStart(5, '0')}`);
    const calls = names.slice(1).map((n, i): [string, string] => [n, names[i] as string]);
    const groups = orderNamespaceGroups(graph(names, calls));
    expect(groups).toHaveLength(20_000);
    expect(groups[0]?.namespaces).toEqual(['ns-00000']);
    expect(groups.at(-1)?.namespaces).toEqual(['ns-19999']);
  });
});
