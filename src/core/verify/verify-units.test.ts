import { describe, expect, it } from 'vitest';
import { deployment, docs, httpRouteGroup, ingressBackend, jsonPatch, kustomization, namespace, service, trafficTarget } from '../../../test/support/manifests.ts';
import { repo } from '../../../test/support/repo.ts';
import { buildInventory, inventoryOf } from '../inventory/inventory.ts';
import { translationViews } from '../inventory/object-versions.ts';
import { loadRepository } from '../load/load.ts';
import { applyChanges, migrate } from '../migrate.ts';
import type { MigrationPlan } from '../plan/types.ts';
import { renderVerificationJson, renderVerificationReport } from '../render/verify-report.ts';
import type { VerificationReport } from './types.ts';
import { verify } from './verify.ts';

/**
 * verify judges what each entry point deploys (issue 7, "a self-check that cannot be fooled"): an overlay is checked
 * on its own patched build, and the deployed version of an object defined in several files on its own translation.
 * Each case feeds verify the OLD, WRONG Linkerd output and expects it caught, then the migration's output and none.
 */

/**
 * The shape of plan/overlays.test.ts: a base admits 10.0.0.0/8 to `web`; prod narrows it to 10.1.0.0/16 by a
 * strategic-merge patch, stage to 10.2.0.0/16 by a JSON 6902 patch.
 */
const OVERLAY = repo({
  'base/kustomization.yaml': kustomization({ namespace: 'shop', lines: ['resources: [namespace.yaml, app.yaml, ingress.yaml]'] }),
  'base/namespace.yaml': namespace({ name: 'shop', injection: 'enabled' }),
  'base/app.yaml': docs(deployment({ name: 'web', ports: [8080] }), service({ name: 'web', ports: [{ port: 80, targetPort: 8080 }] })),
  'base/ingress.yaml': ingressBackend({ name: 'web', backends: [{ name: 'web', port: 8080 }], sources: [{ kind: 'IPRange', name: '10.0.0.0/8' }] }),
  'prod/kustomization.yaml': kustomization({ resources: ['../base'], patchesStrategicMerge: ['ingress-patch.yaml'] }),
  'prod/ingress-patch.yaml': ingressBackend({ name: 'web', namespace: 'shop', sources: [{ kind: 'IPRange', name: '10.1.0.0/16' }] }),
  'stage/kustomization.yaml': kustomization({ resources: ['../base'], patches: [{ path: 'narrow.yaml', target: { kind: 'IngressBackend', name: 'web' } }] }),
  'stage/narrow.yaml': jsonPatch([{ op: 'replace', path: '/spec/sources/0/name', value: '10.2.0.0/16' }]),
});

/** verify as the migration runs it (same mode, same findings), on a Linkerd output of the test's choosing. */
function judge(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, plan: MigrationPlan): VerificationReport {
  const { inventory: whole } = buildInventory(loadRepository(before));
  // What the repository deploys, one version of each object (the migration's first view): OSM's side.
  const inventory = inventoryOf(translationViews(whole)[0]?.objects ?? [], whole);
  const mode = plan.summary.meshMode === 'permissive' ? 'permissive' : 'smi';
  return verify({ inventory, meshMode: { mode, source: 'option' }, migratedFiles: after, linkerdVersion: plan.options.linkerdVersion, findings: plan.findings });
}

const wider = (r: VerificationReport) => r.accessChanges.filter((c) => c.wider > 0 && c.uncovered > 0).map((c) => `${c.unit ?? 'base'}: ${c.source} → ${c.namespace}/${c.workload}:${c.port}`);

