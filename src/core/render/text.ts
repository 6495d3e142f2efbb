import type { Finding, Severity } from '../findings/finding.ts';
import type { MigrationPlan } from '../plan/types.ts';
import { accessChangesText, beforeYouMergeSteps, TEXT_STEPS } from './access-changes.ts';
import { renderUnifiedDiff } from './diff.ts';
import { ANSI } from './terminal.ts';

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Notes' };

export interface TextOptions {
  /** ANSI colour (bold headings, red errors, yellow warnings): only for a terminal that has not set NO_COLOR. */
  readonly colour?: boolean;
  /** Append the unified diff of every changed file. */
  readonly diff?: boolean;
}


/**
 * The CLI's text output, most urgent first as in the pull request: the access changes, the steps before merging, the
 * findings grouped by severity, the summary, then (with `diff`) the diff.
 */
export function renderText(plan: MigrationPlan, options: TextOptions = {}): string {
  const paint = (code: Exclude<keyof typeof ANSI, 'reset'>) => (text: string) => (options.colour ? `\u001b[${ANSI[code]}m${text}\u001b[${ANSI.reset}m` : text);
  const parts = [
    `${accessChangesText(plan, paint('bold')).join('\n')}\n`,
    `\n${paint('bold')('BEFORE YOU MERGE')}\n${beforeYouMergeSteps(plan, TEXT_STEPS).map((s) => `  [ ] ${s.replace(/\n/g, '\n    ')}`).join('\n')}\n`,
  ];
  const colours: Record<Severity, (text: string) => string> = { error: paint('red'), warning: paint('yellow'), info: paint('bold') };
  for (const severity of ['error', 'warning', 'info'] as const) {
    const group = plan.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    parts.push(`\n${colours[severity](`${HEADINGS[severity]} (${group.length})`)}\n${group.map(formatFinding).join('\n')}\n`);
  }
  parts.push(`\n${renderSummary(plan)}\n`);
  if (options.diff) parts.push(`\n${renderUnifiedDiff(plan)}`);
  return parts.join('');
}

function formatFinding(f: Finding): string {
  const where = f.file ? `${f.file}:${f.line}` : '(repository)';
  return `  ${where} [${f.id}] ${withoutFences(f.message)}\n      → ${f.remediation}`;
}

/** A terminal shows no Markdown: a rule's fenced snippet becomes an indented block under the finding. */
function withoutFences(message: string): string {
  return message.replace(/\n?```[A-Za-z0-9-]*\n([\s\S]*?)\n```/g, (_, code: string) => `\n${code.split('\n').map((l) => `        ${l}`).join('\n')}`);
}

export function renderSummary(plan: MigrationPlan): string {
  const s = plan.summary;
  const kinds = Object.entries(s.byKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, k]) => `${kind} ${k.found} found / ${k.translated} translated / ${k.flagged} flagged`)
    .join('; ');
  return [
    `Summary: Linkerd ${s.linkerdVersion}, ${s.strategy}, OSM ${s.meshMode} mode.`,
    `  OSM objects: ${s.osmObjects}${kinds ? ` (${kinds})` : ''}`,
    `  Generated resources: ${s.generatedResources}; files: ${s.filesCreated} created, ${s.filesModified} modified, ${s.filesDeleted} deleted`,
    `  Findings: ${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info`,
    `  Verify: ${s.verification.accessChanges} access changes (source → workload:port), ${s.verification.requests} requests compared, ${s.verification.differences} differences, ${s.verification.uncovered} not covered by a finding, ${s.verification.unknowns} not decided`,
  ].join('\n');
}
