import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { deployment, docs, httpRouteGroup, service, trafficTarget } from '../../../test/support/manifests.ts';
import { inventoryOf, repo } from '../../../test/support/repo.ts';
import { migrate } from '../migrate.ts';
import { readIngressBackends } from '../osm/ingress-backends.ts';
import type { MigrationPlan } from '../plan/types.ts';

/**
 * Issue 7 item 2: a namespace unknown is not a namespace. Documents without metadata.namespace, placed by no
 * kustomization, applied with `kubectl -n <ns>` in a loop from a script.
 */

const SCRIPT = `#!/bin/sh
for ns in team-a team-b; do
  kubectl -n "$ns" apply -f policies/
  kubectl -n "$ns" apply -f app.yaml
done
`;

const APP = docs(
  deployment({ name: 'api', namespace: 'team-a', ports: [8080] }),
  service({ name: 'api', namespace: 'team-a', ports: [{ port: 80, targetPort: 8080, appProtocol: 'http' }] }),
);

/** Namespace-less, as `kubectl -n` applies it; its destination names `destinationNamespace`. */
const target = (destinationNamespace: string) => docs(
  trafficTarget({
    name: 'web-to-api', destination: { name: 'api', namespace: destinationNamespace }, sources: [{ name: 'web', namespace: 'team-a' }],
    rules: [{ name: 'api-routes', matches: ['reads'] }],
  }),
  httpRouteGroup({ name: 'api-routes', matches: [{ name: 'reads', pathRegex: '/books', methods: ['GET'] }] }),
);
const TARGET = target('team-a');

function generated(plan: MigrationPlan, path: string): Record<string, unknown>[] {
  const file = plan.files.find((f) => f.path === path);
  if (!file || file.action === 'delete') return [];
  return parseAllDocuments(file.content).map((d) => d.toJS() as Record<string, unknown>);
}

const namespaceOf = (r: Record<string, unknown>) => (r['metadata'] as { namespace?: string }).namespace;

