import { RE2JS } from 're2js';

/**
 * Example paths for an OSM `pathRegex` (osm-semantics §2.2: RE2, full match over the path without the query).
 * A small parser for the common RE2 subset builds an AST; examples come from the AST (shortest first, then a few
 * varied) and "near misses" from one-edit mutations. Both lists are filtered through re2js so they never lie: the
 * generator may be naive, the output is always checked.
 */

const MAX_SAMPLES = 12;
/** Bound on the variants each AST node contributes, so nested constructs stay small. */
const NODE_CAP = 8;

// ---------------------------------------------------------------------------------------------------------------
// RE2 via re2js

const compiled = new Map<string, RE2JS | null>();

function compile(regex: string): RE2JS | null {
  const cached = compiled.get(regex);
  if (cached !== undefined) return cached;
  let re: RE2JS | null;
  try {
    re = RE2JS.compile(regex);
  } catch {
    re = null;
  }
  // A plain memo: the verifier asks about the same regexes thousands of times, each request about every match of its
  // destination. Bounded to stay harmless, above the matches one destination may hold (a bound below them recompiles
  // every regex on every request).
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(regex, re);
  return re;
}

export function isValidRe2(regex: string): boolean {
  return compile(regex) !== null;
}

/** RE2 full match (Envoy `safe_regex` semantics, osm-semantics §2.2); false for an invalid regex. */
export function fullMatch(regex: string, value: string): boolean {
  const re = compile(regex);
  return re !== null && re.matches(value);
}

// ---------------------------------------------------------------------------------------------------------------
// AST and parser

type Range = readonly [number, number];

type Node =
  | { readonly kind: 'empty' }
  | { readonly kind: 'lit'; readonly ch: string }
  /** Code-point ranges, already complemented for negated classes and `.`. */
  | { readonly kind: 'class'; readonly ranges: readonly Range[] }
  | { readonly kind: 'seq'; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly branches: readonly Node[] }
  | { readonly kind: 'repeat'; readonly body: Node; readonly min: number; readonly max: number | undefined };

interface Cursor {
  readonly src: string;
  pos: number;
}

class Unsupported extends Error {}

const MAX_CODE_POINT = 0x10ffff;
const DIGIT: readonly Range[] = [[0x30, 0x39]];
const WORD: readonly Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
/** RE2's \s is [\t\n\f\r ] (no \v). */
const SPACE: readonly Range[] = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]];
const POSIX: Readonly<Record<string, readonly Range[]>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  digit: DIGIT,
  lower: [[0x61, 0x7a]],
  upper: [[0x41, 0x5a]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  word: WORD,
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
};
const CONTROL_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07' };

function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function peek(c: Cursor): string | undefined {
  const cp = c.src.codePointAt(c.pos);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

function take(c: Cursor): string {
  const ch = peek(c);
  if (ch === undefined) throw new Unsupported('unexpected end');
  c.pos += ch.length;
  return ch;
}

function parse(regex: string): Node {
  const c: Cursor = { src: regex, pos: 0 };
  const node = parseAlt(c);
  if (c.pos < regex.length) throw new Unsupported(`unexpected ${regex[c.pos] ?? ''}`);
  return node;
}

function parseAlt(c: Cursor): Node {
  const branches = [parseSeq(c)];
  while (peek(c) === '|') {
    c.pos++;
    branches.push(parseSeq(c));
  }
  return branches.length === 1 && branches[0] ? branches[0] : { kind: 'alt', branches };
}

function parseSeq(c: Cursor): Node {
  const items: Node[] = [];
  for (let ch = peek(c); ch !== undefined && ch !== '|' && ch !== ')'; ch = peek(c)) {
    items.push(parseQuantifiers(c, parseAtom(c)));
  }
  return items.length === 1 && items[0] ? items[0] : { kind: 'seq', items };
}

function parseAtom(c: Cursor): Node {
  const ch = take(c);
  switch (ch) {
    case '(': return parseGroup(c);
    case '[': return parseClass(c);
    case '.': return { kind: 'class', ranges: complement([[0x0a, 0x0a]]) };
    // Anchors consume nothing; the full-match filter handles their meaning.
    case '^': case '$': return { kind: 'empty' };
    case '\\': return parseEscape(c);
    case '*': case '+': case '?': throw new Unsupported('missing argument to repetition operator');
    default: return { kind: 'lit', ch };
  }
}

function parseGroup(c: Cursor): Node {
  if (peek(c) === '?') {
    const rest = c.src.slice(c.pos);
    const named = /^\?P?<[A-Za-z0-9_]+>/.exec(rest);
    // Flags (?i) (?s:…) change what matches, not how a sample is built: the RE2 filter keeps the output truthful.
    const flags = /^\?-?[imsU]+(-[imsU]*)?([:)])/.exec(rest);
    if (rest.startsWith('?:')) c.pos += 2;
    else if (named) c.pos += named[0].length;
    else if (flags) c.pos += flags[0].length;
    else throw new Unsupported('look-around group');
    if (flags?.[2] === ')') return { kind: 'empty' };
  }
  const body = parseAlt(c);
  if (take(c) !== ')') throw new Unsupported('missing )');
  return body;
}

