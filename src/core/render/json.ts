import type { MigrationPlan } from '../plan/types.ts';

/** The CLI's `--format json` contract: exactly this shape, paths relative to the scanned directory. */
export function renderJson(plan: MigrationPlan): string {
  return `${JSON.stringify({
    files: plan.files.map((f) => ({ path: f.path, action: f.action, content: f.content })),
    findings: plan.findings.map((f) => ({
      id: f.id, severity: f.severity, file: f.file, line: f.line, resource: f.resource, message: f.message, remediation: f.remediation, docsUrl: f.docsUrl,
    })),
    summary: plan.summary,
  }, null, 2)}\n`;
}
