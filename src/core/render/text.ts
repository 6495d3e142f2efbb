import type { Finding, Severity } from '../findings/finding.ts';
import type { MigrationPlan } from '../plan/types.ts';
import { renderUnifiedDiff } from './diff.ts';

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Notes' };

/** The CLI's default output: the diff, the findings grouped by severity, then a summary. */
export function renderText(plan: MigrationPlan): string {
  const parts = [renderUnifiedDiff(plan)];
  for (const severity of ['error', 'warning', 'info'] as const) {
    const group = plan.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    parts.push(`\n${HEADINGS[severity]} (${group.length})\n${group.map(formatFinding).join('\n')}\n`);
  }
  parts.push(`\n${renderSummary(plan)}\n`);
  return parts.join('');
}

function formatFinding(f: Finding): string {
  const where = f.file ? `${f.file}:${f.line}` : '(repository)';
  return `  ${where} [${f.id}] ${f.message}\n      → ${f.remediation}`;
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
