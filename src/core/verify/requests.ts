import type { Workload } from '../inventory/model.ts';
import { regexLiteral } from '../primitives/regex-literal.ts';
import { samplePaths } from '../primitives/regex-samples.ts';
import type { RouteSamples } from './linkerd-allows.ts';
import type { PodPort } from './mesh-membership.ts';
import type { OsmRouteMatch } from './osm-access.ts';
import type { AccessRequest, HttpRequestShape, RequestSource } from './types.ts';

const MESHED_IP = '10.1.0.10';
const UNMESHED_IP = '10.2.0.20';
const KUBELET_IP = '10.240.0.4';
const MAX_PATHS = 60;

/** What the request matrix of one destination is built from: both sides' view of it. */
export interface MatrixInput {
  readonly workload: Workload;
  /** Every port the pod template exposes. */
  readonly ports: readonly PodPort[];
  /** The OSM matches any TrafficTarget grants to the destination. */
  readonly osmMatches: readonly OsmRouteMatch[];
  /** What the Linkerd routes of each port's Servers distinguish. */
  linkerdSamples(port: number): RouteSamples;
  /** Client identities `<sa>.<namespace>` to try: see `sourceIdentities`. */
  readonly identities: readonly string[];
  /** The ingress clients of its IngressBackends (osm-ingress.ts). */
  readonly extraSources?: readonly RequestSource[];
}

/**
 * The request matrix for one destination workload: every identity either side names plus representatives, an
 * unmeshed client and the ingress clients, on every port, with paths, methods and headers from both OSM's matches and
 * the generated Linkerd routes (each, a near miss, and the concatenations of OSM regex samples where two overlap),
 * and the kubelet's probe requests.
 */
export function requestsFor(input: MatrixInput): AccessRequest[] {
  const { workload } = input;
  const base = { namespace: workload.namespace ?? '', workload: workload.name, serviceAccount: workload.serviceAccount };
  const sources: RequestSource[] = [
    ...input.identities.map((id): RequestSource => {
      const dot = id.indexOf('.');
      return { kind: 'meshed', serviceAccount: id.slice(0, dot), namespace: id.slice(dot + 1), ip: MESHED_IP };
    }),
    { kind: 'unmeshed', ip: UNMESHED_IP },
    ...(input.extraSources ?? []),
  ];
  const requests: AccessRequest[] = [];
  for (const { port, osmProtocol } of input.ports) {
    const probePaths = workload.probes.filter((p) => p.type === 'http' && p.port === port).map((p) => p.path ?? '/');
    for (const path of probePaths) {
      requests.push({ ...base, port, source: { kind: 'kubelet', ip: KUBELET_IP }, http: { method: 'GET', path, headers: {} } });
    }
    if (osmProtocol === 'tcp' || osmProtocol === 'tcp-server-first') {
      for (const source of sources) requests.push({ ...base, port, source });
      continue;
    }
    const shapes = httpShapes(input.osmMatches, input.linkerdSamples(port), probePaths);
    for (const source of sources) for (const http of shapes) requests.push({ ...base, port, source, http });
  }
  return requests;
}

/**
 * The identities named for this destination behave differently from each other; every other identity behaves like
 * one of them. So: those OSM grants it, those the Linkerd authorizations of its ports name (a Server selecting the
 * wrong pods opens them to another workload's clients), and one identity nobody names from the destination's
 * namespace and one from elsewhere (namespace-wide or wildcard grants).
 */
export function sourceIdentities(osmNamed: Iterable<string>, linkerdNamed: Iterable<string>, everyone: Iterable<string>, namespace: string): string[] {
  const named = new Set([...osmNamed, ...linkerdNamed]);
  const sorted = sortedIdentities(everyone);
  const unnamed = (id: string) => !named.has(id);
  const inNamespace = (id: string) => id.endsWith(`.${namespace}`);
  // A namespace holds no dot, so `.<namespace>` ends an identity exactly when it follows the identity's last dot.
  const sameCandidates = namespace.includes('.') ? sorted.all : sorted.byLastLabel.get(namespace) ?? [];
  const same = sameCandidates.find((id) => unnamed(id) && inNamespace(id)) ?? `osm2linkerd-other.${namespace}`;
  const elsewhere = sorted.all.find((id) => unnamed(id) && !inNamespace(id)) ?? 'osm2linkerd-other.osm2linkerd-elsewhere';
  return [...new Set([...named, same, elsewhere])].sort();
}