describe('unknown namespaces', () => {
  it('does not put a namespace-less TrafficTarget in its destination namespace, and says when OSM honoured it', () => {
    const plan = migrate(repo({ 'deploy.sh': SCRIPT, 'app.yaml': APP, 'policies/target.yaml': TARGET }));
    const resources = generated(plan, 'policies/target.linkerd.yaml');
    expect(resources.map((r) => r['kind'])).toEqual(expect.arrayContaining(['MeshTLSAuthentication', 'Server', 'HTTPRoute', 'AuthorizationPolicy']));
    // Namespace-less like its source: applied with `kubectl -n team-b`, it lands in team-b, as the source did.
    expect(resources.map(namespaceOf)).toEqual(resources.map(() => undefined));
    // Same-namespace references omit it; the client identity, in another namespace's terms, stays explicit.
    expect(JSON.stringify(resources)).toContain('"identityRefs":[{"kind":"ServiceAccount","name":"web","namespace":"team-a"}]');
    const condition = plan.findings.find((f) => f.id === 'traffic-target/namespace-condition');
    expect(condition).toMatchObject({ file: 'policies/target.yaml', severity: 'warning' });
    expect(condition?.message).toContain('OSM applied this TrafficTarget only in namespace team-a = destination.namespace');
    // verify cannot know where the namespace-less translation is applied: the difference it sees is explained by it.
    expect(plan.verification.differences.length).toBeGreaterThan(0);
    expect(plan.verification.uncovered).toEqual([]);
    expect(plan.verification.differences.every((d) => d.coveredBy.includes('traffic-target/namespace-condition'))).toBe(true);
    const unknown = plan.findings.find((f) => f.id === 'load/namespace-unknown' && f.resource === 'TrafficTarget/web-to-api');
    expect(unknown?.message).toContain('`kubectl -n` in a script is not evidence');
    const script = plan.findings.filter((f) => f.id === 'inventory/script-namespace-not-evidence').map((f) => `${f.resource} ${f.message.slice(0, 72)}`);
    expect(script).toEqual([
      'TrafficTarget/web-to-api deploy.sh:3 applies policies/target.yaml with `kubectl -n $ns`. A script',
      'HTTPRouteGroup/api-routes deploy.sh:3 applies policies/target.yaml with `kubectl -n $ns`. A script',
    ]);
  });

  it('never takes namespace-less IngressBackends of different files for one object', () => {
    const backend = (cidr: string) => `
      kind: IngressBackend
      apiVersion: policy.openservicemesh.io/v1alpha1
      metadata:
        name: web
      spec:
        backends: [{name: web, port: {number: 8080, protocol: http}}]
        sources: [{kind: IPRange, name: ${cidr}}]
    `;
    const app = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, ports: [{containerPort: 8080}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n';
    const files = { 'deploy.sh': SCRIPT, 'web.yaml': app, 'ingress/team-a.yaml': backend('10.0.0.0/8'), 'ingress/team-b.yaml': backend('192.168.0.0/16') };
    const { inventory } = inventoryOf(files);
    const read = readIngressBackends(inventory.osm('IngressBackend'), inventory);
    expect(read.notApplied).toEqual([]);
    expect(read.applied.map((p) => p.object.doc.file)).toEqual(['ingress/team-a.yaml', 'ingress/team-b.yaml']);
    const plan = migrate(repo(files));
    expect(plan.findings.map((f) => f.id)).not.toContain('ingress-backend/rejected-by-osm');
    expect(plan.findings.map((f) => f.id)).not.toContain('inventory/object-in-several-files');
    expect(JSON.stringify(generated(plan, 'ingress/team-a.linkerd.yaml'))).toContain('10.0.0.0/8');
    expect(JSON.stringify(generated(plan, 'ingress/team-b.linkerd.yaml'))).toContain('192.168.0.0/16');
    for (const path of ['ingress/team-a.linkerd.yaml', 'ingress/team-b.linkerd.yaml']) {
      expect(generated(plan, path).map(namespaceOf).every((n) => n === undefined)).toBe(true);
    }
  });

  it('never lets namespace-less TrafficSplits of different files compete for one apex', () => {
    const split = (name: string, weight: number) => `apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata: {name: ${name}}\nspec:\n  service: bookstore\n  backends: [{service: bookstore-v1, weight: ${weight}}, {service: bookstore-v2, weight: ${100 - weight}}]\n`;
    const services = ['bookstore', 'bookstore-v1', 'bookstore-v2'].map((n) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${n}}\nspec:\n  selector: {app: bookstore}\n  ports: [{port: 14001, appProtocol: http}]\n`).join('---\n');
    const plan = migrate(repo({ 'deploy.sh': SCRIPT, 'services.yaml': services, 'policies/a-split.yaml': split('split-a', 90), 'policies/b-split.yaml': split('split-b', 10) }), { linkerdVersion: '2.14' });
    expect(plan.findings.map((f) => f.id)).not.toContain('traffic-split/duplicate-apex');
    for (const [path, weight] of [['policies/a-split.linkerd.yaml', 'weight: 90'], ['policies/b-split.linkerd.yaml', 'weight: 10']] as const) {
      expect(plan.files.find((f) => f.path === path)?.content).toContain(weight);
    }
  });

  it('takes an Argo CD destination.namespace as evidence where a script is not', () => {
    const plan = migrate(repo({
      'argocd-application.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: hello}\nspec:\n  source: {path: .}\n  destination: {namespace: default}\n',
      'policies/target.yaml': target('default'),
      'app.yaml': APP.replaceAll('team-a', 'default'),
    }));
    // policies/ is outside the Application's path (a directory source reads no subdirectory): not deployed.
    expect(plan.findings.find((f) => f.id === 'inventory/not-deployed')?.file).toBe('policies/target.yaml');
    expect(plan.findings.find((f) => f.id === 'traffic-target/namespace-condition')?.message).toContain('only in namespace default');
  });
});
