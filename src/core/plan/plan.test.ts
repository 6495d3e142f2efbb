import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { corpusRepositories, describeWithShared } from '../../../test/support/shared.ts';
import { dedent } from '../../../test/support/repo.ts';
import type { Finding } from '../findings/finding.ts';
import { buildInventory } from '../inventory/inventory.ts';
import { loadRepository } from '../load/load.ts';
import { migrate } from '../migrate.ts';
import { resolveOptions } from '../options.ts';
import type { EditIntent } from '../edits/edit-intent.ts';
import { planFiles } from './plan.ts';

const TARGET = dedent(`
  # access for the api
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: HTTPRouteGroup
  metadata: {name: routes, namespace: shop}
  spec:
    matches:
      - {name: all, pathRegex: "/.*"}
  ---
  # kept: not OSM
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: keep-me, namespace: shop}   # trailing comment
  data: {a: "1"}
  ---
  apiVersion: access.smi-spec.io/v1alpha3
  kind: TrafficTarget
  metadata: {name: api, namespace: shop}
  spec:
    destination: {kind: ServiceAccount, name: api, namespace: shop}
    rules: [{kind: HTTPRouteGroup, name: routes, matches: [all]}]
    sources: [{kind: ServiceAccount, name: web, namespace: shop}]
`);

