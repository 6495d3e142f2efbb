import { RE2JS } from 're2js';
import { sortFindings, type Finding } from './findings/finding.ts';
import { finding } from './migrate-findings.ts';
import { buildInventory, inventoryOf } from './inventory/inventory.ts';
import { buildKustomizations } from './inventory/kustomize-build.ts';
import { scriptNamespaceFindings } from './inventory/script-applies.ts';
import { notDeployedFindings, objectKey, translationViews, versionFindings, type TranslationView } from './inventory/object-versions.ts';
import { decideMeshMode, type MeshMode } from './inventory/mesh-mode.ts';
import type { Inventory, K8sObject } from './inventory/model.ts';
import { loadRepository, reloader } from './load/load.ts';
import { unreadFindings, withoutUnreadTargets } from './load/unread.ts';
import { resolveOptions, type MigrationOptions, type MigrationOptionsInput } from './options.ts';
import { planOverlays, type OverlayPlan } from './plan/overlays.ts';
import { generatedPath } from './plan/placement.ts';
import { planFiles, removedObjects } from './plan/plan.ts';
import { applyChanges } from './plan/tree-changes.ts';
import type { GeneratedResource, LinkerdResource } from './linkerd/resources.ts';
import type { FileChange, KindSummary, MigrationPhase, MigrationPlan, MigrationSummary } from './plan/types.ts';
import { readAccessModel } from './osm/access-model.ts';
import { isMeshed, meshedNamespaces } from './osm/meshed.ts';
import { namespaceCallGraph } from './phases/call-graph.ts';
import { orderNamespaceGroups } from './phases/order.ts';
import { finding as phaseFinding } from './phases/findings.ts';
import { planPhases } from './phases/phased-plan.ts';
import { separateClusterPhases } from './phases/separate-cluster.ts';
import { rules } from './rules/registry.ts';
import type { RuleOutput } from './rules/rule.ts';
import { unhandledFindings } from './rules/unhandled.ts';
import { formatRef, type RepositoryFiles, type UnreadPaths } from './source.ts';
import { describeSource, type VerificationReport } from './verify/types.ts';
import { verify } from './verify/verify.ts';
import { verifyPhase } from './verify/phase-verify.ts';

export { applyChanges };

