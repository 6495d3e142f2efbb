import { finding, sortFindings, type Finding } from './findings/finding.ts';
import { buildInventory } from './inventory/inventory.ts';
import { decideMeshMode, type MeshMode } from './inventory/mesh-mode.ts';
import type { Inventory } from './inventory/model.ts';
import { loadRepository } from './load/load.ts';
import { resolveOptions, type MigrationOptions, type MigrationOptionsInput } from './options.ts';
import { readAccessModel } from './osm/access-model.ts';
import { isMeshed, meshedNamespaces } from './osm/meshed.ts';
import { namespaceCallGraph } from './phases/call-graph.ts';
import { orderNamespaceGroups } from './phases/order.ts';
import { planPhases } from './phases/phased-plan.ts';
import { separateClusterPhases } from './phases/separate-cluster.ts';
import { planFiles } from './plan/plan.ts';
import type { FileChange, KindSummary, MigrationPhase, MigrationPlan, MigrationSummary } from './plan/types.ts';
import { rules } from './rules/registry.ts';
import type { RuleOutput } from './rules/rule.ts';
import { unhandledFindings } from './rules/unhandled.ts';
import { formatRef, type RepositoryFiles } from './source.ts';
import { describeSource, type VerificationReport } from './verify/types.ts';
import { verify } from './verify/verify.ts';
import { verifyPhase } from './verify/phase-verify.ts';

/** The whole pipeline: files in, MigrationPlan out. Pure: no I/O, no clock, same input → same output. */
export function migrate(files: RepositoryFiles, optionsInput: MigrationOptionsInput = {}): MigrationPlan {
  const options = resolveOptions(optionsInput);
  // A separate cluster's copy is the tool's own output: never read back as a second deployment of the same objects.
  const exclude = options.strategy === 'separate-cluster' ? [...options.exclude, `${options.clusterPath}/`] : options.exclude;
  const included = new Map([...files].filter(([path]) => !isExcluded(path, exclude)));
  const load = loadRepository(included);
  const { inventory, findings: inventoryFindings } = buildInventory(load);
  const { meshMode, findings: modeFindings } = decideMeshMode(inventory, options);
  const outputs: RuleOutput[] = rules.map((rule) => rule.translate({ inventory, options, meshMode }));
  const consumed = outputs.flatMap((o) => o.consumed);
  const resources = outputs.flatMap((o) => o.resources);
  const ruleFindings = outputs.flatMap((o) => o.findings);
  const filePlan = planFiles({ load, inventory, resources, edits: outputs.flatMap((o) => o.edits), consumed, options });
  const explained: Finding[] = [
    ...load.findings, ...inventoryFindings, ...modeFindings, ...ruleFindings, ...unhandledFindings(inventory, consumed, fieldPatterns()), ...filePlan.findings,
  ];
  const migratedFiles = applyChanges(included, filePlan.files);
  const verification = verify({
    inventory, meshMode, migratedFiles, linkerdVersion: options.linkerdVersion, findings: explained,
  });
  const findings = sortFindings([...explained, ...uncoveredFindings(inventory, verification)]);
  const phases = options.strategy === 'phased' ? phasesOf({ load, inventory, options, outputs, included, migratedFiles, findings, meshMode })
    : options.strategy === 'separate-cluster' ? separateClusterPhases(files, migratedFiles, inventory, options, findings)
    : undefined;
  // A separate cluster gets a copy; the old cluster's files stay as they are.
  const changes = options.strategy === 'separate-cluster' ? phases?.[0]?.files ?? [] : filePlan.files;
  return {
    ...(phases ? { phases } : {}),
    files: changes,
    findings,
    resources,
    verification,
    options,
    summary: summarize(inventory, options, meshMode.mode, changes, findings, verification, resources.length),
  };
}

interface PhaseContext {
  readonly load: ReturnType<typeof loadRepository>;
  readonly inventory: Inventory;
  readonly options: ReturnType<typeof resolveOptions>;
  readonly outputs: readonly RuleOutput[];
  readonly included: ReadonlyMap<string, string>;
  readonly migratedFiles: ReadonlyMap<string, string>;
  readonly findings: readonly Finding[];
  readonly meshMode: MeshMode;
}

