import { catalogue } from '../findings/catalogue.ts';
import type { FindingId } from '../findings/catalogue.ts';
import type { Finding, Severity } from '../findings/finding.ts';
import { docsUrlFor } from '../findings/finding.ts';
import type { MigrationPlan } from '../plan/types.ts';
import { accessChangesMarkdown, beforeYouMergeMarkdown } from './access-changes.ts';
import { accessGraphMarkdown } from './access-graph.ts';
import { escapeMarkdown, escapeMarkdownLines, inlineCode } from './markdown.ts';

/** GitHub rejects bodies over 65,536 characters; the rest is kept for the caller's hidden state block. */
export const PULL_REQUEST_BODY_LIMIT = 65_536;
const RESERVED_FOR_CALLER = 4_096;

export interface PullRequestContext {
  /** Link to a line of the base branch (findings point at the OSM sources as they are on the default branch). */
  readonly lineUrl: (path: string, line: number) => string;
  /** Markdown that tells readers how to talk to the bot (the GitHub door's command list). */
  readonly commandHelp: string;
}

export interface PullRequestText {
  readonly title: string;
  readonly body: string;
}

const SEVERITY_TITLE: Record<Severity, string> = { error: '🛑 Errors', warning: '⚠️ Warnings', info: 'ℹ️ Notes' };

export function pullRequestTitle(plan: MigrationPlan): string {
  return `Migrate from Open Service Mesh to Linkerd ${plan.summary.linkerdVersion}`;
}

/**
 * The pull request's description, most urgent first: the access changes (who loses or gains access), the steps that
 * prevent an outage or a hole before merging, the graph of who may call whom after merging, the findings, then what was found and changes, the strategy, the
 * equivalence check and the commands. Findings that overflow are summarised so the whole stays under GitHub's limit
 * with room for the caller's state block.
 */
export function renderPullRequest(plan: MigrationPlan, context: PullRequestContext): PullRequestText {
  const budget = PULL_REQUEST_BODY_LIMIT - RESERVED_FOR_CALLER;
  const before = [intro(plan), accessChangesMarkdown(plan), beforeYouMergeMarkdown(plan), accessGraphMarkdown(plan)];
  const after = [foundTable(plan), changes(plan), strategy(plan), verification(plan), context.commandHelp];
  const fixedLength = [...before, ...after].reduce((n, s) => n + s.length + 2, 0);
  const findingsSection = findingsMarkdown(plan.findings, context, Math.max(budget - fixedLength, 1_000));
  const body = [...before, findingsSection, ...after].join('\n\n');
  return { title: pullRequestTitle(plan), body: body.length <= budget ? body : `${body.slice(0, budget - 80)}\n\n…(description shortened to fit GitHub's limit)` };
}

function intro(plan: MigrationPlan): string {
  const s = plan.summary;
  return [
    `This pull request moves the mesh configuration of this repository from Open Service Mesh (archived) to **Linkerd ${s.linkerdVersion}**.`,
    `Strategy: **${s.strategy}** · OSM traffic policy mode: **${s.meshMode}** · findings: ${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info.`,
    s.findings.error > 0 ? '> [!CAUTION]\n> Some OSM configuration could not be translated exactly. Read the errors below before merging.' : '',
  ].filter(Boolean).join('\n\n');
}

function foundTable(plan: MigrationPlan): string {
  const rows = Object.entries(plan.summary.byKind).sort(([a], [b]) => a.localeCompare(b));
  if (rows.length === 0) return '### What was found\n\nNo OSM/SMI resources; only `openservicemesh.io` annotations or labels.';
  return [
    '### What was found',
    '',
    '| OSM kind | found | translated | flagged |',
    '|---|---:|---:|---:|',
    ...rows.map(([kind, k]) => `| ${escapeMarkdown(kind)} | ${k.found} | ${k.translated} | ${k.flagged} |`),
  ].join('\n');
}

function changes(plan: MigrationPlan): string {
  const s = plan.summary;
  const verbs = { create: 'adds', modify: 'edits', delete: 'removes' } as const;
  const list = plan.files.map((f) => `- ${verbs[f.action]} ${inlineCode(f.path)}`);
  return [
    '### What this pull request changes',
    '',
    `${s.generatedResources} Linkerd resources; ${s.filesCreated} files added, ${s.filesModified} edited (only the changed lines), ${s.filesDeleted} removed.`,
    '',
    collapsed(`Files (${plan.files.length})`, list.join('\n')),
  ].join('\n');
}

