import type { VerificationReport } from '../verify/types.ts';
import { describeSource } from '../verify/types.ts';

/** `osm2linkerd verify`: every difference, and whether a finding explains it. */
export function renderVerificationReport(report: VerificationReport): string {
  const lines = [`${report.requests} requests compared, ${report.differences.length} differences, ${report.uncovered.length} not covered by a finding.`];
  for (const d of report.differences) {
    const r = d.request;
    const what = r.http ? `${r.http.method} ${r.http.path}${Object.keys(r.http.headers).length ? ` ${JSON.stringify(r.http.headers)}` : ''}` : 'TCP';
    const cover = d.coveredBy.length > 0 ? `covered by ${d.coveredBy.join(', ')}` : 'NOT COVERED';
    lines.push(`  ${describeSource(r.source)} → ${r.namespace}/${r.workload}:${r.port} ${what}: OSM ${d.osm.allowed ? 'allow' : 'deny'} (${d.osm.reason}), Linkerd ${d.linkerd.allowed ? 'allow' : 'deny'} (${d.linkerd.reason}); ${cover}`);
  }
  return `${lines.join('\n')}\n`;
}