describe('planFiles', () => {
  it('forklift removes the OSM documents and leaves the others byte-identical', () => {
    const plan = migrate(new Map([['app/access.yaml', TARGET]]), { meshMode: 'smi' });
    const access = plan.files.find((f) => f.path === 'app/access.yaml');
    expect(access?.action).toBe('modify');
    expect(access?.content).toBe('# access for the api\n# kept: not OSM\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: keep-me, namespace: shop}   # trailing comment\ndata: {a: "1"}\n');
    expect(plan.files.find((f) => f.path === 'app/access.linkerd.yaml')?.action).toBe('create');
  });

  it('a phased plan keeps the OSM documents until the lock-down phase', () => {
    const plan = migrate(new Map([['app/access.yaml', TARGET]]), { meshMode: 'smi', strategy: 'phased' });
    const phases = plan.phases ?? [];
    expect(phases.map((p) => p.id)).toEqual(['00-bridge', '01-shop', '02-lock-down']);
    expect(phases[1]?.files.map((f) => [f.path, f.action])).toEqual([['app/access.linkerd.yaml', 'create']]);
    // No workload runs as the destination here, so no Server waits in audit: the lock-down only removes OSM's documents.
    expect(phases[2]?.files.map((f) => [f.path, f.action])).toEqual([['app/access.yaml', 'modify']]);
  });

  it('lists the new file in the kustomization, replacing the source when the source goes away', () => {
    const only = TARGET.split('---\n').filter((d) => !d.includes('ConfigMap')).join('---\n');
    const kustomization = '# app\nresources:\n  - deploy.yaml\n  - access.yaml # policies\n';
    const plan = migrate(new Map([['app/access.yaml', only], ['app/kustomization.yaml', kustomization]]), { meshMode: 'smi' });
    expect(plan.files.find((f) => f.path === 'app/access.yaml')?.action).toBe('delete');
    expect(plan.files.find((f) => f.path === 'app/kustomization.yaml')?.content).toBe('# app\nresources:\n  - deploy.yaml\n  - access.linkerd.yaml # policies\n');
    const kept = migrate(new Map([['app/access.yaml', TARGET], ['app/kustomization.yaml', kustomization]]), { meshMode: 'smi' });
    expect(kept.files.find((f) => f.path === 'app/kustomization.yaml')?.content).toBe('# app\nresources:\n  - deploy.yaml\n  - access.yaml # policies\n  - access.linkerd.yaml\n');
  });

  it('two rules annotating a Service that has no annotations create one mapping (set-keys are merged per mapping)', () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  selector: {app: db}\n  ports:\n  - name: tcp-server-first-db\n    port: 5432\n';
    const doc = loadRepository(new Map([['svc.yaml', service]])).documents[0];
    if (!doc) throw new Error('no document');
    const load = loadRepository(new Map([['svc.yaml', service]]));
    const loaded = load.documents[0] ?? doc;
    const { inventory } = buildInventory(load);
    const set = (key: string, value: string): EditIntent => ({ type: 'set-key', doc: loaded, path: ['metadata', 'annotations'], key, value });
    const findings: Finding[] = [];
    const result = planFiles({ load, inventory, resources: [], edits: [set('config.linkerd.io/opaque-ports', '5432'), set('balancer.linkerd.io/failure-accrual', 'consecutive'), set('config.linkerd.io/opaque-ports', '1')], consumed: [], options: resolveOptions({}) });
    findings.push(...result.findings);
    expect(result.files[0]?.content).toBe(service.replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    config.linkerd.io/opaque-ports: "5432"\n    balancer.linkerd.io/failure-accrual: consecutive\n'));
    expect(findings.map((f) => [f.id, f.message])).toEqual([['plan/edit-failed', expect.stringContaining('config.linkerd.io/opaque-ports is also set to "5432"')]]);
  });

  it('says when a rule overwrites a value someone wrote', () => {
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n    openservicemesh.io/sidecar-injection: enabled\n    config.linkerd.io/default-inbound-policy: all-unauthenticated\n';
    const plan = migrate(new Map([['ns.yaml', ns], ['app/access.yaml', TARGET]]), { meshMode: 'smi' });
    expect(plan.files.find((f) => f.path === 'ns.yaml')?.content).toContain('config.linkerd.io/default-inbound-policy: deny');
    expect(plan.findings.filter((f) => f.id === 'plan/value-replaced').map((f) => f.message)).toEqual([expect.stringContaining('was "all-unauthenticated" in ns.yaml and becomes "deny"')]);
  });

  it('a removed file with nothing generated beside it leaves its kustomization lists, emptied lists become []', () => {
    const split = 'apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata: {name: s, namespace: shop}\nspec:\n  service: web\n  backends: [{service: web-v1, weight: 100}]\n';
    const kustomization = 'namespace: shop\nresources:\n  - access.yaml\n  - mesh-config.yaml\n';
    const meshConfig = 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec:\n  traffic: {enablePermissiveTrafficPolicyMode: true}\n';
    const plan = migrate(new Map([['app/access.yaml', split], ['app/mesh-config.yaml', meshConfig], ['app/kustomization.yaml', kustomization]]));
    // Neither file gets a Linkerd file beside it (the split's Services are not in the repository; MeshConfig edits
    // namespaces, and there are none): both go, and so do their entries.
    expect(plan.files.map((f) => [f.path, f.action])).toEqual([['app/access.yaml', 'delete'], ['app/kustomization.yaml', 'modify'], ['app/mesh-config.yaml', 'delete']]);
    expect(plan.files.find((f) => f.path === 'app/kustomization.yaml')?.content).toBe('namespace: shop\nresources: []\n');
  });

  it('leaves a file with a YAML syntax error exactly as it is', () => {
    const broken = `${TARGET}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n`;
    const plan = migrate(new Map([['app/access.yaml', broken]]), { meshMode: 'smi' });
    expect(plan.files.map((f) => [f.path, f.action])).toEqual([['app/access.linkerd.yaml', 'create']]);
    expect(plan.findings.some((f) => f.id === 'load/yaml-syntax-error' && f.file === 'app/access.yaml')).toBe(true);
  });

  it('adds default-deny to a Namespace manifest without touching its comments or CRLF line ends', () => {
    const ns = '# team namespace\r\napiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: shop\r\n  labels:\r\n    openservicemesh.io/monitored-by: osm # mesh\r\n  annotations:\r\n    openservicemesh.io/sidecar-injection: enabled\r\n';
    const plan = migrate(new Map([['ns.yaml', ns], ['app/access.yaml', TARGET]]), { meshMode: 'smi' });
    const after = plan.files.find((f) => f.path === 'ns.yaml')?.content ?? '';
    expect(after).toContain('\r\n    config.linkerd.io/default-inbound-policy: deny\r\n');
    expect(after).toContain('# team namespace\r\n');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describeWithShared('lossless edits over the corpus', () => {
  // The phases before the lock-down remove no documents, so every line they change must be an OSM key rewritten or
  // removed, a kustomization entry, the `annotations: {}` left by removing the last key, or OSM's MeshConfig bridge.
  it('changes only OSM annotation/label lines in every corpus file', () => {
    let changedFiles = 0;
    for (const repository of corpusRepositories()) {
      const phases = migrate(repository.files, { strategy: 'phased' }).phases ?? [];
      // Generated files (x.linkerd.yaml) are the tool's own: a later phase may add a namespace's resources to one.
      const edited = phases.slice(0, -1).flatMap((p) => p.files).filter((f) => f.action === 'modify' && !f.path.includes('.linkerd.'));
      for (const change of edited) {
        changedFiles++;
        for (const part of diffLines(change.previous ?? '', change.content)) {
          if (!part.removed) continue;
          for (const line of part.value.split('\n').filter((l) => l.trim() !== '')) {
            expect(line, `${repository.name}/${change.path}`).toMatch(/openservicemesh\.io|osm-proxy-uuid|annotations:|labels:|appProtocol:|^\s*-\s+\S+\.ya?ml|enablePermissiveTrafficPolicyMode|enableEgress|traffic:/);
          }
        }
      }
    }
    expect(changedFiles).toBeGreaterThan(0);
  });
});
