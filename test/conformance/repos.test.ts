import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { migrate } from '../../src/core/index.ts';
import { joinPath } from '../../src/core/inventory/kustomize.ts';
import { generatedPath } from '../../src/core/plan/placement.ts';
import { describeWithShared, readTree, SHARED } from '../support/shared.ts';

/**
 * The whole real repositories of ../shared/corpus/repos (issue 7 "Done when"): each translates with no file deleted
 * without its replacement written beside it, and every kustomization still lists only files that exist.
 */
const REPOS = join(SHARED, 'corpus', 'repos');

describeWithShared('whole repositories', () => {
  const repositories = readdirSync(REPOS).filter((name) => statSync(join(REPOS, name)).isDirectory()).sort();

  it('has the two repositories', () => {
    expect(repositories).toEqual(['c089_devops-workshop-deployment', 'pratiksharma-dev_open-service-mesh-demo']);
  });

  it.each(repositories)('%s: no file deleted without replacement, every kustomization entry still there', (name) => {
    const files = readTree(join(REPOS, name));
    const plan = migrate(files);
    const written = new Set(plan.files.filter((f) => f.action !== 'delete').map((f) => f.path));
    const deleted = plan.files.filter((f) => f.action === 'delete').map((f) => f.path);
    expect(deleted.filter((path) => !written.has(generatedPath(path)))).toEqual([]);
    const after = new Map(files);
    for (const f of plan.files) {
      if (f.action === 'delete') after.delete(f.path);
      else after.set(f.path, f.content);
    }
    for (const [path, text] of after) {
      if (!/(^|\/)kustomization\.ya?ml$/.test(path)) continue;
      const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      const entries = (parse(text) as { resources?: string[] } | null)?.resources ?? [];
      const missing = entries.filter((e) => !/^[a-z]+:\/\//i.test(e) && !after.has(joinPath(dir, e)) && ![...after.keys()].some((p) => p.startsWith(`${joinPath(dir, e)}/`)));
      expect(missing, path).toEqual([]);
    }
    expect(plan.findings.filter((f) => f.id === 'verify/uncovered-difference')).toEqual([]);
  });

  it('c089: the Argo CD Application\'s destination.namespace places the namespace-less manifests it deploys', () => {
    const plan = migrate(readTree(join(REPOS, 'c089_devops-workshop-deployment')));
    expect(plan.files.map((f) => `${f.action} ${f.path}`)).toEqual(['modify deployment.yaml', 'create ingressbackend.linkerd.yaml', 'delete ingressbackend.yaml']);
    const placed = plan.findings.filter((f) => f.id === 'inventory/namespace-from-deployment-unit').map((f) => f.resource);
    expect(placed).toEqual(expect.arrayContaining(['IngressBackend/hello', 'Deployment/hello', 'Service/hello']));
    expect(plan.findings.map((f) => f.id)).not.toContain('load/namespace-unknown');
    // Placed by Argo CD, the generated resources leave the namespace to it, as their source does.
    expect(plan.files.find((f) => f.path === 'ingressbackend.linkerd.yaml')?.content).not.toContain('namespace:');
  });

  it('pratiksharma: manifests applied by a script translate in place, nothing deleted', () => {
    const plan = migrate(readTree(join(REPOS, 'pratiksharma-dev_open-service-mesh-demo')));
    expect(plan.files.filter((f) => f.action === 'delete')).toEqual([]);
    expect(plan.files.filter((f) => f.action === 'create').map((f) => f.path)).toEqual([
      'ingress/access-to-bookbuyer.linkerd.yaml', 'ingress/access-to-bookstore.linkerd.yaml', 'ingress/access-to-bookthief.linkerd.yaml',
    ]);
    // Without GitOps entry points every file is a loose manifest: none is "not deployed".
    expect(plan.findings.map((f) => f.id)).not.toContain('inventory/not-deployed');
  });
});
