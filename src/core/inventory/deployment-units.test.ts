import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { deployment, docs, httpRouteGroup, service, serviceAccount, trafficTarget } from '../../../test/support/manifests.ts';
import { inventoryOf, repo } from '../../../test/support/repo.ts';
import { migrate } from '../migrate.ts';
import type { MigrationPlan } from '../plan/types.ts';

/** Issue 7 item 4: entry points, what each deploys, and the namespace a GitOps entry point gives. */

const SPLIT = (weights: [number, number]) => `
  apiVersion: split.smi-spec.io/v1alpha2
  kind: TrafficSplit
  metadata:
    name: bookstore-split
    namespace: bookstore
  spec:
    service: bookstore
    backends:
      - service: bookstore-v1
        weight: ${weights[0]}
      - service: bookstore-v2
        weight: ${weights[1]}
`;

const SERVICES = ['bookstore', 'bookstore-v1', 'bookstore-v2'].map((name) => `
  apiVersion: v1
  kind: Service
  metadata: {name: ${name}, namespace: bookstore}
  spec:
    selector: {app: bookstore${name === 'bookstore' ? '' : `, version: ${name.slice(-2)}`}}
    ports: [{name: http, port: 14001, appProtocol: http}]
`).join('\n---\n');

function generated(plan: MigrationPlan, path: string): Record<string, unknown>[] {
  const file = plan.files.find((f) => f.path === path);
  if (!file || file.action === 'delete') return [];
  return parseAllDocuments(file.content).map((d) => d.toJS() as Record<string, unknown>);
}

function weightsOf(plan: MigrationPlan, path: string): unknown {
  const route = generated(plan, path).find((r) => r['kind'] === 'HTTPRoute');
  const rules = (route?.['spec'] as { rules?: { backendRefs?: { name: string; weight: number }[] }[] } | undefined)?.rules ?? [];
  return rules.flatMap((r) => r.backendRefs ?? []).map((b) => `${b.name}=${b.weight}`);
}

/** The invariant the planner enforces: a deleted file has its translation written beside it. */
function deletedWithoutReplacement(plan: MigrationPlan): string[] {
  const written = new Set(plan.files.filter((f) => f.action !== 'delete').map((f) => f.path));
  return plan.files.filter((f) => f.action === 'delete' && !written.has(f.path.replace(/\.ya?ml$/, '.linkerd.yaml'))).map((f) => f.path);
}

describe('deployment units', () => {
  it('reads Flux and Argo CD paths with their namespace, kustomization roots, charts, and what nothing reaches', () => {
    const { inventory } = inventoryOf({
      'clusters/prod/apps.yaml': `
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: apps, namespace: flux-system}
        spec:
          path: ./apps/prod
          targetNamespace: shop
          sourceRef: {kind: GitRepository, name: flux-system}
      `,
      'argo/app.yaml': `
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: frontend}
        spec:
          source: {path: web, repoURL: https://example.com/repo.git}
          destination: {namespace: web-ns, server: https://kubernetes.default.svc}
      `,
      'apps/prod/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: replicas.yaml\n',
      'apps/base/kustomization.yaml': 'resources: [deploy.yaml]\n',
      'apps/base/deploy.yaml': serviceAccount({ name: 'api' }),
      'apps/prod/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 3}\n',
      'web/sa.yaml': serviceAccount({ name: 'web' }),
      'web/nested/sa.yaml': serviceAccount({ name: 'nested' }),
      'tools/kustomization.yaml': 'resources: [job.yaml]\n',
      'tools/job.yaml': serviceAccount({ name: 'job', namespace: 'tools' }),
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      'chart/values.yaml': 'replicas: 1\n',
      'Archive/old.yaml': serviceAccount({ name: 'old' }),
    });
    const units = inventory.deploymentUnits;
    const flux = units.units.find((u) => u.kind === 'flux-kustomization');
    expect(flux).toMatchObject({
      name: 'Flux Kustomization apps (path ./apps/prod)', files: ['apps/base/deploy.yaml'], patchFiles: ['apps/prod/replicas.yaml'],
      namespace: { namespace: 'shop', source: 'flux-target-namespace', at: { file: 'clusters/prod/apps.yaml', line: 6 } },
    });
    // The Flux path's kustomization is not a unit a second time; Argo CD reads only the directory, not below it.
    expect(units.units.filter((u) => u.kustomization?.file === 'apps/prod/kustomization.yaml')).toHaveLength(1);
    expect(units.units.find((u) => u.kind === 'argocd-application')).toMatchObject({ files: ['web/sa.yaml'], namespace: { namespace: 'web-ns', source: 'argocd-destination' } });
    expect(units.units.find((u) => u.kind === 'kustomization')).toMatchObject({ name: 'kustomization tools', files: ['tools/job.yaml'] });
    expect(units.units.find((u) => u.kind === 'helm-chart')?.files).toEqual(['chart/values.yaml']);
    // With GitOps entry points, what none of them reaches is not deployed: neither the archive nor web/nested.
    expect([...units.unreached].sort()).toEqual(['Archive/old.yaml', 'argo/app.yaml', 'clusters/prod/apps.yaml', 'web/nested/sa.yaml']);
    const ns = (name: string) => inventory.objects.find((o) => o.ref.name === name)?.ref.namespace;
    expect([ns('api'), ns('web'), ns('job'), ns('nested'), ns('old')]).toEqual(['shop', 'web-ns', 'tools', undefined, undefined]);
  });

  it('without GitOps entry points, every manifest no kustomization reaches is a loose manifest of its own', () => {
    const { inventory } = inventoryOf({
      'k/kustomization.yaml': 'resources: [a.yaml]\n',
      'k/a.yaml': serviceAccount({ name: 'a' }),
      'manifests/b.yaml': serviceAccount({ name: 'b' }),
    });
    expect(inventory.deploymentUnits.units.map((u) => `${u.kind}:${u.files.join(',')}`)).toEqual(['kustomization:k/a.yaml', 'loose-manifest:manifests/b.yaml']);
    expect(inventory.deploymentUnits.unreached.size).toBe(0);
  });

  it('an Argo CD destination.namespace fills in a missing namespace only; a Flux targetNamespace overrides', () => {
    const { inventory, findings } = inventoryOf({
      'app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  source: {path: m}\n  destination: {namespace: dest}\n',
      'm/a.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b, namespace: own}\n',
    });
    expect(inventory.services.map((s) => `${s.name}@${s.namespace}`)).toEqual(['a@dest', 'b@own']);
    expect(findings.find((f) => f.id === 'inventory/namespace-from-deployment-unit')).toMatchObject({
      file: 'm/a.yaml', resource: 'Service/a', message: expect.stringContaining('destination.namespace dest (app.yaml:6)'),
    });
  });
});