function parseQuantifiers(c: Cursor, atom: Node): Node {
  let node = atom;
  for (;;) {
    const bounds = readQuantifier(c);
    if (!bounds) return node;
    if (peek(c) === '?') c.pos++; // lazy: same set of full matches
    node = { kind: 'repeat', body: node, min: bounds[0], max: bounds[1] };
  }
}

function readQuantifier(c: Cursor): readonly [number, number | undefined] | undefined {
  const ch = peek(c);
  if (ch === '*' || ch === '+' || ch === '?') {
    c.pos++;
    return ch === '*' ? [0, undefined] : ch === '+' ? [1, undefined] : [0, 1];
  }
  if (ch !== '{') return undefined;
  // RE2 reads `{` that does not start a valid repeat as a literal.
  const m = /^\{(\d+)(,(\d*))?\}/.exec(c.src.slice(c.pos));
  if (!m || m[1] === undefined) return undefined;
  c.pos += m[0].length;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] ? Number(m[3]) : undefined;
  return [min, max];
}

function parseEscape(c: Cursor): Node {
  const ch = take(c);
  const ranges = classEscape(ch);
  if (ranges) return { kind: 'class', ranges };
  // Zero-width assertions consume nothing; the RE2 filter decides whether a sample satisfies them.
  if (ch === 'A' || ch === 'z' || ch === 'b' || ch === 'B') return { kind: 'empty' };
  if (ch === 'Q') return quoted(c);
  return { kind: 'lit', ch: literalEscape(c, ch) };
}

function classEscape(ch: string): readonly Range[] | undefined {
  switch (ch) {
    case 'd': return DIGIT;
    case 'D': return complement(DIGIT);
    case 'w': return WORD;
    case 'W': return complement(WORD);
    case 's': return SPACE;
    case 'S': return complement(SPACE);
    default: return undefined;
  }
}

/** The character an escape stands for: control escapes, \x, and escaped punctuation. */
function literalEscape(c: Cursor, ch: string): string {
  const control = CONTROL_ESCAPES[ch];
  if (control !== undefined) return control;
  if (ch === 'x') {
    const m = /^(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(c.src.slice(c.pos));
    const hex = m?.[1] ?? m?.[2];
    if (!m || hex === undefined) throw new Unsupported('bad \\x');
    c.pos += m[0].length;
    return String.fromCodePoint(Number.parseInt(hex, 16));
  }
  // \p, \C, octal and back-references: not generated (the caller falls back).
  if (/[0-9A-Za-z]/.test(ch)) throw new Unsupported(`escape \\${ch}`);
  return ch;
}

function quoted(c: Cursor): Node {
  const end = c.src.indexOf('\\E', c.pos);
  const text = c.src.slice(c.pos, end < 0 ? undefined : end);
  c.pos = end < 0 ? c.src.length : end + 2;
  return { kind: 'seq', items: [...text].map((ch): Node => ({ kind: 'lit', ch })) };
}

function parseClass(c: Cursor): Node {
  const negated = peek(c) === '^';
  if (negated) c.pos++;
  const ranges: Range[] = [];
  let first = true;
  while (peek(c) !== ']' || first) {
    if (peek(c) === undefined) throw new Unsupported('missing ]');
    first = false;
    ranges.push(...classItem(c));
  }
  c.pos++;
  return { kind: 'class', ranges: negated ? complement(ranges) : ranges };
}

function classItem(c: Cursor): readonly Range[] {
  const posix = /^\[:(\^?)([a-z]+):\]/.exec(c.src.slice(c.pos));
  if (posix && posix[2] !== undefined) {
    const set = POSIX[posix[2]];
    if (!set) throw new Unsupported('posix class');
    c.pos += posix[0].length;
    return posix[1] ? complement(set) : set;
  }
  const lo = classChar(c);
  if (typeof lo !== 'number') return lo;
  if (peek(c) === '-' && c.src[c.pos + 1] !== ']' && c.pos + 1 < c.src.length) {
    c.pos++;
    const hi = classChar(c);
    if (typeof hi !== 'number') throw new Unsupported('bad range');
    return [[lo, hi]];
  }
  return [[lo, lo]];
}

/** One class member: a code point, or the ranges of \d \w \s (and negations). */
function classChar(c: Cursor): number | readonly Range[] {
  const ch = take(c);
  if (ch !== '\\') return ch.codePointAt(0) ?? 0;
  const esc = take(c);
  const ranges = classEscape(esc);
  if (ranges) return ranges;
  return literalEscape(c, esc).codePointAt(0) ?? 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Generation

interface Gen {
  /** Strings the node accepts; [0] is the canonical (shortest reps, first branch). */
  readonly match: readonly string[];
  /** Strings one structural edit away, which the node probably rejects. */
  readonly miss: readonly string[];
}

/** Representatives tried first: readable, and not '/' so a path segment stays one segment. */
const PREFERRED = ['a', 'x', '0', '1', 'b', 'z', 'A', 'Z', '-', '_', '.', '~'];
const MISS_PREFERRED = ['x', 'a', '0', '-', '.', '_', '~', 'A', ' '];

function inRanges(ranges: readonly Range[], ch: string): boolean {
  const cp = ch.codePointAt(0) ?? -1;
  return ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
}

const PRINTABLE = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i));
const MEMBER_ORDER = [...PREFERRED, ...PRINTABLE];
const OUTSIDER_ORDER = [...MISS_PREFERRED, ...PRINTABLE];

