import type { OsmHttpMatch } from './access-model.ts';
import { fullMatch, samplePaths } from '../primitives/regex-samples.ts';
import { regexLiteral } from '../primitives/regex-literal.ts';

/**
 * OSM allowed a request if ANY matching route allowed the source; Linkerd authorizes against the ONE most specific
 * route (linkerd-semantics §2.7). When one match's requests are all requests of another (containment), the inner
 * route can carry both routes' sources without widening anything. A partial overlap gets the requests both accept as a
 * match of its own (`intersection`), which is contained in both and so handled the same way.
 */

function pathSamples(match: OsmHttpMatch): string[] {
  if (match.pathRegex === undefined || match.pathRegex === '') return ['/', '/x', '/x/y'];
  const literal = regexLiteral(match.pathRegex);
  if (literal !== undefined) return [literal];
  return samplePaths(match.pathRegex).matching;
}

function pathAccepts(match: OsmHttpMatch, path: string): boolean {
  return match.pathRegex === undefined || match.pathRegex === '' || fullMatch(match.pathRegex, path);
}

function methodsContain(outer: OsmHttpMatch, inner: OsmHttpMatch): boolean {
  if (outer.methods.length === 0) return true;
  return inner.methods.length > 0 && inner.methods.every((m) => outer.methods.includes(m));
}

function methodsIntersect(a: OsmHttpMatch, b: OsmHttpMatch): boolean {
  return a.methods.length === 0 || b.methods.length === 0 || a.methods.some((m) => b.methods.includes(m));
}

/** Every header `outer` requires is required by `inner` with a value `outer` accepts. */
function headersContain(outer: OsmHttpMatch, inner: OsmHttpMatch): boolean {
  return Object.entries(outer.headers).every(([name, regex]) => {
    const value = inner.headers[name];
    if (value === undefined) return false;
    if (value === regex) return true;
    const literal = regexLiteral(value);
    return literal !== undefined && fullMatch(regex, literal);
  });
}

/** Headers both require can be satisfied at once unless both are literals that differ. */
function headersCompatible(a: OsmHttpMatch, b: OsmHttpMatch): boolean {
  return Object.entries(a.headers).every(([name, regex]) => {
    const other = b.headers[name];
    if (other === undefined || other === regex) return true;
    const la = regexLiteral(regex);
    const lb = regexLiteral(other);
    if (la !== undefined && lb !== undefined) return la === lb;
    if (la !== undefined) return fullMatch(other, la);
    if (lb !== undefined) return fullMatch(regex, lb);
    return true;
  });
}

/** Does `outer` accept every request `inner` accepts? (Sampled for regex paths; verify checks the result.) */
export function contains(outer: OsmHttpMatch, inner: OsmHttpMatch): boolean {
  if (!methodsContain(outer, inner) || !headersContain(outer, inner)) return false;
  if (outer.pathRegex === undefined || outer.pathRegex === '' || outer.pathRegex === inner.pathRegex) return true;
  if (inner.pathRegex === undefined || inner.pathRegex === '') return false;
  const samples = pathSamples(inner);
  return samples.length > 0 && samples.every((p) => pathAccepts(outer, p));
}

/** Can one request match both? Samples of each, and their concatenations (a prefix of one, a suffix of the other). */
export function overlap(a: OsmHttpMatch, b: OsmHttpMatch): boolean {
  if (!methodsIntersect(a, b) || !headersCompatible(a, b) || !headersCompatible(b, a)) return false;
  return overlapCandidates(pathSamples(a), pathSamples(b)).some((p) => pathAccepts(a, p) && pathAccepts(b, p));
}

export function overlapCandidates(as: readonly string[], bs: readonly string[]): string[] {
  const crossed = as.slice(0, 4).flatMap((x) => bs.slice(0, 4).flatMap((y) => [x + y, y + x]));
  return [...as, ...bs, ...crossed];
}

function pathOnly(match: OsmHttpMatch): OsmHttpMatch {
  return { ...match, methods: [], headers: {} };
}

/** Both header conditions on one value: equal regexes, or a literal of one the other accepts. */
function headerBoth(a: string, b: string): string | undefined {
  if (a === b) return a;
  const la = regexLiteral(a);
  if (la !== undefined && fullMatch(b, la)) return a;
  const lb = regexLiteral(b);
  if (lb !== undefined && fullMatch(a, lb)) return b;
  return undefined;
}

/**
 * The requests both matches accept, as one OSM match, when it can be written as one: one path contains the other's
 * (so the narrower path is the intersection), methods in both, every header of either (with one condition per
 * header name). Undefined when it cannot (two regex paths neither of which contains the other, two different
 * non-literal conditions on one header): the caller reports that overlap instead.
 */
export function intersection(a: OsmHttpMatch, b: OsmHttpMatch): OsmHttpMatch | undefined {
  let pathRegex: string | undefined;
  if (contains(pathOnly(a), pathOnly(b))) pathRegex = b.pathRegex;
  else if (contains(pathOnly(b), pathOnly(a))) pathRegex = a.pathRegex;
  else return undefined;
  const methods = a.methods.length === 0 ? b.methods : b.methods.length === 0 ? a.methods : a.methods.filter((m) => b.methods.includes(m));
  if (a.methods.length > 0 && b.methods.length > 0 && methods.length === 0) return undefined;
  const headers: Record<string, string> = { ...a.headers };
  for (const [name, value] of Object.entries(b.headers)) {
    const mine = headers[name];
    const both = mine === undefined ? value : headerBoth(mine, value);
    if (both === undefined) return undefined;
    headers[name] = both;
  }
  const name = a.group === b.group ? `${a.name}-and-${b.name}` : `${a.name}-and-${b.group}-${b.name}`;
  const result: OsmHttpMatch = {
    group: a.group, name, methods, headers, object: a.object, path: a.path, ...(pathRegex !== undefined ? { pathRegex } : {}),
  };
  // Sampled containment decides the path: keep the result only if it lies inside both.
  return contains(a, result) && contains(b, result) ? result : undefined;
}