/** The forklift result cut into phases along the call graph between meshed namespaces (callees first). */
function phasesOf(c: PhaseContext): MigrationPhase[] {
  const model = readAccessModel(c.inventory);
  const meshed = meshedNamespaces(c.inventory, model);
  for (const w of c.inventory.workloads) if (w.namespace && isMeshed(w, c.inventory, meshed)) meshed.add(w.namespace);
  const graph = namespaceCallGraph(c.inventory, model, meshed);
  return planPhases({
    load: c.load,
    inventory: c.inventory,
    options: c.options,
    resources: c.outputs.flatMap((o) => o.resources),
    edits: c.outputs.flatMap((o) => o.edits),
    consumed: c.outputs.flatMap((o) => o.consumed),
    original: c.included,
    forklift: c.migratedFiles,
    graph,
    groups: orderNamespaceGroups(graph),
    findings: c.findings,
    verifyTree: (tree) => verifyPhase({ before: c.inventory, meshMode: c.meshMode, tree, linkerdVersion: c.options.linkerdVersion, findings: c.findings }),
  });
}

/** Each consumed kind's known spec fields, from the rule that owns the kind. */
function fieldPatterns(): Map<string, readonly string[]> {
  return new Map(rules.flatMap((rule) => Object.entries(rule.fields ?? {})));
}

export function applyChanges(files: RepositoryFiles, changes: readonly FileChange[]): Map<string, string> {
  const result = new Map(files);
  for (const c of changes) {
    if (c.action === 'delete') result.delete(c.path);
    else result.set(c.path, c.content);
  }
  return result;
}

/** `*` within a path segment, `**` across segments, a trailing `/` for a whole folder. */
export function globToRegExp(glob: string): RegExp {
  const g = glob.endsWith('/') ? `${glob}**` : glob;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const ch = g[i] as string;
    if (ch === '*' && g[i + 1] === '*') {
      re += '.*';
      i++;
      if (g[i + 1] === '/') i++;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function isExcluded(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(path));
}

const MAX_UNCOVERED_FINDINGS = 50;

/** A difference nobody explained is a translator bug, and the user must see it before merging. */
function uncoveredFindings(inventory: Inventory, report: VerificationReport): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const d of report.uncovered) {
    const r = d.request;
    const key = `${r.namespace}/${r.workload}/${r.port}/${describeSource(r.source)}`;
    if (seen.has(key) || findings.length >= MAX_UNCOVERED_FINDINGS) continue;
    seen.add(key);
    const what = r.http ? `${r.http.method} ${r.http.path}` : 'a TCP connection';
    const workload = inventory.workloads.find((w) => w.namespace === r.namespace && w.name === r.workload);
    const at = workload ? workload.object.locate(['metadata', 'name']) : { file: '', line: 0 };
    findings.push(finding('verify/uncovered-difference', at, {
      resource: `${r.namespace}/${r.workload}`,
      message: `${describeSource(r.source)} → ${r.workload}:${r.port} ${what}: OSM ${d.osm.allowed ? 'allowed' : 'denied'} it (${d.osm.reason}), Linkerd would ${d.linkerd.allowed ? 'allow' : 'deny'} it (${d.linkerd.reason}).`,
    }));
  }
  return findings;
}

function summarize(
  inventory: Inventory,
  options: MigrationOptions,
  meshMode: string,
  files: readonly FileChange[],
  findings: readonly Finding[],
  verification: VerificationReport,
  generatedResources: number,
): MigrationSummary {
  const byKind: Record<string, KindSummary> = {};
  const flaggedRefs = new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.resource));
  const unhandled = new Set(findings.filter((f) => f.id === 'unhandled/osm-kind').map((f) => f.resource));
  for (const o of inventory.osmObjects) {
    const ref = formatRef(o.ref);
    const k = byKind[o.ref.kind] ?? { found: 0, translated: 0, flagged: 0 };
    byKind[o.ref.kind] = {
      found: k.found + 1,
      translated: k.translated + (unhandled.has(ref) ? 0 : 1),
      flagged: k.flagged + (flaggedRefs.has(ref) ? 1 : 0),
    };
  }
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  return {
    linkerdVersion: options.linkerdVersion,
    strategy: options.strategy,
    meshMode,
    osmObjects: inventory.osmObjects.length,
    byKind,
    generatedResources,
    filesCreated: files.filter((f) => f.action === 'create').length,
    filesModified: files.filter((f) => f.action === 'modify').length,
    filesDeleted: files.filter((f) => f.action === 'delete').length,
    findings: { error: count('error'), warning: count('warning'), info: count('info') },
    verification: {
      requests: verification.requests,
      differences: verification.differences.length,
      uncovered: verification.uncovered.length,
      accessChanges: verification.accessChanges.length,
      unknowns: verification.unknowns.length,
    },
  };
}
