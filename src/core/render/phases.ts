import type { MigrationPhase, MigrationPlan } from '../plan/types.ts';
import { renderUnifiedDiff } from './diff.ts';

/** `translate --strategy phased` as text: each phase with what it moves, its checklist, its findings and its diff. */
export function renderPhases(plan: MigrationPlan, only?: number): string {
  const phases = (plan.phases ?? []).filter((p) => only === undefined || p.index === only);
  const total = plan.phases?.length ?? 0;
  return phases.map((p) => renderPhase(p, total)).join('\n');
}

function renderPhase(phase: MigrationPhase, total: number): string {
  const counts = (['create', 'modify', 'delete'] as const).map((a) => `${phase.files.filter((f) => f.action === a).length} ${a === "modify" ? "modified" : `${a}d`}`);
  const findings = phase.findings.map((f) => `  ${f.severity} ${f.file ? `${f.file}:${f.line}` : '(repository)'} [${f.id}] ${f.message}`);
  return [
    `=== Phase ${phase.index} of ${total - 1}: ${phase.title} (${phase.id})`,
    ...(phase.namespaces.length > 0 ? [`Namespaces: ${phase.namespaces.join(', ')}`] : []),
    `Files: ${counts.join(', ')}`,
    'Checklist:',
    ...phase.checklist.map((c, i) => `  ${i + 1}. ${c}`),
    ...(findings.length > 0 ? [`Findings (${findings.length}):`, ...findings] : []),
    '',
    renderUnifiedDiff(phase),
  ].join('\n');
}