function classMembers(ranges: readonly Range[]): string[] {
  const ascii = MEMBER_ORDER.find((ch) => ch !== '/' && inRanges(ranges, ch));
  const fallback = ranges[0] ? String.fromCodePoint(ranges[0][0]) : undefined;
  const first = ascii ?? (fallback !== '/' ? fallback : undefined);
  return unique([first, inRanges(ranges, '/') ? '/' : undefined]);
}

function classOutsiders(ranges: readonly Range[]): string[] {
  const outside = OUTSIDER_ORDER.find((ch) => ch !== '/' && !inRanges(ranges, ch));
  return unique([outside, inRanges(ranges, '/') ? undefined : '/']);
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

function cap(values: readonly string[]): string[] {
  return unique(values).slice(0, NODE_CAP);
}

function generate(node: Node): Gen {
  switch (node.kind) {
    case 'empty': return { match: [''], miss: [] };
    case 'lit': return { match: [node.ch], miss: [node.ch === 'x' ? 'y' : 'x'] };
    case 'class': return { match: classMembers(node.ranges), miss: classOutsiders(node.ranges) };
    case 'seq': return generateSeq(node.items.map(generate), node.items);
    case 'alt': return generateAlt(node.branches.map(generate));
    case 'repeat': return generateRepeat(generate(node.body), node.min, node.max);
  }
}

/** Canonical = every item's canonical; variants change one item at a time (a linear, bounded set). */
function generateSeq(gens: readonly Gen[], items: readonly Node[]): Gen {
  const canon = gens.map((g) => g.match[0] ?? '');
  const withItem = (i: number, s: string) => canon.map((c, j) => (j === i ? s : c)).join('');
  // Variants are built only until NODE_CAP distinct ones exist: a long regex has thousands of items, and building
  // every variant (each as long as the whole regex) would take time and memory quadratic in its length.
  const match = new Set([canon.join('')]);
  for (const [i, g] of gens.entries()) {
    for (const s of g.match.slice(1)) if (match.size < NODE_CAP) match.add(withItem(i, s));
    if (match.size >= NODE_CAP) break;
  }
  // Misses of non-literal items first (they carry the structure), then literals from the end of the regex.
  const order = gens.map((_, i) => i);
  const isLit = (i: number) => items[i]?.kind === 'lit';
  const ordered = [...order.filter((i) => !isLit(i)), ...order.filter(isLit).reverse()];
  const miss = new Set<string>();
  for (const i of ordered) {
    for (const s of gens[i]?.miss ?? []) if (miss.size < NODE_CAP) miss.add(withItem(i, s));
    if (miss.size >= NODE_CAP) break;
  }
  return { match: [...match], miss: [...miss] };
}

function generateAlt(gens: readonly Gen[]): Gen {
  const match = [...gens.map((g) => g.match[0] ?? ''), ...gens.flatMap((g) => g.match.slice(1))];
  return { match: cap(match), miss: cap(gens.flatMap((g) => g.miss)) };
}

/** Counts min, min+1, min+2 (so `*` gives 0, 1, 2 reps); misses: one rep too few or too many, a bad rep. */
function generateRepeat(body: Gen, min: number, max: number | undefined): Gen {
  const canon = body.match[0] ?? '';
  const limit = max ?? Number.POSITIVE_INFINITY;
  const counts = [min, min + 1, min + 2].filter((n) => n <= limit);
  const one = Math.max(min, 1);
  const rest = canon.repeat(one - 1);
  const match = counts.map((n) => canon.repeat(n));
  if (one <= limit) body.match.slice(1).forEach((s) => match.push(s + rest));
  const miss: string[] = [];
  if (min >= 1) miss.push(canon.repeat(min - 1));
  if (max !== undefined && max < 1000) miss.push(canon.repeat(max + 1));
  if (one <= limit) body.miss.forEach((s) => miss.push(s + rest));
  return { match: cap(match), miss: cap(miss) };
}

// ---------------------------------------------------------------------------------------------------------------
// Assembly

/**
 * Paths start with '/': use the '/'-prefixed form of a candidate when it keeps the verdict. A match that cannot be
 * rooted stays as it is (the regex never matches a '/' path there); a near miss that cannot be rooted is dropped
 * (its '/' spelling matches, so it says nothing about paths).
 */
function slashed(candidate: string, keep: (s: string) => boolean, rootedOnly: boolean): string | undefined {
  if (candidate.startsWith('/')) return candidate;
  const prefixed = `/${candidate}`;
  if (keep(prefixed)) return prefixed;
  return rootedOnly ? undefined : candidate;
}

/** Rooted, truthful, deduplicated, capped. */
function finish(candidates: readonly string[], keep: (s: string) => boolean, rootedOnly: boolean, exclude: readonly string[] = []): string[] {
  const out = unique(candidates.map((c) => slashed(c, keep, rootedOnly))).filter((s) => keep(s) && !exclude.includes(s));
  // Stable: '/'-rooted samples first, order otherwise kept.
  return [...out.filter((s) => s.startsWith('/')), ...out.filter((s) => !s.startsWith('/'))].slice(0, MAX_SAMPLES);
}

/** Append '/', 'x', '/x', '/42', drop the last char (one edit away from a match). */
function mutations(m: string): string[] {
  return [`${m}/`, `${m}x`, `${m}/x`, `${m}/42`, m.slice(0, -1)];
}

/** Prefixes of a match at its last '/' (the parent path, with and without the slash). */
function prefixes(m: string): string[] {
  const slash = m.lastIndexOf('/');
  return slash < 0 ? [] : [m.slice(0, slash), m.slice(0, slash + 1), m.slice(0, Math.ceil(m.length / 2))];
}

/** Literal start of a regex (`^` skipped, simple escapes unescaped), for regexes the parser cannot read. */
function literalPrefix(regex: string): string {
  let out = '';
  for (let i = regex.startsWith('^') ? 1 : 0; i < regex.length; i++) {
    const ch = regex[i] ?? '';
    if (ch === '\\' && /[^0-9A-Za-z]/.test(regex[i + 1] ?? 'a')) {
      out += regex[++i] ?? '';
    } else if ('\\.+*?()|[]{}^$'.includes(ch)) {
      // A quantifier makes the previous character optional or repeated: it is not part of the literal.
      if ('*?{'.includes(ch)) out = out.slice(0, -1);
      break;
    } else {
      out += ch;
    }
  }
  return out;
}

function fallback(regex: string): { matching: string[]; nearMisses: string[] } {
  const prefix = literalPrefix(regex);
  const matches = (s: string) => fullMatch(regex, s);
  const matching = finish([prefix, `${prefix}/`], matches, false);
  const misses = finish([...mutations(prefix), prefix, '/'], (s) => !matches(s), true, matching);
  return { matching, nearMisses: misses };
}

/**
 * Up to 12 paths that fully match `regex` and up to 12 that just fail to (one edit away), both checked with RE2.
 * Deterministic. Unparseable or invalid regexes fall back to mutations of the literal prefix.
 */
export function samplePaths(regex: string): { matching: string[]; nearMisses: string[] } {
  // The verifier and the overlap rule ask about the same regex once per request and per pair of matches.
  let samples = sampled.get(regex);
  if (!samples) {
    if (sampled.size > 1000) sampled.clear();
    sampled.set(regex, (samples = computeSamples(regex)));
  }
  return { matching: [...samples.matching], nearMisses: [...samples.nearMisses] };
}

const sampled = new Map<string, { readonly matching: readonly string[]; readonly nearMisses: readonly string[] }>();

function computeSamples(regex: string): { matching: string[]; nearMisses: string[] } {
  if (!isValidRe2(regex)) return fallback(regex);
  let gen: Gen;
  try {
    gen = generate(parse(regex));
  } catch (e) {
    if (e instanceof Unsupported) return fallback(regex);
    throw e;
  }
  const matches = (s: string) => fullMatch(regex, s);
  const matching = finish(gen.match, matches, false);
  const [first, ...others] = matching.length > 0 ? matching : [gen.match[0] ?? ''];
  const candidates = [
    ...mutations(first ?? ''),
    ...gen.miss,
    ...prefixes(first ?? ''),
    ...others.slice(0, 2).flatMap(mutations),
  ];
  return { matching, nearMisses: finish(candidates, (s) => !matches(s), true, matching) };
}
