import type { Inventory, Workload } from '../inventory/model.ts';
import type { AccessModel, OsmHttpMatch } from '../osm/access-model.ts';
import { exposedPorts } from '../osm/exposed-ports.ts';
import { regexLiteral } from '../osm/regex-literal.ts';
import { samplePaths } from './regex-samples.ts';
import type { AccessRequest, HttpRequestShape, RequestSource } from './types.ts';

const MESHED_IP = '10.1.0.10';
const UNMESHED_IP = '10.2.0.20';
const KUBELET_IP = '10.240.0.4';
const MAX_PATHS = 40;

/**
 * The request matrix for one destination workload: the source identities that matter (see sourcesOf) plus an
 * unmeshed client and `extraSources` (the ingress clients of its IngressBackends, see osm-ingress.ts), every
 * container port, paths that match each OSM regex and paths that just miss it, each method, with and without each
 * header; and the kubelet's probe requests.
 */
export function requestsFor(
  inventory: Inventory,
  model: AccessModel,
  workload: Workload,
  extraSources: readonly RequestSource[] = [],
): AccessRequest[] {
  const namespace = workload.namespace ?? '';
  const matches = model.policies
    .filter((p) => p.namespace === workload.namespace && p.destination === workload.serviceAccount)
    .flatMap((p) => p.httpMatches);
  const sources = [...sourcesOf(inventory, model, workload), ...extraSources];
  const exposed = exposedPorts(inventory, workload);
  const ports = [...new Set([...workload.ports.map((p) => p.port), ...exposed.map((p) => p.port)])].sort((a, b) => a - b);
  const requests: AccessRequest[] = [];
  const base = { namespace, workload: workload.name, serviceAccount: workload.serviceAccount };
  for (const port of ports) {
    const protocol = exposed.find((p) => p.port === port)?.protocol;
    const probePaths = workload.probes.filter((p) => p.type === 'http' && p.port === port).map((p) => p.path ?? '/');
    for (const path of probePaths) {
      requests.push({ ...base, port, source: { kind: 'kubelet', ip: KUBELET_IP }, http: { method: 'GET', path, headers: {} } });
    }
    if (protocol === 'tcp' || protocol === 'tcp-server-first') {
      for (const source of sources) requests.push({ ...base, port, source });
      continue;
    }
    const shapes = httpShapes(matches, probePaths);
    for (const source of sources) for (const http of shapes) requests.push({ ...base, port, source, http });
  }
  return requests;
}

/**
 * The identities a TrafficTarget names for this destination behave differently from each other; every other
 * identity behaves like any one of them. So: the named ones, one unnamed identity from the destination's namespace
 * and one from elsewhere (to catch namespace-wide or wildcard grants), and an unmeshed client.
 */
function sourcesOf(inventory: Inventory, model: AccessModel, workload: Workload): RequestSource[] {
  const named = new Set(
    model.policies
      .filter((p) => p.namespace === workload.namespace && p.destination === workload.serviceAccount)
      .flatMap((p) => p.sources),
  );
  const all = new Set<string>();
  for (const w of inventory.workloads) if (w.namespace) all.add(`${w.serviceAccount}.${w.namespace}`);
  for (const p of model.policies) p.sources.forEach((s) => all.add(s));
  const unnamed = [...all].filter((id) => !named.has(id)).sort();
  const sameNamespace = unnamed.find((id) => id.endsWith(`.${workload.namespace}`));
  const elsewhere = unnamed.find((id) => !id.endsWith(`.${workload.namespace}`));
  const identities = [...named, ...(sameNamespace ? [sameNamespace] : []), ...(elsewhere ? [elsewhere] : [])].sort();
  const meshed = identities.map((id): RequestSource => {
    const dot = id.indexOf('.');
    return { kind: 'meshed', serviceAccount: id.slice(0, dot), namespace: id.slice(dot + 1), ip: MESHED_IP };
  });
  return [...meshed, { kind: 'unmeshed', ip: UNMESHED_IP }];
}

function httpShapes(matches: readonly OsmHttpMatch[], probePaths: readonly string[]): HttpRequestShape[] {
  const paths = new Set<string>(['/', '/osm2linkerd-unmatched', ...probePaths]);
  for (const m of matches) for (const p of pathSamples(m)) paths.add(p);
  // A path two regexes both accept is where Linkerd's single-route choice can differ from OSM's any-route rule.
  // Only the first MAX_PATHS paths are used: pairs stop there (5,000 matches are 12.5 million pairs).
  const firsts = matches.map((m) => pathSamples(m)[0]);
  for (let i = 0; i < firsts.length && paths.size < MAX_PATHS; i++) {
    for (let j = i + 1; j < firsts.length && paths.size < MAX_PATHS; j++) {
      const [x, y] = [firsts[i], firsts[j]];
      if (x !== undefined && y !== undefined) { paths.add(x + y); paths.add(y + x); }
    }
  }
  const methods = new Set(['GET', 'POST', ...matches.flatMap((m) => m.methods)]);
  const headerSets: Record<string, string>[] = [{}];
  for (const m of matches) {
    const entries = Object.entries(m.headers);
    if (entries.length === 0) continue;
    headerSets.push(Object.fromEntries(entries.map(([k, v]) => [k, headerSample(v)])));
  }
  const shapes: HttpRequestShape[] = [];
  for (const path of [...paths].slice(0, MAX_PATHS)) {
    for (const method of methods) for (const headers of dedupe(headerSets)) shapes.push({ method, path, headers });
  }
  return shapes;
}

function pathSamples(m: OsmHttpMatch): string[] {
  if (m.pathRegex === undefined || m.pathRegex === '') return [];
  const { matching, nearMisses } = samplePaths(m.pathRegex);
  return [...matching.slice(0, 6), ...nearMisses.slice(0, 6)];
}

function headerSample(regex: string): string {
  const literal = regexLiteral(regex);
  if (literal !== undefined) return literal;
  const sample = samplePaths(regex).matching[0];
  return sample ?? '';
}

function dedupe(sets: Record<string, string>[]): Record<string, string>[] {
  const seen = new Set<string>();
  return sets.filter((s) => {
    const key = JSON.stringify(Object.entries(s).sort());
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
