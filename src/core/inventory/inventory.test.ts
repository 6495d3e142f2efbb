import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../test/support/repo.ts';

const DEPLOYMENT = `
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: api}
  spec:
    selector: {matchLabels: {app: api}}
    template:
      metadata: {labels: {app: api, tier: back}}
      spec:
        serviceAccount: legacy-sa
        containers:
          - name: api
            ports: [{name: http, containerPort: 8080}, {containerPort: 9090}]
            readinessProbe: {httpGet: {path: /ready?full=1, port: http}}
            livenessProbe: {tcpSocket: {port: 9090}}
`;

describe('buildInventory', () => {
  it('reads workloads: selector labels, the deprecated serviceAccount alias, ports and probes', () => {
    const { inventory } = inventoryOf({ 'app/deploy.yaml': DEPLOYMENT });
    const [w] = inventory.workloads;
    expect(w).toMatchObject({
      name: 'api', selectorLabels: { app: 'api' }, podLabels: { app: 'api', tier: 'back' }, serviceAccount: 'legacy-sa',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }],
      probes: [{ kind: 'liveness', type: 'tcp', port: 9090 }, { kind: 'readiness', type: 'http', port: 8080, path: '/ready' }],
    });
  });

  it('defaults the ServiceAccount to "default"', () => {
    const { inventory } = inventoryOf({ 'p.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec: {containers: []}\n' });
    expect(inventory.workloads[0]?.serviceAccount).toBe('default');
  });

  it('takes the namespace from a kustomization that lists the file, directly or through a folder', () => {
    const { inventory, findings } = inventoryOf({
      'kustomization.yaml': 'resources: [app]\nnamespace: outer\n',
      'app/kustomization.yaml': 'resources: [deploy.yaml]\nnamespace: inner\n',
      'app/deploy.yaml': DEPLOYMENT,
    });
    // kustomize's outer namespace transformer wins over the inner one.
    expect(inventory.workloads[0]?.namespace).toBe('outer');
    expect(inventory.workloads[0]?.object.namespaceSource).toBe('kustomization');
    expect(findings).toEqual([]);
  });

  it('lets a kustomization namespace override metadata.namespace, as kustomize does, and says so', () => {
    const named = DEPLOYMENT.replace('metadata: {name: api}', 'metadata: {name: api, namespace: written}');
    const { inventory, findings } = inventoryOf({
      'kustomization.yaml': 'resources: [deploy.yaml, ns.yaml]\nnamespace: deployed\n',
      'deploy.yaml': named,
      'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: deployed\n',
    });
    expect(named).toContain('namespace: written');
    expect(inventory.workloads[0]?.namespace).toBe('deployed');
    expect(inventory.workloads[0]?.object.namespaceSource).toBe('kustomization');
    expect(inventory.namespaces.map((n) => n.name)).toEqual(['deployed']);
    expect(findings.map((f) => [f.id, f.line])).toEqual([['load/namespace-overridden', 3]]);
  });

  it('never assumes "default": an unknown namespace is a finding', () => {
    const { inventory, findings } = inventoryOf({ 'deploy.yaml': DEPLOYMENT });
    expect(inventory.workloads[0]?.namespace).toBeUndefined();
    expect(findings.map((f) => [f.id, f.line])).toEqual([['load/namespace-unknown', 3]]);
  });

  it('reports a file placed in two namespaces by two overlays', () => {
    const { inventory, findings } = inventoryOf({
      'overlays/a/kustomization.yaml': 'namespace: a\nresources: [../../base]\n',
      'overlays/b/kustomization.yaml': 'namespace: b\nresources: [../../base]\n',
      'base/kustomization.yaml': 'resources: [deploy.yaml]\n',
      'base/deploy.yaml': DEPLOYMENT,
    });
    expect(inventory.workloads[0]?.object.candidateNamespaces).toEqual(['a', 'b']);
    expect(findings.map((f) => f.id)).toEqual(['load/namespace-ambiguous']);
  });

  it('recognises OSM objects by group, and SMI spec examples without apiVersion', () => {
    const { inventory } = inventoryOf({
      'a.yaml': 'kind: TrafficTarget\nmetadata: {name: t, namespace: n}\n---\napiVersion: policy.openservicemesh.io/v1alpha1\nkind: Egress\nmetadata: {name: e, namespace: n}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\n',
    });
    expect(inventory.osmObjects.map((o) => o.ref.kind)).toEqual(['TrafficTarget', 'Egress']);
  });

  it('matches Services to workloads and resolves OSM port protocols', () => {
    const { inventory } = inventoryOf({
      'd.yaml': DEPLOYMENT.replace('{name: api}', '{name: api, namespace: n}'),
      's.yaml': `
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: n}
        spec:
          selector: {app: api}
          ports:
            - {name: web, port: 80, targetPort: http}
            - {name: tcp-metrics, port: 9090}
            - {name: grpc-x, port: 81, targetPort: 8080, appProtocol: tcp}
      `,
    });
    const [w] = inventory.workloads;
    const [s] = inventory.servicesSelecting(w!);
    // §6.5: appProtocol first, then the port-name prefix, then http.
    expect(s?.ports.map((p) => [p.port, p.targetPort, p.osmProtocol])).toEqual([[80, 'http', 'http'], [9090, 9090, 'tcp'], [81, 8080, 'tcp']]);
  });
});
