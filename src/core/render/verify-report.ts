import type { AccessChange, Difference, VerificationReport, VerificationUnknown } from '../verify/types.ts';
import { describeSource } from '../verify/types.ts';

/**
 * `osm2linkerd verify`: the access changes first, one line per (source → destination workload:port) pair whose
 * verdict changes, with the findings that explain it; then what verify could not decide; then every difference.
 */
export function renderVerificationReport(report: VerificationReport): string {
  const changes = report.accessChanges;
  const lines = [
    `ACCESS CHANGES: ${changes.length} (source → destination workload:port) pairs change verdict; ${report.differences.length} of ${report.requests} requests differ, ${report.uncovered.length} not explained by a finding.`,
  ];
  for (const c of changes) lines.push(`  ${changeLine(c)}`);
  if (report.unknowns.length > 0) {
    lines.push('', `NOT DECIDED: ${report.unknowns.length} (the repository does not say; nothing was assumed)`);
    for (const u of report.unknowns) lines.push(`  ${unknownLine(u)}`);
  }
  lines.push('', `DETAILS: ${report.differences.length} differences`);
  for (const d of report.differences) lines.push(`  ${differenceLine(d)}`);
  return `${lines.join('\n')}\n`;
}

function changeLine(c: AccessChange): string {
  const verdict = c.wider > 0 && c.narrower > 0 ? 'WIDER+NARROWER' : c.wider > 0 ? 'WIDER' : 'NARROWER';
  const counts = [c.wider > 0 ? `${c.wider} newly allowed` : '', c.narrower > 0 ? `${c.narrower} newly denied` : ''].filter(Boolean).join(', ');
  const cover = c.uncovered > 0
    ? `NOT EXPLAINED for ${c.uncovered}${c.coveredBy.length > 0 ? ` (others: ${c.coveredBy.join(', ')})` : ''}`
    : `explained by ${c.coveredBy.join(', ')}`;
  return `${verdict} ${unitPrefix(c.unit)}${c.source} → ${c.namespace}/${c.workload}:${c.port}: ${counts} (e.g. ${differenceLine(c.example, false)}); ${cover}`;
}

function unknownLine(u: VerificationUnknown): string {
  switch (u.kind) {
    case 'namespace-unknown': return `namespace unknown: ${u.workload} in ${u.file} is applied wherever kubectl -n puts it; not compared`;
    case 'injection-unknown': return `injection unknown: ${u.namespace}/${u.workload}: ${u.reason}; both outcomes were compared`;
    case 'server-conflict': return `server conflict: ${u.namespace}/${u.workload}:${u.port} is selected by Servers ${u.servers.join(', ')}; Linkerd picks one (by age)`;
  }
}

function differenceLine(d: Difference, withSource = true): string {
  const r = d.request;
  const what = r.http ? `${r.http.method} ${r.http.path}${Object.keys(r.http.headers).length ? ` ${JSON.stringify(r.http.headers)}` : ''}` : 'TCP';
  const verdicts = `OSM ${d.osm.allowed ? 'allow' : 'deny'} (${d.osm.reason}), Linkerd ${d.linkerd.allowed ? 'allow' : 'deny'} (${d.linkerd.reason})`;
  if (!withSource) return `${what}: ${verdicts}`;
  const cover = d.coveredBy.length > 0 ? `covered by ${d.coveredBy.join(', ')}` : 'NOT COVERED';
  return `${unitPrefix(d.unit)}${describeSource(r.source)} → ${r.namespace}/${r.workload}:${r.port} ${what}: ${verdicts}; ${cover}`;
}

/** An overlay judged on its own build names itself; the deployed base view needs no name. */
function unitPrefix(unit: string | undefined): string {
  return unit !== undefined ? `[${unit}] ` : '';
}

/** `osm2linkerd verify --format json`: the same report as one object, access changes first. */
export function renderVerificationJson(report: VerificationReport): string {
  const decision = (d: Difference) => ({
    source: describeSource(d.request.source),
    destination: `${d.request.namespace}/${d.request.workload}:${d.request.port}`,
    request: d.request.http ?? { tcp: true },
    osm: d.osm,
    linkerd: d.linkerd,
    coveredBy: d.coveredBy,
    ...(d.unit !== undefined ? { unit: d.unit } : {}),
  });
  const object = {
    summary: {
      requests: report.requests,
      differences: report.differences.length,
      uncovered: report.uncovered.length,
      accessChanges: report.accessChanges.length,
      unknowns: report.unknowns.length,
    },
    ...(report.units.length > 0 ? { units: report.units } : {}),
    accessChanges: report.accessChanges.map((c) => ({
      ...(c.unit !== undefined ? { unit: c.unit } : {}),
      source: c.source,
      destination: `${c.namespace}/${c.workload}:${c.port}`,
      verdict: c.wider > 0 && c.narrower > 0 ? 'wider-and-narrower' : c.wider > 0 ? 'wider' : 'narrower',
      newlyAllowed: c.wider,
      newlyDenied: c.narrower,
      coveredBy: c.coveredBy,
      uncovered: c.uncovered,
      example: decision(c.example),
    })),
    unknowns: report.unknowns,
    differences: report.differences.map(decision),
  };
  return `${JSON.stringify(object, null, 2)}\n`;
}
