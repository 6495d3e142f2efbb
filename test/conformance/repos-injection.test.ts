import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { migrate } from '../../src/core/index.ts';
import { describeWithShared, readTree, SHARED } from '../support/shared.ts';

/**
 * The whole real repositories of ../shared/corpus/repos: where OSM's injection was set outside Git (a script runs
 * `osm namespace add`), the migration writes Linkerd's into the Namespace manifests it has and says so; where the pod
 * templates carry it, they carry Linkerd's. osm-semantics §5: `osm namespace add` "writes the label monitored-by=<mesh>
 * plus the annotation sidecar-injection: enabled"; linkerd-reference §7.1: "ns unset/`disabled`+pod unset → no".
 */
const REPOS = join(SHARED, 'corpus', 'repos');
const repository = (name: string) => readTree(join(REPOS, name));

/** `linkerd.io/inject` of each Namespace manifest and pod template in the migrated files, by `<kind>/<name>`. */
function injection(files: readonly { path: string; action: string; content: string }[], before: ReadonlyMap<string, string>): Map<string, unknown> {
  const after = new Map(before);
  for (const f of files) {
    if (f.action === 'delete') after.delete(f.path);
    else after.set(f.path, f.content);
  }
  const result = new Map<string, unknown>();
  for (const [path, text] of after) {
    if (!/\.ya?ml$/.test(path)) continue;
    for (const doc of parseAllDocuments(text)) {
      const o = doc.toJS() as { kind?: string; metadata?: { name?: string; annotations?: Record<string, unknown> }; spec?: { template?: { metadata?: { annotations?: Record<string, unknown> } } } } | null;
      if (!o?.kind) continue;
      const annotations = o.kind === 'Namespace' ? o.metadata?.annotations : o.spec?.template?.metadata?.annotations;
      if (o.kind === 'Namespace' || o.spec?.template) result.set(`${o.kind}/${o.metadata?.name ?? ''}`, annotations?.['linkerd.io/inject']);
    }
  }
  return result;
}

describeWithShared('whole repositories: injection set outside Git', () => {
  it('pratiksharma-dev_open-service-mesh-demo: the namespaces its script adds with osm namespace add get linkerd.io/inject in Git', () => {
    const files = repository('pratiksharma-dev_open-service-mesh-demo');
    expect(files.get('install-and-traffic-access.sh')).toContain('osm namespace add bookstore bookbuyer bookthief');
    const plan = migrate(files);
    const meshed = injection(plan.files, files);
    for (const ns of ['bookstore', 'bookbuyer', 'bookthief']) {
      expect(meshed.get(`Namespace/${ns}`), ns).toBe('enabled');
      const step = plan.findings.filter((f) => f.id === 'injection/namespace-inject-added' && f.resource === `Namespace/${ns}`);
      expect(step.map((f) => f.file)).toEqual([`manifests/${ns}.yaml`]);
      expect(step[0]?.message).toContain('OSM\'s injection was set outside Git (osm namespace add)');
      expect(step[0]?.message).toContain('linkerd.io/inject: enabled is added');
    }
    // Only lines are added, beside the injection the default policy of a namespace meshed in permissive mode.
    const bookstore = plan.files.find((f) => f.path === 'manifests/bookstore.yaml');
    const added = '  annotations:\n    linkerd.io/inject: enabled\n    config.linkerd.io/default-inbound-policy: all-authenticated\n';
    expect(bookstore?.content).toContain(added);
    expect(bookstore?.content.replace(added, '')).toBe(files.get('manifests/bookstore.yaml'));
  });

  it('c089_devops-workshop-deployment: the pod template carries the injection, so Linkerd\'s goes there and nothing is asked', () => {
    const files = repository('c089_devops-workshop-deployment');
    const plan = migrate(files);
    expect(injection(plan.files, files).get('Deployment/hello')).toBe('enabled');
    expect(plan.findings.filter((f) => f.id.startsWith('injection/namespace-inject'))).toEqual([]);
  });
});