/** The whole pipeline: files in, MigrationPlan out. Pure: no I/O, no clock, same input → same output. */
export function migrate(files: RepositoryFiles, optionsInput: MigrationOptionsInput = {}, unreadInput: UnreadPaths = new Map()): MigrationPlan {
  const options = resolveOptions(optionsInput);
  // A separate cluster's copy is the tool's own output: never read back as a second deployment of the same objects.
  const exclude = options.strategy === 'separate-cluster' ? [...options.exclude, `${options.clusterPath}/`] : options.exclude;
  const excluded = exclude.map(globToRegExp);
  const isIncluded = ([path]: readonly [string, unknown]) => !excluded.some((glob) => glob.test(path));
  const included = new Map([...files].filter(isIncluded));
  const unread = new Map([...unreadInput].filter(isIncluded));
  const load = loadRepository(included);
  const { inventory, findings: inventoryFindings } = buildInventory(load);
  const views = translationViews(inventory);
  // What the repository deploys, one version of each object: mesh mode and verify read this view.
  const deployed = inventoryOf(views[0]?.objects ?? [], inventory);
  const { meshMode, findings: modeFindings } = decideMeshMode(deployed, options);
  const outputs = translateViews(views, inventory, deployed, options, meshMode);
  const consumed = outputs.flatMap((o) => o.consumed);
  const resources = outputs.flatMap((o) => o.resources);
  const ruleFindings = outputs.flatMap((o) => o.findings);
  // An overlay deploys the deployed view's objects with its patches applied: its translation is that view's, patched.
  const kustomize = buildKustomizations(inventory);
  const deployedOutputs = outputs.slice(0, rules.length);
  const overlays = planOverlays({
    inventory: deployed,
    builds: kustomize.builds,
    base: { resources: deployedOutputs.flatMap((o) => o.resources), edits: deployedOutputs.flatMap((o) => o.edits), findings: deployedOutputs.flatMap((o) => o.findings) },
    translate: (inv) => {
      const out = rules.map((rule) => rule.translate({ inventory: inv, options, meshMode }));
      return { resources: out.flatMap((o) => o.resources), edits: out.flatMap((o) => o.edits), findings: out.flatMap((o) => o.findings) };
    },
    removed: removedObjects(consumed),
  });
  const planned = planFiles({ load, inventory, resources, edits: outputs.flatMap((o) => o.edits), consumed, options, overlays });
  const filePlan = withoutUnreadTargets(planned.files, unread);
  const explained: Finding[] = [
    ...unreadFindings(unread), ...load.findings, ...inventoryFindings, ...versionFindings(inventory), ...notDeployedFindings(inventory), ...scriptNamespaceFindings(load, inventory), ...modeFindings, ...ruleFindings,
    ...unhandledFindings(inventory, consumed, fieldPatterns()), ...kustomize.findings, ...overlays.findings, ...planned.findings, ...filePlan.findings,
  ].map((f) => (inventory.deploymentUnits.unreached.has(f.file) && f.id !== 'inventory/not-deployed' ? { ...f, message: `${f.message} (Nothing in the repository deploys ${f.file}.)` } : f));
  // verify checks the deployed repository: the translation of the live versions only, without the other views' files.
  const deployedPlan = views.length > 1
    ? withoutUnreadTargets(planFiles({ load, inventory, resources: deployedOutputs.flatMap((o) => o.resources), edits: deployedOutputs.flatMap((o) => o.edits), consumed: deployedOutputs.flatMap((o) => o.consumed), options }).files, unread).files
    : filePlan.files;
  // verify and every phase parse their trees themselves; files unchanged since the repository's load are not parsed again.
  const reload = reloader(load);
  const verification = verify({
    load: reload,
    inventory: deployed, meshMode, migratedFiles: withoutOtherViews(applyChanges(included, deployedPlan), views), linkerdVersion: options.linkerdVersion, findings: explained,
  });
  const findings = sortFindings([...explained, ...uncoveredFindings(deployed, verification), ...(options.strategy === 'phased' ? overlaysAtLockDown(overlays) : [])]);
  const forklift = applyChanges(included, filePlan.files);
  const phases = options.strategy === 'phased'
    ? phasesOf({ load, reload, inventory, deployed, options, outputs, included, forklift, findings, meshMode, deployedView: (tree) => withoutOtherViews(tree, views) })
    : options.strategy === 'separate-cluster' ? separateClusterPhases(files, forklift, inventory, options, findings)
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
  readonly reload: (files: ReadonlyMap<string, string>) => ReturnType<typeof loadRepository>;
  readonly inventory: Inventory;
  /** What the repository deploys: the call graph and every phase's verify read it. */
  readonly deployed: Inventory;
  readonly options: MigrationOptions;
  readonly outputs: readonly RuleOutput[];
  readonly included: ReadonlyMap<string, string>;
  readonly forklift: ReadonlyMap<string, string>;
  readonly findings: readonly Finding[];
  readonly meshMode: MeshMode;
  /** A tree without the files of other versions (verify judges what is deployed). */
  deployedView(tree: ReadonlyMap<string, string>): Map<string, string>;
}

/**
 * The forklift result cut into phases along the call graph between meshed namespaces (callees first). Overlays'
 * Linkerd patches come with the lock-down: the moves translate what the bases deploy.
 */
function phasesOf(c: PhaseContext): MigrationPhase[] {
  const model = readAccessModel(c.deployed);
  const meshed = meshedNamespaces(c.deployed, model);
  for (const w of c.deployed.workloads) if (w.namespace && isMeshed(w, c.deployed, meshed)) meshed.add(w.namespace);
  const graph = namespaceCallGraph(c.deployed, model, meshed);
  return planPhases({
    load: c.load,
    inventory: c.inventory,
    options: c.options,
    resources: c.outputs.flatMap((o) => o.resources),
    edits: c.outputs.flatMap((o) => o.edits),
    consumed: c.outputs.flatMap((o) => o.consumed),
    original: c.included,
    forklift: c.forklift,
    graph,
    groups: orderNamespaceGroups(graph),
    findings: c.findings,
    verifyTree: (tree) => verifyPhase({ load: c.reload, before: c.deployed, meshMode: c.meshMode, tree: c.deployedView(tree), linkerdVersion: c.options.linkerdVersion, findings: c.findings }),
  });
}