describe('verify judges each overlay on its own patched build', () => {
  const plan = migrate(OVERLAY);
  const corrected = applyChanges(OVERLAY, plan.files);

  it('the migration\'s output: the overlay is judged, and nothing is left unexplained', () => {
    const report = judge(OVERLAY, corrected, plan);
    expect(report.units.map((u) => [u.root, u.uncovered])).toEqual([['kustomization prod', 0], ['kustomization stage', 0]]);
    for (const unit of report.units) expect(unit.requests).toBeGreaterThan(0);
    expect(report.uncovered).toEqual([]);
    expect(plan.verification.units).toEqual(report.units);
    expect(plan.findings.filter((f) => f.id === 'verify/uncovered-difference')).toEqual([]);
  });

  it('old output, no Linkerd patch: prod keeps the base\'s 10.0.0.0/8 and admits 10.2.0.20, which OSM refused', () => {
    const old = new Map(corrected);
    old.delete('prod/ingress-patch.linkerd.yaml');
    old.set('prod/kustomization.yaml', 'resources:\n  - ../base\n');
    const report = judge(OVERLAY, old, plan);
    expect(wider(report)).toEqual(['kustomization prod: unmeshed → shop/web:8080']);
    const example = report.uncovered.find((d) => d.unit === 'kustomization prod');
    expect(example?.request.source).toMatchObject({ kind: 'unmeshed', ip: '10.2.0.20' });
    expect(example?.osm.allowed).toBe(false);
    expect(example?.linkerd.allowed).toBe(true);
    // The base view alone says nothing is wrong: what prod deploys is where the mistake is.
    expect(report.uncovered.filter((d) => d.unit === undefined)).toEqual([]);
    expect(report.units).toEqual([
      { root: 'kustomization prod', requests: 28, differences: 8, uncovered: 8 },
      { root: 'kustomization stage', requests: 24, differences: 0, uncovered: 0 },
    ]);
    expect(renderVerificationReport(report)).toContain('WIDER [kustomization prod] unmeshed → shop/web:8080');
    expect(JSON.parse(renderVerificationJson(report))).toMatchObject({ units: report.units, accessChanges: [{ unit: 'kustomization prod', source: 'unmeshed' }] });
  });

  it('old output, a Linkerd patch that keeps the base\'s wider range: caught the same way', () => {
    const old = new Map(corrected);
    old.set('prod/ingress-patch.linkerd.yaml', (corrected.get('prod/ingress-patch.linkerd.yaml') ?? '').replace('10.1.0.0/16', '10.0.0.0/8'));
    expect(old.get('prod/ingress-patch.linkerd.yaml')).toContain('10.0.0.0/8');
    expect(wider(judge(OVERLAY, old, plan))).toEqual(['kustomization prod: unmeshed → shop/web:8080']);
  });

  it('old output of a JSON 6902 overlay, no Linkerd patch: a client inside the Linkerd range only (10.0.0.1) is asked about', () => {
    const old = new Map(corrected);
    old.delete('stage/narrow.linkerd.yaml');
    old.set('stage/kustomization.yaml', 'resources:\n  - ../base\n');
    const report = judge(OVERLAY, old, plan);
    expect(wider(report)).toEqual(['kustomization stage: unmeshed → shop/web:8080']);
    expect(report.uncovered.find((d) => d.unit === 'kustomization stage')?.request.source).toMatchObject({ kind: 'unmeshed', ip: '10.0.0.1' });
  });

  it('a root whose build equals the base view gets no pass of its own', () => {
    const plain = new Map(OVERLAY);
    for (const overlay of ['prod', 'stage']) plain.set(`${overlay}/kustomization.yaml`, 'resources:\n  - ../base\n');
    plain.delete('prod/ingress-patch.yaml');
    plain.delete('stage/narrow.yaml');
    expect(migrate(plain).verification.units).toEqual([]);
  });
});

/**
 * The shape of inventory/deployment-units.test.ts: a Flux Kustomization deploys apps/, and an old copy of the same
 * TrafficTarget sits in Archive/ (it sorts first). The deployed version lets `web` call `api`; the archived one let
 * `legacy` call it.
 */
const target = (source: string) => trafficTarget({ name: 'api', namespace: 'shop', destination: 'api', sources: [source], rules: [{ name: 'routes', matches: ['all'] }] });
const workload = (name: string) => deployment({ name, namespace: 'shop', container: 'app', ports: [8080] });
const VERSIONS = repo({
  'Archive/target.yaml': target('legacy'),
  'apps/namespace.yaml': namespace({ name: 'shop', injection: 'enabled' }),
  'apps/workloads.yaml': docs(workload('api'), workload('web'), workload('legacy')),
  'apps/service.yaml': service({ name: 'api', namespace: 'shop', ports: [{ port: 80, targetPort: 8080, appProtocol: 'http' }] }),
  'apps/routes.yaml': httpRouteGroup({ name: 'routes', namespace: 'shop', matches: [{ name: 'all', pathRegex: '.*', methods: ['*'] }] }),
  'apps/target.yaml': target('web'),
  'apps/kustomization.yaml': 'resources: [namespace.yaml, workloads.yaml, service.yaml, routes.yaml, target.yaml]\n',
  'clusters/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\nspec:\n  path: ./apps\n',
});

describe('verify judges the deployed version of an object defined in several files', () => {
  const plan = migrate(VERSIONS);
  const corrected = applyChanges(VERSIONS, plan.files);
  /** What the cluster gets from the Flux path: the archive and its translation are applied by nothing. */
  const deployed = (tree: ReadonlyMap<string, string>) => new Map([...tree].filter(([path]) => !path.startsWith('Archive/')));
  const changes = (r: VerificationReport) => r.accessChanges.filter((c) => c.uncovered > 0).map((c) => `${c.wider > 0 ? 'wider' : 'narrower'} ${c.source} → ${c.namespace}/${c.workload}:${c.port}`);

  it('the migration\'s output: each version translated in place, nothing unexplained', () => {
    expect(corrected.get('apps/target.linkerd.yaml')).toContain('name: web-shop');
    expect(corrected.get('Archive/target.linkerd.yaml')).toContain('name: legacy-shop');
    expect(plan.verification.uncovered).toEqual([]);
    expect(judge(VERSIONS, deployed(corrected), plan).uncovered).toEqual([]);
  });

  it('old output, the deployed version\'s translation replaced by the archive\'s: legacy gets in, web is shut out', () => {
    const old = new Map(corrected);
    old.set('apps/target.linkerd.yaml', corrected.get('Archive/target.linkerd.yaml') ?? '');
    expect(changes(judge(VERSIONS, deployed(old), plan))).toEqual(['wider legacy.shop → shop/api:8080', 'narrower web.shop → shop/api:8080']);
  });
});
