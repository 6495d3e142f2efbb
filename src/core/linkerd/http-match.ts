import type { RouteMatch } from './build.ts';
import type { OsmHttpMatch } from '../osm/access-model.ts';
import { isValidRe2 } from '../primitives/regex-samples.ts';
import { regexLiteral } from '../primitives/regex-literal.ts';
import { translatePathRegex, type PathTranslation } from './path-match.ts';

export type MatchTranslation =
  | { readonly ok: true; readonly matches: readonly RouteMatch[]; readonly path: PathTranslation }
  | { readonly ok: false; readonly path: PathTranslation };

/**
 * One OSM match → the HTTPRoute matches that accept exactly the same requests (osm-semantics §2.2.3-4): path AND
 * headers AND one of the methods. Linkerd matches take one method each, so a match is repeated per method.
 */
export function translateHttpMatch(match: OsmHttpMatch): MatchTranslation {
  const path = translatePathRegex(match.pathRegex, isValidRe2);
  if (path.kind !== 'any' && path.kind !== 'match') return { ok: false, path };
  const headers = Object.entries(match.headers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => headerMatch(name, value));
  const base: RouteMatch = {
    path: path.kind === 'match' ? path.match : { type: 'PathPrefix', value: '/' },
    ...(headers.length > 0 ? { headers } : {}),
  };
  const matches = match.methods.length === 0 ? [base] : match.methods.map((method) => ({ ...base, method }));
  return { ok: true, matches, path };
}

/**
 * Header values are full-match regexes in OSM; the proxy's regex only counts a match spanning the whole value. An
 * empty literal cannot be an Exact value (the CRD's value has minLength 1): `^$` accepts exactly the empty value.
 */
function headerMatch(name: string, value: string): NonNullable<RouteMatch['headers']>[number] {
  const literal = regexLiteral(value);
  if (literal === '') return { name, value: '^$', type: 'RegularExpression' };
  return literal !== undefined
    ? { name, value: literal, type: 'Exact' }
    : { name, value: `^(?:${value})$`, type: 'RegularExpression' };
}
