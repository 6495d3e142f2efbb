import { describe, expect, it } from 'vitest';
import { docs, service } from '../../../../test/support/manifests.ts';
import { itMigratesEachFixture } from '../../../../test/support/fixtures.ts';
import { inventoryOf } from '../../../../test/support/repo.ts';
import type { MeshMode } from '../../inventory/mesh-mode.ts';
import { resolveOptions, type MigrationOptionsInput } from '../../options.ts';
import { translateTrafficSplits } from './traffic-split.ts';

const SMI: MeshMode = { mode: 'smi', source: 'option' };

// Modelled on openservicemesh_osm-docs/manifests__split__traffic-split-50-50.yaml and the bookstore demo.
const SERVICES = docs(
  service({ name: 'bookstore', namespace: 'bookstore', ports: [{ name: 'http', port: 14001 }] }),
  service({ name: 'bookstore-v1', namespace: 'bookstore', selector: { app: 'bookstore', version: 'v1' }, ports: [{ name: 'http', port: 14001 }] }),
  service({ name: 'bookstore-v2', namespace: 'bookstore', selector: { app: 'bookstore', version: 'v2' }, ports: [{ name: 'http', port: 8080 }] }),
);

function split(apiVersion: string, backends: string, extra = '') {
  return `
apiVersion: ${apiVersion}
kind: TrafficSplit
metadata: {name: bookstore-split, namespace: bookstore}
spec:
  service: bookstore.bookstore.svc.cluster.local
  backends:
${backends}
${extra}`;
}

function run(files: Record<string, string>, options: MigrationOptionsInput = {}) {
  const { inventory } = inventoryOf(files);
  const out = translateTrafficSplits({ inventory, options: resolveOptions(options), meshMode: SMI });
  return { out, resources: out.resources.map((r) => r.resource), ids: out.findings.map((f) => f.id).sort() };
}

describe('translateTrafficSplits', () => {
  it('becomes a weighted HTTPRoute on the apex Service with a catch-all rule; a backend without the apex port is left out', () => {
    const { resources, ids } = run({
      's.yaml': SERVICES,
      't.yaml': split('split.smi-spec.io/v1alpha2', '    - {service: bookstore-v1, weight: 90}\n    - {service: bookstore-v2, weight: 10}'),
    });
    expect(resources).toEqual([{
      apiVersion: 'policy.linkerd.io/v1beta3',
      kind: 'HTTPRoute',
      metadata: { name: 'bookstore-split', namespace: 'bookstore', labels: { 'app.kubernetes.io/managed-by': 'osm2linkerd' } },
      spec: {
        parentRefs: [{ group: 'core', kind: 'Service', name: 'bookstore', port: 14001 }],
        // osm-semantics §2.4: "Each backend must expose the root's service port, otherwise it is ignored".
        rules: [{ backendRefs: [{ name: 'bookstore-v1', port: 14001, weight: 90 }] }],
      },
    }]);
    expect(ids).toEqual(['traffic-split/backend-port-mismatch', 'traffic-split/translated']);
  });

  it('scales v1alpha1 quantities to integers, keeping the ratio', () => {
    const { resources, ids } = run({
      's.yaml': SERVICES.replace('port: 8080', 'port: 14001'),
      't.yaml': split('split.smi-spec.io/v1alpha1', '    - {service: bookstore-v1, weight: 500m}\n    - {service: bookstore-v2, weight: 1500m}'),
    });
    const rules = resources[0]?.spec['rules'] as { backendRefs: { weight: number }[] }[];
    expect(rules[0]?.backendRefs.map((b) => b.weight)).toEqual([1, 3]);
    expect(ids).toContain('traffic-split/never-served-version');
  });

  it('keeps a TrafficSplit for linkerd-smi when asked, and on 2.12', () => {
    const files = { 's.yaml': SERVICES, 't.yaml': split('split.smi-spec.io/v1alpha2', '    - {service: bookstore-v1, weight: 1}') };
    const kept = run(files, { splitStyle: 'trafficsplit' });
    expect(kept.resources[0]).toMatchObject({ apiVersion: 'split.smi-spec.io/v1alpha2', kind: 'TrafficSplit', spec: { service: 'bookstore' } });
    expect(kept.ids).toEqual(['traffic-split/linkerd-smi-extension']);
    expect(run(files, { linkerdVersion: '2.12' }).ids).toEqual(['traffic-split/linkerd-smi-extension', 'traffic-split/unsupported-target']);
  });

  it('reports what it cannot translate: missing apex Service, zero weights, a second split for the same apex', () => {
    expect(run({ 't.yaml': split('split.smi-spec.io/v1alpha2', '    - {service: a, weight: 1}') }).ids).toEqual(['traffic-split/apex-service-not-found']);
    expect(run({ 's.yaml': SERVICES, 't.yaml': split('split.smi-spec.io/v1alpha2', '    - {service: bookstore-v1, weight: 0}') }).ids).toEqual(['traffic-split/invalid-weights']);
    const twice = split('split.smi-spec.io/v1alpha2', '    - {service: bookstore-v1, weight: 1}');
    const { ids } = run({ 's.yaml': SERVICES, 't.yaml': `${twice}---${twice.replace('name: bookstore-split', 'name: other')}` });
    expect(ids).toEqual(['traffic-split/duplicate-apex', 'traffic-split/translated']);
  });

  it('v1alpha4 matches (osm-edge) split only the matching requests; the rest go to the apex', () => {
    const group = 'apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: ab, namespace: bookstore}\nspec:\n  matches:\n    - {name: firefox, headers: [{user-agent: ".*Firefox.*"}]}\n';
    const { resources } = run({
      's.yaml': SERVICES.replace('port: 8080', 'port: 14001'),
      'g.yaml': group,
      't.yaml': split('split.smi-spec.io/v1alpha4', '    - {service: bookstore-v2, weight: 1}', '  matches: [{kind: HTTPRouteGroup, name: ab}]'),
    });
    expect(resources[0]?.spec['rules']).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'user-agent', value: '^(?:.*Firefox.*)$', type: 'RegularExpression' }] }], backendRefs: [{ name: 'bookstore-v2', port: 14001, weight: 1 }] },
      { backendRefs: [{ name: 'bookstore', port: 14001, weight: 1 }] },
    ]);
  });
});

// Golden fixture: the bookstore canary (90/10) as a person would commit it (see test/support/fixtures.ts).
// Each also passes verify: some requests asked, none unexplained.
describe('fixtures', () => {
  itMigratesEachFixture(new URL('./fixtures/', import.meta.url));
});
