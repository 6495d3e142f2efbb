import { inlineCode, LINKERD_VERSIONS } from '../core/index.ts';

/** What a command may change: the PR's persisted choices, or one action. */
export type Command =
  | { readonly name: 'help' }
  | { readonly name: 'rescan' }
  | { readonly name: 'recreate' }
  | { readonly name: 'explain'; readonly findingId: string }
  | { readonly name: 'strategy'; readonly value: 'forklift' | 'phased' }
  | { readonly name: 'split'; readonly value: 'httproute' | 'trafficsplit' }
  | { readonly name: 'target'; readonly value: (typeof LINKERD_VERSIONS)[number] }
  | { readonly name: 'mode'; readonly value: 'smi' | 'permissive' }
  | { readonly name: 'ignore'; readonly glob: string };

export type CommandName = Command['name'];

export interface CommandSpec {
  readonly name: CommandName;
  readonly usage: string;
  readonly summary: string;
  /** Read-only commands anyone who can read the repository may run; the rest need write, maintain or admin. */
  readonly readOnly: boolean;
}

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'help', usage: 'help', summary: 'list the commands you may run', readOnly: true },
  { name: 'explain', usage: 'explain <finding-id>', summary: 'what a finding means and what to do', readOnly: true },
  { name: 'rescan', usage: 'rescan', summary: 'translate the default branch again and update this PR', readOnly: false },
  { name: 'recreate', usage: 'recreate', summary: 'discard this branch (including commits by people) and start over', readOnly: false },
  { name: 'strategy', usage: 'strategy <forklift|phased>', summary: 'forklift: one pull request; phased: one stacked pull request per phase and a tracking issue (back to forklift only while no phase has merged)', readOnly: false },
  { name: 'split', usage: 'split <httproute|trafficsplit>', summary: 'TrafficSplit → weighted HTTPRoute, or kept for linkerd-smi', readOnly: false },
  { name: 'target', usage: `target <linkerd ${LINKERD_VERSIONS[0]}…${LINKERD_VERSIONS.at(-1)}>`, summary: 'the Linkerd version to write for', readOnly: false },
  { name: 'mode', usage: 'mode <smi|permissive>', summary: 'OSM\'s traffic policy mode, when the repository does not say', readOnly: false },
  { name: 'ignore', usage: 'ignore <path-glob>', summary: 'leave matching files alone', readOnly: false },
];

export const PREFIX = '/osm2linkerd';

export type ParseResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'command'; readonly command: Command }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Atlantis-style: only a comment whose first line starts with `/osm2linkerd` is a command; quoted text and code
 * blocks are ignored because they never start the comment. The line is tokenised like a shell and lower-cased
 * (except globs, whose case matters).
 */
export function parseCommand(body: string): ParseResult {
  const firstLine = body.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]?.trim() ?? '';
  const tokens = shellTokens(firstLine);
  if (tokens[0]?.toLowerCase() !== PREFIX) return { kind: 'none' };
  const [rawName, ...args] = tokens.slice(1);
  const name = rawName?.toLowerCase();
  if (!name) return { kind: 'command', command: { name: 'help' } };
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) return { kind: 'error', message: unknownCommand(name) };
  return withArguments(spec, args);
}

function withArguments(spec: CommandSpec, args: readonly string[]): ParseResult {
  const lower = args.map((a) => a.toLowerCase());
  const usage = (extra = '') => ({ kind: 'error' as const, message: `${extra}Usage: \`${PREFIX} ${spec.usage}\`` });
  switch (spec.name) {
    case 'help': case 'rescan': case 'recreate':
      return args.length === 0 ? { kind: 'command', command: { name: spec.name } } : usage(`\`${spec.name}\` takes no arguments. `);
    case 'explain':
      return args.length === 1 && args[0] ? { kind: 'command', command: { name: 'explain', findingId: lower[0] ?? '' } } : usage();
    case 'ignore':
      return args.length === 1 && args[0] ? { kind: 'command', command: { name: 'ignore', glob: args[0] } } : usage();
    case 'strategy':
      return lower.length === 1 && (lower[0] === 'forklift' || lower[0] === 'phased') ? { kind: 'command', command: { name: 'strategy', value: lower[0] } } : usage();
    case 'split':
      return lower.length === 1 && (lower[0] === 'httproute' || lower[0] === 'trafficsplit') ? { kind: 'command', command: { name: 'split', value: lower[0] } } : usage();
    case 'mode':
      return lower.length === 1 && (lower[0] === 'smi' || lower[0] === 'permissive') ? { kind: 'command', command: { name: 'mode', value: lower[0] } } : usage();
    case 'target': {
      const version = (lower[0] === 'linkerd' ? lower.slice(1) : lower).join('').replace(/^v/, '');
      const known = LINKERD_VERSIONS.find((v) => v === version);
      return known && lower.length <= 2 ? { kind: 'command', command: { name: 'target', value: known } } : usage(`Supported versions: ${LINKERD_VERSIONS.join(', ')}. `);
    }
  }
}

function unknownCommand(name: string): string {
  const nearest = COMMANDS.map((c) => ({ c, d: editDistance(name, c.name) })).sort((a, b) => a.d - b.d)[0];
  const hint = nearest && nearest.d <= 2 ? ` Did you mean \`${PREFIX} ${nearest.c.name}\`?` : '';
  return `\`${name}\` is not a command.${hint} Commands: ${COMMANDS.map((c) => `\`${c.name}\``).join(', ')}.`;
}

/** Splits like a POSIX shell: whitespace separates, single and double quotes group, backslash escapes. */
export function shellTokens(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quote: '"' | "'" | null = null;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") { quote = ch; started = true; }
    else if (ch === '\\' && i + 1 < line.length) { current += line[++i]; started = true; }
    else if (/\s/.test(ch)) { if (started) tokens.push(current); current = ''; started = false; }
    else { current += ch; started = true; }
  }
  if (started) tokens.push(current);
  return tokens;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** A Markdown table: `|` inside a cell (`<smi|permissive>`) is escaped, or GitHub would split the cell there. */
export function helpText(mayWrite: boolean): string {
  const lines = COMMANDS.filter((c) => mayWrite || c.readOnly).map((c) => `| ${inlineCode(`${PREFIX} ${c.usage}`)} | ${c.summary.replace(/\|/g, '\\|')} |`);
  return [
    '| command | what it does |', '|---|---|', ...lines,
    mayWrite ? '' : '\nThe other commands need write, maintain or admin permission on this repository.',
  ].join('\n').trim();
}