/** Phased plans move what the bases deploy: each overlay with a Linkerd patch is said to wait for the lock-down. */
function overlaysAtLockDown(overlays: OverlayPlan): Finding[] {
  return overlays.patched.map(({ at, patchFile }) => phaseFinding('phases/overlay-at-lock-down', at, { message: { patch: at.file, patchFile } }));
}

/**
 * Runs the rules once per view (inventory/object-versions.ts). The first view is the deployed repository and gives
 * everything. Another view gives what its file's versions change: the resources they are the origin of, and every
 * resource of a deployed origin that comes out different (an HTTPRoute whose HTTPRouteGroup is this version), placed
 * beside the version; the edits of its documents, the findings in its file and what it consumes. So a version or an
 * unreached file is translated in place, with the same resource names, and never decides what another file gets.
 */
function translateViews(views: readonly TranslationView[], whole: Inventory, deployedInventory: Inventory, options: MigrationOptions, meshMode: MeshMode): RuleOutput[] {
  const outputs: RuleOutput[] = [];
  const findingKeys = new Set<string>();
  const keyOf = (f: Finding) => `${f.id}\u0000${f.file}\u0000${f.line}\u0000${f.message}`;
  const fresh = (f: Finding) => {
    const known = findingKeys.has(keyOf(f));
    findingKeys.add(keyOf(f));
    return !known;
  };
  const deployed = views[0]?.objects ?? [];
  const deployedObjects = new Set(deployed);
  const deployedByKey = new Map(deployed.map((o) => [objectKey(o), o]));
  const deployedResources = new Map<string, string>();
  // A deployed resource another version changes belongs beside the deployed version it depends on.
  const versionHome = new Map<string, K8sObject>();
  for (const [i, view] of views.entries()) {
    const inventory = i === 0 ? deployedInventory : inventoryOf(view.objects, whole);
    const own = [...view.own];
    const ownDocs = new Set(own.map((o) => o.doc));
    const ownFiles = new Set(own.map((o) => o.doc.file));
    const home = own[0];
    const deployedVersion = own.some((o) => !whole.deploymentUnits.unreached.has(o.doc.file));
    const replacedVersion = own.map((o) => deployedByKey.get(objectKey(o))).find((o) => o !== undefined);
    for (const rule of rules) {
      const out = rule.translate({ inventory, options, meshMode });
      if (i === 0 || home === undefined) {
        out.resources.forEach((r) => deployedResources.set(resourceKey(r.resource), JSON.stringify(r.resource)));
        outputs.push({ ...out, findings: out.findings.filter(fresh) });
        continue;
      }
      const changed = (r: GeneratedResource) => deployedObjects.has(r.origin) && deployedResources.get(resourceKey(r.resource)) !== JSON.stringify(r.resource);
      for (const r of out.resources) {
        if (replacedVersion && !versionHome.has(resourceKey(r.resource)) && changed(r)) versionHome.set(resourceKey(r.resource), replacedVersion);
      }
      outputs.push({
        resources: out.resources.flatMap((r) => (view.own.has(r.origin) ? [r] : changed(r) ? [{ resource: r.resource, origin: home }] : [])),
        edits: out.edits.filter((e) => ownDocs.has(e.doc)),
        // What an unreached file would change elsewhere is not said on deployed files: it decides nothing for them.
        findings: out.findings.filter((f) => (deployedVersion || ownFiles.has(f.file)) && fresh(f)).map((f) => conditional(f, ownFiles, home.doc.file)),
        consumed: out.consumed.filter((c) => view.own.has(c.object)),
      });
    }
  }
  const mainOutputs = views.length > 0 ? rules.length : 0;
  return outputs.map((out, i) => (i >= mainOutputs ? out : {
    ...out,
    resources: out.resources.map((r) => {
      const homeOf = versionHome.get(resourceKey(r.resource));
      return homeOf ? { resource: r.resource, origin: homeOf } : r;
    }),
  }));
}