interface SortedIdentities {
  readonly all: readonly string[];
  /** By the part after the last dot, each list sorted. */
  readonly byLastLabel: ReadonlyMap<string, readonly string[]>;
}

/** The identities of a view, sorted once per view (every destination asks), not once per destination. */
const sortedOnce = new WeakMap<Iterable<string>, SortedIdentities>();

function sortedIdentities(everyone: Iterable<string>): SortedIdentities {
  let sorted = sortedOnce.get(everyone);
  if (sorted) return sorted;
  const all = [...new Set(everyone)].sort();
  const byLastLabel = new Map<string, string[]>();
  for (const id of all) {
    const label = id.slice(id.lastIndexOf('.') + 1);
    const list = byLastLabel.get(label);
    if (list) list.push(id);
    else byLastLabel.set(label, [id]);
  }
  sorted = { all, byLastLabel };
  sortedOnce.set(everyone, sorted);
  return sorted;
}

function httpShapes(matches: readonly OsmRouteMatch[], linkerd: RouteSamples, probePaths: readonly string[]): HttpRequestShape[] {
  const osmPaths = new Set<string>();
  for (const m of matches) for (const p of pathSamples(m)) osmPaths.add(p);
  // A path two regexes both accept is where Linkerd's single-route choice can differ from OSM's any-route rule.
  // Only the first MAX_PATHS paths are used, so pairs stop there (5,000 matches would be 25 million strings).
  const firsts = matches.flatMap((m) => pathSamples(m)[0] ?? []);
  const crossed = new Set<string>();
  for (let i = 0; i < firsts.length && crossed.size < MAX_PATHS; i++) {
    for (let j = i + 1; j < firsts.length && crossed.size < MAX_PATHS; j++) {
      const [x, y] = [firsts[i] as string, firsts[j] as string];
      crossed.add(x + y).add(y + x);
    }
  }
  // Both sides get room in the bounded list: interleave them.
  const paths = [...new Set(['/', '/osm2linkerd-unmatched', ...probePaths, ...interleave([...osmPaths], linkerd.paths), ...crossed])];
  const methods = new Set(['GET', 'POST', ...matches.flatMap((m) => m.methods), ...linkerd.methods]);
  const headerSets: Record<string, string>[] = [{}, ...linkerd.headerSets];
  for (const m of matches) {
    const entries = Object.entries(m.headers);
    if (entries.length > 0) headerSets.push(Object.fromEntries(entries.map(([k, v]) => [k, headerSample(v)])));
  }
  const shapes: HttpRequestShape[] = [];
  for (const path of paths.slice(0, MAX_PATHS)) {
    for (const method of methods) for (const headers of dedupe(headerSets)) shapes.push({ method, path, headers });
  }
  return shapes;
}

function interleave(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== undefined) out.push(a[i] as string);
    if (b[i] !== undefined) out.push(b[i] as string);
  }
  return out;
}

function pathSamples(m: OsmRouteMatch): string[] {
  if (m.pathRegex === undefined) return [];
  const { matching, nearMisses } = samplePaths(m.pathRegex);
  return [...matching.slice(0, 6), ...nearMisses.slice(0, 6)];
}

function headerSample(regex: string): string {
  return regexLiteral(regex) ?? samplePaths(regex).matching[0] ?? '';
}

function dedupe(sets: readonly Readonly<Record<string, string>>[]): Readonly<Record<string, string>>[] {
  const seen = new Set<string>();
  return sets.filter((s) => {
    const key = JSON.stringify(Object.entries(s).sort());
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
