/** OSM's path, method and header values are RE2 regexes; many are plain literals in disguise. */

const META = new Set(['.', '^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '\\']);

/** The literal a regex denotes when it has no operators (escaped punctuation allowed), else undefined. */
export function regexLiteral(regex: string): string | undefined {
  let out = '';
  for (let i = 0; i < regex.length; i++) {
    const ch = regex[i] as string;
    if (ch === '\\') {
      const next = regex[i + 1];
      // Escaped punctuation is literal; \d, \w, \b … are classes or assertions.
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      out += next;
      i++;
    } else if (META.has(ch)) return undefined;
    else out += ch;
  }
  return out;
}

/** Full-match anchors at the ends change nothing under OSM's full-match semantics: dropped before classifying. */
export function stripAnchors(regex: string): string {
  let r = regex;
  if (r.startsWith('^')) r = r.slice(1);
  if (r.endsWith('$') && !r.endsWith('\\$')) r = r.slice(0, -1);
  return r;
}