function findingsMarkdown(findings: readonly Finding[], context: PullRequestContext, budget: number): string {
  if (findings.length === 0) return '### Findings\n\nNone: every OSM semantic has an exact Linkerd equivalent here.';
  const parts = ['### Findings'];
  let used = parts.join('\n').length;
  let omitted = 0;
  for (const severity of ['error', 'warning', 'info'] as const) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    const rows: string[] = [];
    // Notes mostly repeat what the diff shows: one counted line per finding id.
    for (const row of severity === 'info' ? noteRows(group) : group.map((f) => findingRow(f, context))) {
      if (used + row.length + 200 > budget) { omitted++; continue; }
      rows.push(row);
      used += row.length + 1;
    }
    if (rows.length > 0) parts.push('', collapsed(`${SEVERITY_TITLE[severity]} (${group.length})`, rows.join('\n'), severity === 'error'));
  }
  if (omitted > 0) parts.push('', `…and ${omitted} more findings that do not fit here: see the \`osm2linkerd\` check run or run the CLI with \`--format json\`.`);
  return parts.join('\n');
}

function findingRow(f: Finding, context: PullRequestContext): string {
  // <…> around the link destination: a path may hold ')' or spaces (the caller percent-encodes the rest).
  const where = f.file ? `[${escapeMarkdown(f.file)}:${f.line}](<${context.lineUrl(f.file, f.line)}>)` : 'repository';
  // A snippet the reader copies stays a fenced block, indented into the list item.
  const message = escapeMarkdownLines(f.message).replace(/\n/g, '\n  ');
  return `- [\`${f.id}\`](${f.docsUrl}) ${where}${f.resource ? ` ${inlineCode(f.resource)}` : ''}: ${message}`;
}

function noteRows(notes: readonly Finding[]): string[] {
  const counts = new Map<FindingId, number>();
  for (const f of notes) counts.set(f.id, (counts.get(f.id) ?? 0) + 1);
  return [...counts].map(([id, n]) => `- [\`${id}\`](${docsUrlFor(id)}) ×${n}: ${escapeMarkdown(catalogue[id].title)}`);
}

function strategy(plan: MigrationPlan): string {
  const s = plan.summary;
  const has = (prefix: string) => plan.findings.some((f) => f.id.startsWith(prefix));
  const checklist = [
    `Install the Linkerd ${s.linkerdVersion} CRDs and control plane (\`linkerd install --crds | kubectl apply -f -\`, then \`linkerd install | kubectl apply -f -\`), and check with \`linkerd check\`.`,
    plan.options.splitStyle === 'trafficsplit' || has('traffic-split/linkerd-smi') ? 'Install the linkerd-smi extension: this pull request keeps TrafficSplits for it.' : '',
    'Forklift: this pull request removes the OSM resources. Uninstall OSM (`osm uninstall mesh`) in the same maintenance window, before the restart.',
    'Check the authorizations per namespace: `linkerd viz authz -n <namespace> deploy`.',
  ].filter(Boolean);
  return [
    '### Migration strategy',
    '',
    'Three ways to move, from the fastest to the safest:',
    `- **Forklift**${s.strategy === 'forklift' ? ' (this PR)' : ''}: uninstall OSM, install Linkerd, restart everything in one window. Simple; a short outage of mesh policy.`,
    '- **Workload by workload**: both meshes installed; namespaces move one at a time, callees first. `osm2linkerd translate --strategy phased` plans it as phases (a bridge, one per namespace group, a lock-down equal to this PR).',
    '- **Separate clusters**: a new cluster with Linkerd, traffic shifted at the edge. Safest, and the most work.',
    '',
    'Around the merge (the steps that prevent an outage or a hole are above, in "Before you merge"):',
    ...checklist.map((c) => `- [ ] ${c}`),
  ].join('\n');
}

function verification(plan: MigrationPlan): string {
  const v = plan.summary.verification;
  // ✅ only when it is true: something verify could not decide is never reported as equivalent.
  const undecided = v.unknowns > 0
    ? `${v.unknowns} things the repository does not say (an unknown namespace or injection, a Server conflict) were not assumed: see \`osm2linkerd verify\`.`
    : '';
  const explained = v.differences === 0 ? 'Linkerd allows exactly what OSM allowed' : `Every difference (${v.accessChanges} access changes) is explained by a finding`;
  const verdict = v.uncovered > 0
    ? `🛑 ${v.uncovered} differences are not explained by any finding.${undecided ? ` ${undecided}` : ''}`
    : undecided ? `⚠️ ${explained}, but ${undecided}` : `✅ ${explained}.`;
  return [
    '### Equivalence check',
    '',
    `${v.requests} requests (every source identity × destination port × sample path) were evaluated against OSM's rules and against the generated Linkerd policy: ${v.differences} differ. ${verdict}`,
  ].join('\n');
}

function collapsed(summary: string, content: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${content}\n\n</details>`;
}
