/**
 * The one way text from a repository (kinds, paths, names, values, and the messages that quote them) enters Markdown
 * that GitHub renders: PR bodies, review comments, check runs, SARIF and sticky comments. Nothing it returns can open
 * an HTML tag or comment (so no remote <img>, no fake `<!-- osm2linkerd:… -->` marker), notify anyone (@org/team),
 * link an issue (#123), start a heading, list, table cell or code fence, or continue onto a new line.
 */

/** Zero-width space: keeps `@name` and `#123` readable while GitHub no longer sees a mention or a reference. */
const BREAK = '\u200B';

/** Control characters (newlines included) become one space: a value must stay on the line it was put on. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

/**
 * Mentions and references broken; HTML comment delimiters too, even where they would show literally (code spans):
 * no output ever holds `<!--` or `-->`, so repository text can never look like one of the app's hidden markers.
 */
function unlinked(text: string): string {
  return text.replace(/([@#])(?=[\p{L}\p{N}_-])/gu, `$1${BREAK}`).replace(/<(\\?)!/g, `<$1${BREAK}!`).replace(/--(\\?)>/g, `--${BREAK}$1>`);
}

/**
 * Prose: one line; the characters that open inline Markdown or HTML (emphasis, code, links and images, tags and
 * comments, entities, table cells, strike-through, math) backslash-escaped; a first character that would start a
 * block (heading, quote, list) escaped too; mentions and references broken.
 */
export function escapeMarkdown(text: string): string {
  const escaped = oneLine(text).replace(/[\\`*_[\]<>|~&$]/g, '\\$&').replace(/^(\s*)([#+=-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
  return unlinked(escaped);
}

/**
 * Code: an inline code span whose fence is longer than any run of backticks inside, so the text shows verbatim.
 * GitHub never renders HTML, mentions or references inside a code span; `|` is escaped for table cells.
 */
export function inlineCode(text: string): string {
  const flat = unlinked(oneLine(text).replace(/\|/g, '\\|'));
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced block (e.g. ```suggestion) around text that may itself hold backtick fences. */
export function fencedBlock(info: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

/**
 * A message that may span lines and hold fenced code blocks (a rule's YAML snippet): each prose line escaped as
 * prose (so no line can start a heading, list or quote), each code block re-fenced longer than any backtick run in
 * it. A repository value that imitates a fence only changes where prose ends: both sides stay inert.
 */
export function escapeMarkdownLines(text: string): string {
  const parts: string[] = [];
  const fence = /^```([A-Za-z0-9-]*)\n([\s\S]*?)\n```$/gm;
  let at = 0;
  for (const m of text.matchAll(fence)) {
    parts.push(prose(text.slice(at, m.index)), fencedBlock(m[1] ?? '', m[2] ?? ''));
    at = m.index + m[0].length;
  }
  parts.push(prose(text.slice(at)));
  return parts.filter((p) => p !== '').join('\n');
}

function prose(text: string): string {
  return text.split(/\r?\n/).map(escapeMarkdown).join('\n').replace(/^\n+|\n+$/g, '');
}
