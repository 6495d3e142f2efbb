/**
 * OSM pathRegex → HTTPRoute path match, never wider than OSM.
 *
 * osm-semantics §2.2.2: pathRegex becomes an Envoy `safe_regex` (RE2) path matcher, and "the entire path (without
 * the query string) must match the regex". So `/users` matches `/users` only, not `/users/42`.
 */

import { acceptsEveryPath } from '../osm/access-model.ts';
import { regexLiteral, stripAnchors } from '../primitives/regex-literal.ts';


export type PathMatch =
  | { readonly type: 'Exact'; readonly value: string }
  | { readonly type: 'PathPrefix'; readonly value: string }
  | { readonly type: 'RegularExpression'; readonly value: string };

export type PathTranslation =
  /** Every path matches: the route match needs no path. */
  | { readonly kind: 'any' }
  | { readonly kind: 'match'; readonly match: PathMatch }
  /** No request path can match (paths start with "/"). */
  | { readonly kind: 'never' }
  /** Not valid RE2: Envoy rejected it. */
  | { readonly kind: 'invalid' }
  /** Valid RE2 that the proxy's Rust regex engine does not accept. */
  | { readonly kind: 'inexpressible'; readonly construct: string };

/** Constructs RE2 accepts and the Rust regex crate rejects (linkerd-reference §3.9: the proxy uses Rust regex). */
const RUST_UNSUPPORTED: readonly [RegExp, string][] = [
  [/\\C/, '\\C (any byte)'],
  [/\\Q|\\E/, '\\Q…\\E quoting'],
];

export function translatePathRegex(pathRegex: string | undefined, isValidRe2: (r: string) => boolean): PathTranslation {
  // No pathRegex, or one every path matches (osm/access-model.ts decides, for every reader of OSM matches).
  if (acceptsEveryPath(pathRegex) || pathRegex === undefined) return { kind: 'any' };
  if (!isValidRe2(pathRegex)) return { kind: 'invalid' };
  for (const [pattern, construct] of RUST_UNSUPPORTED) if (pattern.test(pathRegex)) return { kind: 'inexpressible', construct };
  const core = stripAnchors(pathRegex);
  const literal = regexLiteral(core);
  if (literal !== undefined) {
    return literal.startsWith('/') ? { kind: 'match', match: { type: 'Exact', value: literal } } : { kind: 'never' };
  }
  const prefix = segmentPrefix(core);
  if (prefix !== undefined) return { kind: 'match', match: { type: 'PathPrefix', value: prefix } };
  return { kind: 'match', match: { type: 'RegularExpression', value: `^(?:${pathRegex})$` } };
}

/**
 * `L(/.*)?` is exactly a Gateway-API segment prefix: it matches L, L/ and L/anything, and PathPrefix L matches the
 * same set (segment-wise, trailing slash trimmed). `L/.*` is NOT (it misses L itself), nor is `L.*` (it matches Lx).
 */
function segmentPrefix(core: string): string | undefined {
  const m = /^(.*)\((?:\?:)?\/\.\*\)\?$/.exec(core);
  if (!m) return undefined;
  const literal = regexLiteral(m[1] ?? '');
  if (literal === undefined || !literal.startsWith('/') || literal.endsWith('/') || literal.length < 2) return undefined;
  return literal;
}
