import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../test/support/repo.ts';
import { readAccessModel } from '../osm/access-model.ts';
import { namespaceCallGraph } from './call-graph.ts';

function deployment(name: string, namespace: string, env: Record<string, string> = {}): string {
  const vars = Object.entries(env).map(([k, v]) => `{name: ${k}, value: "${v}"}`).join(', ');
  return `
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ${name}, namespace: ${namespace}}
    spec:
      selector: {matchLabels: {app: ${name}}}
      template:
        metadata: {labels: {app: ${name}}}
        spec:
          serviceAccountName: ${name}
          containers:
            - name: ${name}
              image: example/${name}
              env: [${vars}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: ${name}, namespace: ${namespace}}
    spec: {selector: {app: ${name}}, ports: [{port: 80}]}
  `;
}

const target = (ns: string, dest: string, source: string, sourceNs: string) => `
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: TCPRoute
  metadata: {name: any, namespace: ${ns}}
  spec: {matches: {ports: [80]}}
  ---
  apiVersion: access.smi-spec.io/v1alpha3
  kind: TrafficTarget
  metadata: {name: ${source}-to-${dest}, namespace: ${ns}}
  spec:
    destination: {kind: ServiceAccount, name: ${dest}, namespace: ${ns}}
    rules: [{kind: TCPRoute, name: any}]
    sources: [{kind: ServiceAccount, name: ${source}, namespace: ${sourceNs}}]
`;

function edges(files: Record<string, string>, meshed: string[]) {
  const { inventory } = inventoryOf(files);
  return namespaceCallGraph(inventory, readAccessModel(inventory), new Set(meshed)).edges.map((e) => `${e.caller} → ${e.callee}: ${e.evidence}`);
}

describe('namespaceCallGraph', () => {
  it('reads calls from TrafficTarget sources to their destination namespace', () => {
    expect(edges({ 'a.yaml': target('api', 'api', 'web', 'web') }, ['api', 'web'])).toEqual(['web → api: TrafficTarget api/web-to-api']);
  });

  it('reads Service addresses written in a workload (short, .svc and .svc.cluster.local forms)', () => {
    const files = {
      'web.yaml': deployment('web', 'web', { API: 'http://api.api:80/v1', DB: 'db.data.svc.cluster.local:5432' }),
      'api.yaml': deployment('api', 'api'),
      'db.yaml': deployment('db', 'data'),
    };
    expect(edges(files, ['web', 'api', 'data'])).toEqual([
      'web → api: a Service address in Deployment web/web',
      'web → data: a Service address in Deployment web/web',
    ]);
  });

  it('leaves out calls inside a namespace, to namespaces OSM did not mesh, and names that are not Services', () => {
    const files = {
      'web.yaml': deployment('web', 'web', { SELF: 'http://web.web', OUT: 'http://api.api', HOST: 'www.example.com' }),
      'api.yaml': deployment('api', 'api'),
    };
    expect(edges(files, ['web'])).toEqual([]);
  });
});
