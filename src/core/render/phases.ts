import type { MigrationPhase, MigrationPlan } from '../plan/types.ts';
import type { PhaseVerification } from '../verify/phase-verify.ts';
import { renderUnifiedDiff } from './diff.ts';

/** `translate --strategy phased` as text: each phase with what it moves, its checklist, its findings and its diff. */
export function renderPhases(plan: MigrationPlan, only?: number): string {
  const phases = (plan.phases ?? []).filter((p) => only === undefined || p.index === only);
  const total = plan.phases?.length ?? 0;
  return phases.map((p) => renderPhase(p, total)).join('\n');
}

function verifyLine(v: PhaseVerification): string {
  const unexplained = v.outages.filter((d) => d.coveredBy.length === 0).length;
  const verdict = unexplained > 0 ? `✗ ${unexplained} requests OSM allowed fail and no finding explains them` : '✓ nothing OSM allowed fails unexplained';
  return `Verify: ${v.requests} requests on the mixed cluster: ${verdict}; ${v.outages.length - unexplained} explained by findings; ${v.wider} allowed that OSM denied.`;
}

function renderPhase(phase: MigrationPhase, total: number): string {
  const counts = (['create', 'modify', 'delete'] as const).map((a) => `${phase.files.filter((f) => f.action === a).length} ${a === "modify" ? "modified" : `${a}d`}`);
  const findings = phase.findings.map((f) => `  ${f.severity} ${f.file ? `${f.file}:${f.line}` : '(repository)'} [${f.id}] ${f.message}`);
  return [
    `=== Phase ${phase.index} of ${total - 1}: ${phase.title} (${phase.id})`,
    ...(phase.namespaces.length > 0 ? [`Namespaces: ${phase.namespaces.join(', ')}`] : []),
    `Files: ${counts.join(', ')}`,
    ...(phase.verify ? [verifyLine(phase.verify)] : []),
    'Checklist:',
    ...phase.checklist.map((c, i) => `  ${i + 1}. ${c}`),
    ...(findings.length > 0 ? [`Findings (${findings.length}):`, ...findings] : []),
    '',
    renderUnifiedDiff(phase),
  ].join('\n');
}
