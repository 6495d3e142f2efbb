import type { Inventory, Workload } from '../inventory/model.ts';
import type { AccessModel } from '../osm/access-model.ts';
import { readIngressBackends } from '../osm/ingress-backends.ts';
import { isRecord } from '../values.ts';

/**
 * Who calls whom between namespaces, as far as the repository tells. A phased migration moves callees before callers
 * (migration-strategies.md, "Consequences for a phased plan"): a moved caller cannot reach a callee still on OSM, while
 * an OSM caller reaches a moved callee through the egress passthrough.
 */
export interface CallEdge {
  readonly caller: string;
  readonly callee: string;
  /** What in the repository shows the call ("TrafficTarget bookstore/bookstore", "env of Deployment a/b"). */
  readonly evidence: string;
}

export interface CallGraph {
  /** Namespaces OSM meshed: the ones a phase moves. */
  readonly namespaces: readonly string[];
  /** Edges between two different meshed namespaces, one per (caller, callee), the first evidence kept. */
  readonly edges: readonly CallEdge[];
}

export function namespaceCallGraph(inventory: Inventory, model: AccessModel, meshed: ReadonlySet<string>): CallGraph {
  const edges = new Map<string, CallEdge>();
  const add = (caller: string | undefined, callee: string | undefined, evidence: string) => {
    if (!caller || !callee || caller === callee || !meshed.has(caller) || !meshed.has(callee)) return;
    const key = `${caller}\u0000${callee}`;
    if (!edges.has(key)) edges.set(key, { caller, callee, evidence });
  };
  for (const p of model.policies) {
    for (const source of p.sources) add(source.slice(source.indexOf('.') + 1), p.namespace, `TrafficTarget ${p.namespace}/${p.target.ref.name}`);
  }
  for (const b of readIngressBackends(inventory.osm('IngressBackend'), inventory).applied) {
    for (const s of b.sources) if (s.kind === 'Service') add(s.namespace, b.namespace, `IngressBackend ${b.namespace}/${b.name}`);
  }
  const services = new Map(inventory.services.filter((s) => s.namespace).map((s) => [`${s.name}.${s.namespace}`, s.namespace as string]));
  for (const w of inventory.workloads) {
    for (const callee of referencedNamespaces(w, services)) add(w.namespace, callee, `a Service address in ${w.kind} ${w.namespace}/${w.name}`);
  }
  return {
    namespaces: [...meshed].sort(),
    edges: [...edges.values()].sort((a, b) => a.caller.localeCompare(b.caller) || a.callee.localeCompare(b.callee)),
  };
}

/** DNS names `<service>.<namespace>[.svc[.cluster.local]]` anywhere in the workload (env, args, command, config). */
const HOST = /(?<![\w.-])([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)(?=\.svc\b|[^\w.-]|$)/g;

function referencedNamespaces(workload: Workload, services: ReadonlyMap<string, string>): Set<string> {
  const found = new Set<string>();
  for (const text of strings(workload.object.body)) {
    for (const m of text.matchAll(HOST)) {
      const ns = services.get(`${m[1]}.${m[2]}`);
      if (ns) found.add(ns);
    }
  }
  return found;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (isRecord(value)) for (const v of Object.values(value)) strings(v, out);
  return out;
}