/**
 * A finding of another view holds only with that view's versions applied. verify checks the deployed view, so the
 * finding explains none of its differences (no `affects`); outside the version's own file it says which version it
 * is about rather than being dropped.
 */
function conditional(f: Finding, ownFiles: ReadonlySet<string>, versionFile: string): Finding {
  const message = ownFiles.has(f.file) ? f.message : `${f.message} (When ${versionFile} is the version applied.)`;
  return {
    id: f.id, severity: f.severity, file: f.file, line: f.line, resource: f.resource, message, remediation: f.remediation,
    docsUrl: f.docsUrl, ...(f.suggestion ? { suggestion: f.suggestion } : {}),
  };
}

function resourceKey(r: LinkerdResource): string {
  return `${r.apiVersion}/${r.kind}/${r.metadata.namespace ?? ''}/${r.metadata.name}`;
}

/** verify checks the deployed view: files holding only other versions or unreached objects, and their translations, are left out. */
function withoutOtherViews(files: ReadonlyMap<string, string>, views: readonly TranslationView[]): Map<string, string> {
  const deployedFiles = new Set((views[0]?.objects ?? []).map((o) => o.doc.file));
  const others = new Set(views.slice(1).flatMap((v) => [...v.own].map((o) => o.doc.file)).filter((f) => !deployedFiles.has(f)));
  const translations = new Set([...others].map(generatedPath));
  return new Map([...files].filter(([path]) => !others.has(path) && !translations.has(path)));
}

/** Each consumed kind's known spec fields, from the rule that owns the kind. */
function fieldPatterns(): Map<string, readonly string[]> {
  return new Map(rules.flatMap((rule) => Object.entries(rule.fields ?? {})));
}


/** A compiled path glob. */
export interface PathGlob {
  test(path: string): boolean;
}

/**
 * `*` within a path segment, `**` across segments, a trailing `/` for a whole folder. Matched by RE2 (re2js), in time
 * linear in the path: a backtracking RegExp takes exponential time on globs like `**a**a**a…b` from a config file.
 */
export function globToRegExp(glob: string): PathGlob {
  const g = glob.endsWith('/') ? `${glob}**` : glob;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const ch = g[i] as string;
    if (ch === '*' && g[i + 1] === '*') {
      re += '(?s:.*)';
      i++;
      if (g[i + 1] === '/') i++;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
  }
  const compiled = RE2JS.compile(re);
  return { test: (path) => compiled.matches(path) };
}

const MAX_UNCOVERED_FINDINGS = 50;

/** A difference nobody explained is a translator bug, and the user must see it before merging. */
function uncoveredFindings(inventory: Inventory, report: VerificationReport): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const d of report.uncovered) {
    const r = d.request;
    const key = `${d.unit ?? ''}/${r.namespace}/${r.workload}/${r.port}/${describeSource(r.source)}`;
    if (seen.has(key) || findings.length >= MAX_UNCOVERED_FINDINGS) continue;
    seen.add(key);
    const what = r.http ? `${r.http.method} ${r.http.path}` : 'a TCP connection';
    const workload = inventory.workloads.find((w) => w.namespace === r.namespace && w.name === r.workload);
    const at = workload ? workload.object.locate(['metadata', 'name']) : { file: '', line: 0 };
    findings.push(finding('verify/uncovered-difference', at, {
      resource: `${r.namespace}/${r.workload}`,
      message: { unitClause: d.unit !== undefined ? `In what ${d.unit} deploys (its patches applied): ` : '', describeSource: describeSource(r.source), workload: r.workload, port: r.port, what, allowed: d.osm.allowed, reason: d.osm.reason, allowed2: d.linkerd.allowed, reason2: d.linkerd.reason },
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
