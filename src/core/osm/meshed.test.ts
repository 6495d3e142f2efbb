import { describe, expect, it } from 'vitest';
import { deployment, egress, ingressBackend, service, upstreamTrafficSetting } from '../../../test/support/manifests.ts';
import { inventoryOf, repo } from '../../../test/support/repo.ts';
import { migrate } from '../migrate.ts';
import { namespaceMonitoring } from './meshed.ts';

// osm-semantics §5: monitored-by "Puts the namespace in that mesh … Resources (SMI, policies, Services, pods) in
// unmonitored namespaces are ignored"; ignore: "Namespace excluded from injection even if monitored".
const files = (labels: string): Record<string, string> => ({
  'ns.yaml': `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: ${labels}
  annotations: {openservicemesh.io/sidecar-injection: enabled}
`,
  'd.yaml': deployment({ name: 'api', namespace: 'shop', container: 'app', ports: [8080] }),
  'svc.yaml': service({ name: 'api', namespace: 'shop', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
  'mc.yaml': `
apiVersion: config.openservicemesh.io/v1alpha2
kind: MeshConfig
metadata: {name: osm-mesh-config, namespace: osm-system}
spec:
  traffic: {enablePermissiveTrafficPolicyMode: false}
  featureFlags: {enableRetryPolicy: true, enableEgressPolicy: true}
`,
  'retry.yaml': `
apiVersion: policy.openservicemesh.io/v1alpha1
kind: Retry
metadata: {name: retry, namespace: shop}
spec:
  source: {kind: ServiceAccount, name: web, namespace: shop}
  destinations: [{kind: Service, name: api, namespace: shop}]
  retryPolicy: {retryOn: 5xx, numRetries: 3}
`,
  'uts.yaml': upstreamTrafficSetting({ name: 'limit', namespace: 'shop', host: 'api.shop.svc.cluster.local', spec: ['rateLimit: {local: {http: {requests: 10, unit: second}}}'] }),
  'ib.yaml': ingressBackend({ name: 'ingress', namespace: 'shop', backends: [{ name: 'api', port: 8080 }], sources: [{ kind: 'IPRange', name: '10.0.0.0/8' }] }),
  'egress.yaml': egress({ name: 'out', namespace: 'shop', sources: ['api'], hosts: ['httpbin.org'], ports: [{ number: 80, protocol: 'http' }] }),
});

function run(labels: string) {
  const plan = migrate(repo(files(labels)), { meshMode: 'smi' });
  const content = (path: string) => plan.files.find((f) => f.path === path)?.content ?? '';
  return { plan, ids: plan.findings.map((f) => f.id), content, kinds: plan.resources.map((r) => r.resource.kind) };
}

const NEVER_APPLIED = [
  'retry/namespace-ignored', 'upstream-traffic-setting/namespace-ignored', 'egress/namespace-not-monitored', 'injection/ignored-namespace',
];

describe('namespaceMonitoring', () => {
  it('tells ignored, monitored, unlabelled and unknown namespaces apart', () => {
    const { inventory } = inventoryOf({
      'a.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {openservicemesh.io/monitored-by: osm, openservicemesh.io/ignore: "true"}}\n',
      'b.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: b, labels: {openservicemesh.io/monitored-by: osm}}\n',
      'c.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n',
    });
    expect(['a', 'b', 'c', 'd', undefined].map((ns) => namespaceMonitoring(inventory, ns))).toEqual(['ignored', 'monitored', 'unlabelled', 'unknown', 'unknown']);
  });
});

describe('osm-semantics §5 "The namespace must be monitored (and not ignored) first"', () => {
  it('an ignored namespace: inject disabled, no default-inbound-policy, its Retry, UpstreamTrafficSetting, IngressBackend and Egress never applied', () => {
    const { ids, content, kinds, plan } = run('{openservicemesh.io/monitored-by: osm, openservicemesh.io/ignore: "true"}');
    expect(content('ns.yaml')).toContain('linkerd.io/inject: disabled');
    expect(content('ns.yaml')).not.toContain('linkerd.io/inject: enabled');
    expect(content('ns.yaml')).not.toContain('default-inbound-policy');
    expect(content('svc.yaml')).not.toContain('retry.linkerd.io');
    expect(kinds).not.toContain('HTTPLocalRateLimitPolicy');
    expect(kinds).not.toContain('EgressNetwork');
    expect(kinds).not.toContain('Server');
    for (const id of NEVER_APPLIED) expect(ids).toContain(id);
    expect(plan.findings.find((f) => f.id === 'ingress-backend/rejected-by-osm')?.message).toContain('openservicemesh.io/ignore');
    expect(ids).not.toContain('injection/namespace-not-monitored');
  });

  it('an ignored Namespace without a sidecar-injection annotation gets linkerd.io/inject: disabled in place of the ignore label', () => {
    const plan = migrate(repo({ 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: quiet\n  labels:\n    openservicemesh.io/ignore: "true"\n' }), {});
    const ns = plan.files.find((f) => f.path === 'ns.yaml')?.content ?? '';
    expect(ns).not.toContain('openservicemesh.io/ignore');
    expect(ns).toContain('linkerd.io/inject: disabled');
  });

  it('an unlabelled Namespace manifest: translated as if monitored, with one warning at its metadata', () => {
    const { ids, content, kinds, plan } = run('{}');
    expect(content('ns.yaml')).toContain('linkerd.io/inject: enabled');
    expect(content('ns.yaml')).toContain('config.linkerd.io/default-inbound-policy: deny');
    expect(content('svc.yaml')).toContain('retry.linkerd.io/http');
    expect(kinds).toContain('HTTPLocalRateLimitPolicy');
    expect(kinds).toContain('EgressNetwork');
    for (const id of NEVER_APPLIED) expect(ids).not.toContain(id);
    const warnings = plan.findings.filter((f) => f.id === 'injection/namespace-not-monitored');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: 'ns.yaml', line: 3, severity: 'warning' });
    expect(warnings[0]?.message).toContain('linkerd.io/inject: disabled');
  });

  it('a monitored namespace: translated, no warning about monitoring', () => {
    const { ids, content, kinds } = run('{openservicemesh.io/monitored-by: osm}');
    expect(content('ns.yaml')).toContain('linkerd.io/inject: enabled');
    expect(content('ns.yaml')).toContain('config.linkerd.io/default-inbound-policy: deny');
    expect(content('svc.yaml')).toContain('retry.linkerd.io/http');
    expect(kinds).toContain('HTTPLocalRateLimitPolicy');
    for (const id of [...NEVER_APPLIED, 'injection/namespace-not-monitored']) expect(ids).not.toContain(id);
  });

  it('an IngressBackend Service source in an ignored namespace is left out, the other sources kept', () => {
    const extra = {
      'nginx.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ingress-nginx, labels: {openservicemesh.io/ignore: "true"}}\n',
      'ib.yaml': ingressBackend({
        name: 'ingress', namespace: 'shop', backends: [{ name: 'api', port: 8080 }],
        sources: [{ kind: 'Service', name: 'ingress-nginx-controller', namespace: 'ingress-nginx' }, { kind: 'IPRange', name: '10.0.0.0/8' }],
      }),
    };
    const plan = migrate(repo({ ...files('{openservicemesh.io/monitored-by: osm}'), ...extra }), { meshMode: 'smi' });
    const ignored = plan.findings.filter((f) => f.id === 'ingress-backend/source-ignored');
    expect(ignored.map((f) => [f.file, f.line])).toEqual([['ib.yaml', 6]]);
    expect(ignored[0]?.message).toContain('openservicemesh.io/ignore');
    expect(plan.findings.map((f) => f.id)).not.toContain('ingress-backend/rejected-by-osm');
    expect(plan.findings.map((f) => f.id)).not.toContain('ingress-backend/source-service-not-found');
  });
});
