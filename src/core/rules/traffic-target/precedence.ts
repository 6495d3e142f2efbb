import type { RouteMatch } from '../../linkerd/build.ts';
import { acceptsEveryPath } from '../../osm/access-model.ts';
import { samplePaths } from '../../primitives/regex-samples.ts';

/**
 * Which of two inbound routes linkerd2-proxy picks for a request (linkerd-reference §3.5, `match.rs:97-103`; the
 * released proxy): the longer path match, then more header matches, then more query-param matches, then a method
 * match; remaining ties go to the older route, then the name. The path match length is the whole request path for
 * Exact and RegularExpression, and the prefix's own length (trailing "/" trimmed, "/" counts 1) for PathPrefix
 * (`path.rs`: `PathMatch::{Exact,Regex,Prefix}(len)` ordered by length only).
 */
export interface RouteRank {
  readonly path: number;
  readonly headers: number;
  readonly queryParams: number;
  readonly method: boolean;
}

export function rankOf(match: RouteMatch, requestPath: string): RouteRank {
  return { path: pathLength(match, requestPath), headers: match.headers?.length ?? 0, queryParams: 0, method: match.method !== undefined };
}

function pathLength(match: RouteMatch, requestPath: string): number {
  const path = match.path ?? { type: 'PathPrefix', value: '/' };
  if (path.type !== 'PathPrefix') return requestPath.length;
  const trimmed = path.value.replace(/\/+$/, '');
  return trimmed === '' ? 1 : trimmed.length;
}

/** > 0 when `a` outranks `b`, < 0 when `b` does, 0 when age and then name decide. Fields compared in the proxy's order. */
export function compareRanks(a: RouteRank, b: RouteRank): number {
  return a.path - b.path || a.headers - b.headers || a.queryParams - b.queryParams || Number(a.method) - Number(b.method);
}

/** Request paths the route's path match accepts: the witnesses on which an inner and an outer route are compared. */
function witnessPaths(match: RouteMatch): string[] {
  const path = match.path ?? { type: 'PathPrefix', value: '/' };
  if (path.type === 'Exact') return [path.value];
  if (path.type === 'PathPrefix') {
    const base = path.value.replace(/\/+$/, '');
    return [base || '/', `${base}/x`, `${base}/x/yz`];
  }
  return samplePaths(path.value).matching.slice(0, 6);
}

/**
 * Can `outer` win a request that `inner` (whose requests are all `outer`'s) also matches? Compared on every
 * witness path of the inner route, for its first match (every match of one translated OSM match has the same path
 * and headers, and a method in all of them or none).
 */
export function outerCanWin(inner: readonly RouteMatch[], outer: readonly RouteMatch[]): boolean {
  const [i] = inner;
  const [o] = outer;
  if (!i || !o) return false;
  return witnessPaths(i).some((p) => compareRanks(rankOf(i, p), rankOf(o, p)) < 0);
}

/** The same OSM path as a RegularExpression, which counts the whole path length like an Exact or a broader regex. */
export function asRegularExpression(matches: readonly RouteMatch[], pathRegex: string | undefined): RouteMatch[] {
  const value = acceptsEveryPath(pathRegex) || pathRegex === undefined ? '^/.*$' : `^(?:${pathRegex})$`;
  return matches.map((m) => ({ ...m, path: { type: 'RegularExpression', value } }));
}
