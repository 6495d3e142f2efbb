import { describe, expect, it } from 'vitest';
import { deployment as workload, docs, service, tcpRoute, trafficTarget } from '../../../test/support/manifests.ts';
import { inventoryOf } from '../../../test/support/repo.ts';
import { readAccessModel } from '../osm/access-model.ts';
import { namespaceCallGraph } from './call-graph.ts';

function deployment(name: string, namespace: string, env: Record<string, string> = {}): string {
  const vars = Object.entries(env).map(([k, v]) => `{name: ${k}, value: "${v}"}`).join(', ');
  return docs(workload({ name, namespace, image: `example/${name}`, containerLines: [`env: [${vars}]`] }), service({ name, namespace, ports: [80] }));
}

const target = (ns: string, dest: string, source: string, sourceNs: string) => docs(
  tcpRoute({ name: 'any', namespace: ns, ports: [80] }),
  trafficTarget({ name: `${source}-to-${dest}`, namespace: ns, destination: dest, sources: [{ name: source, namespace: sourceNs }], rules: [{ kind: 'TCPRoute', name: 'any' }] }),
);

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