describe('one object in several files (issue 7 item 1)', () => {
  it('translates canary stages, three files defining one TrafficSplit, each in place with the same names', () => {
    // A canary applied in turn with `kubectl apply -f stage-N.yaml`: one Kubernetes object, three versions.
    const plan = migrate(repo({
      'canary/services.yaml': SERVICES,
      'canary/stage-1.yaml': SPLIT([100, 0]),
      'canary/stage-2.yaml': SPLIT([50, 50]),
      'canary/stage-3.yaml': SPLIT([0, 100]),
    }), { linkerdVersion: '2.14' });
    expect(weightsOf(plan, 'canary/stage-1.linkerd.yaml')).toEqual(['bookstore-v1=100', 'bookstore-v2=0']);
    expect(weightsOf(plan, 'canary/stage-2.linkerd.yaml')).toEqual(['bookstore-v1=50', 'bookstore-v2=50']);
    expect(weightsOf(plan, 'canary/stage-3.linkerd.yaml')).toEqual(['bookstore-v1=0', 'bookstore-v2=100']);
    const names = [1, 2, 3].map((i) => generated(plan, `canary/stage-${i}.linkerd.yaml`).map((r) => `${String(r['kind'])}/${String((r['metadata'] as { name: string }).name)}`));
    expect(names[0]).toEqual(names[1]);
    expect(names[1]).toEqual(names[2]);
    const several = plan.findings.filter((f) => f.id === 'inventory/object-in-several-files');
    expect(several.map((f) => f.file)).toEqual(['canary/stage-1.yaml', 'canary/stage-2.yaml', 'canary/stage-3.yaml']);
    expect(several[0]?.message).toContain('is defined in 3 files');
    expect(several[0]?.message).toContain('whichever is applied last is live');
    // Not "competing" objects: no duplicate-apex "OSM used only the first one".
    expect(plan.findings.map((f) => f.id)).not.toContain('traffic-split/duplicate-apex');
    expect(plan.files.filter((f) => f.action === 'delete').map((f) => f.path).sort()).toEqual(['canary/stage-1.yaml', 'canary/stage-2.yaml', 'canary/stage-3.yaml']);
    expect(deletedWithoutReplacement(plan)).toEqual([]);
  });

  it('keeps the version a Flux Kustomization deploys live, and translates an Archive/ copy in place without deciding it', () => {
    // The archive sorts first: the old translator kept it and deleted the deployed file.
    const plan = migrate(repo({
      'Archive/split.yaml': SPLIT([50, 50]),
      'apps/services.yaml': SERVICES,
      'apps/split.yaml': SPLIT([75, 25]),
      'apps/kustomization.yaml': 'resources: [services.yaml, split.yaml]\n',
      'clusters/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\nspec:\n  path: ./apps\n',
    }), { linkerdVersion: '2.14' });
    expect(weightsOf(plan, 'apps/split.linkerd.yaml')).toEqual(['bookstore-v1=75', 'bookstore-v2=25']);
    expect(weightsOf(plan, 'Archive/split.linkerd.yaml')).toEqual(['bookstore-v1=50', 'bookstore-v2=50']);
    expect(plan.files.find((f) => f.path === 'apps/kustomization.yaml')?.content).toContain('split.linkerd.yaml');
    expect(deletedWithoutReplacement(plan)).toEqual([]);
    expect(plan.findings.find((f) => f.id === 'inventory/not-deployed')).toMatchObject({
      file: 'Archive/split.yaml', message: expect.stringContaining('Flux Kustomization apps (path ./apps)'),
    });
    expect(plan.findings.find((f) => f.id === 'inventory/object-in-several-files' && f.file === 'apps/split.yaml')?.message).toContain('Archive/split.yaml');
    // Every finding on the archive says that nothing deploys it.
    const archived = plan.findings.filter((f) => f.file === 'Archive/split.yaml' && f.id !== 'inventory/not-deployed');
    expect(archived.length).toBeGreaterThan(0);
    for (const f of archived) expect(f.message).toContain('(Nothing in the repository deploys Archive/split.yaml.)');
  });

  it('an unreached split of the same apex under another name never decides what the deployed one gets', () => {
    const plan = migrate(repo({
      'Archive/old-split.yaml': SPLIT([50, 50]).replace('name: bookstore-split', 'name: bookstore-split-old'),
      'apps/services.yaml': SERVICES,
      'apps/split.yaml': SPLIT([75, 25]),
      'clusters/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\nspec:\n  path: ./apps\n',
    }), { linkerdVersion: '2.14' });
    expect(weightsOf(plan, 'apps/split.linkerd.yaml')).toEqual(['bookstore-v1=75', 'bookstore-v2=25']);
    // Translated in place as if it were applied: its own view lets it be the split of its apex.
    expect(weightsOf(plan, 'Archive/old-split.linkerd.yaml')).toEqual(['bookstore-v1=50', 'bookstore-v2=50']);
    expect(plan.findings.filter((f) => f.id === 'traffic-split/duplicate-apex')).toEqual([]);
    expect(deletedWithoutReplacement(plan)).toEqual([]);
  });

  it('a cluster-scoped object needs no namespace to be one object: both Namespace files are versions, both edited', () => {
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bookstore\n  annotations:\n    openservicemesh.io/sidecar-injection: enabled\n';
    const plan = migrate(repo({ 'base/ns.yaml': ns, 'old/ns.yaml': ns }));
    expect(plan.findings.filter((f) => f.id === 'inventory/object-in-several-files').map((f) => f.file)).toEqual(['base/ns.yaml', 'old/ns.yaml']);
    for (const path of ['base/ns.yaml', 'old/ns.yaml']) expect(plan.files.find((f) => f.path === path)?.content).toContain('linkerd.io/inject: enabled');
  });

  it('puts what a version changes in another object\'s translation beside the version', () => {
    const target = (group: string) => trafficTarget({ name: 't', namespace: 'shop', destination: 'api', sources: ['web'], rules: [{ name: group, matches: ['m'] }] });
    const group = (path: string) => httpRouteGroup({ name: 'routes', namespace: 'shop', matches: [{ name: 'm', pathRegex: path, methods: ['GET'] }] });
    const plan = migrate(repo({
      'shop/deploy.yaml': docs(deployment({ name: 'api', namespace: 'shop', ports: [8080] }), service({ name: 'api', namespace: 'shop', ports: [{ port: 80, targetPort: 8080, appProtocol: 'http' }] })),
      'shop/target.yaml': target('routes'),
      'shop/routes-old.yaml': group('/v1'),
      'shop/routes.yaml': group('/v2'),
    }));
    const paths = (file: string) => JSON.stringify(generated(plan, file).filter((r) => r['kind'] === 'HTTPRoute').map((r) => r['spec']));
    expect(paths('shop/routes.linkerd.yaml')).toContain('/v2');
    expect(paths('shop/routes-old.linkerd.yaml')).toContain('/v1');
    expect(paths('shop/routes-old.linkerd.yaml')).not.toContain('/v2');
    expect(paths('shop/target.linkerd.yaml')).not.toContain('/v1');
    expect(deletedWithoutReplacement(plan)).toEqual([]);
  });

  it('says what a version changes elsewhere on the object it affects, for that version, and lets it explain no verify difference', () => {
    const target = 'apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata: {name: t, namespace: shop}\nspec:\n  destination: {kind: ServiceAccount, name: api, namespace: shop}\n  sources: [{kind: ServiceAccount, name: web, namespace: shop}]\n  rules: [{kind: HTTPRouteGroup, name: routes, matches: [m]}]\n';
    const group = (match: string) => `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: routes, namespace: shop}\nspec:\n  matches: [{name: ${match}, pathRegex: /v1}]\n`;
    const plan = migrate(repo({ 'shop/target.yaml': target, 'shop/routes-old.yaml': group('renamed'), 'shop/routes.yaml': group('m') }));
    const missing = plan.findings.filter((f) => f.id === 'traffic-target/match-name-not-found');
    expect(missing).toEqual([expect.objectContaining({ file: 'shop/target.yaml', message: expect.stringContaining('(When shop/routes-old.yaml is the version applied.)') })]);
    expect(missing[0]?.affects).toBeUndefined();
  });
});
