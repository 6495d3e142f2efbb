import type { Finding } from '../findings/finding.ts';
import type { MigrationPhase, MigrationPlan } from '../plan/types.ts';
import type { PhaseVerification } from '../verify/phase-verify.ts';

/** The CLI's `--format json` contract: exactly this shape, paths relative to the scanned directory. */
export function renderJson(plan: MigrationPlan): string {
  return `${JSON.stringify({
    files: plan.files.map((f) => ({ path: f.path, action: f.action, content: f.content })),
    findings: plan.findings.map(findingJson),
    summary: plan.summary,
    ...(plan.phases ? { phases: plan.phases.map(phaseJson) } : {}),
  }, null, 2)}\n`;
}

/** One phase of `--strategy phased`; its files are relative to the tree after the phases before it. */
export function phaseJson(phase: MigrationPhase): Record<string, unknown> {
  return {
    index: phase.index,
    id: phase.id,
    title: phase.title,
    namespaces: phase.namespaces,
    checklist: phase.checklist,
    files: phase.files.map((f) => ({ path: f.path, action: f.action, content: f.content })),
    findings: phase.findings.map(findingJson),
    ...(phase.verify ? { verify: phaseVerifyJson(phase.verify) } : {}),
  };
}

function phaseVerifyJson(v: PhaseVerification): Record<string, unknown> {
  return {
    requests: v.requests,
    outages: v.outages.length,
    unexplainedOutages: v.outages.filter((d) => d.coveredBy.length === 0).length,
    wider: v.wider,
  };
}

function findingJson(f: Finding): Record<string, unknown> {
  return { id: f.id, severity: f.severity, file: f.file, line: f.line, resource: f.resource, message: f.message, remediation: f.remediation, docsUrl: f.docsUrl };
}
