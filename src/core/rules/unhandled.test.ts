import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../test/support/repo.ts';
import { specLeaves, unhandledFindings } from './unhandled.ts';

const TT = `
  apiVersion: access.smi-spec.io/v1alpha3
  kind: TrafficTarget
  metadata: {name: api, namespace: shop}
  spec:
    destination: {kind: ServiceAccount, name: api, namespace: shop}
    sources: [{kind: ServiceAccount, name: web, namespace: shop}]
    rules: [{kind: HTTPRouteGroup, name: routes, matches: [all]}]
    destinationPort: 8080
    annotations: {}
    extra: [{note: x}]
`;

describe('field-level accounting', () => {
  it('lists every leaf under spec with its shape', () => {
    const { inventory } = inventoryOf({ 'tt.yaml': TT });
    const shapes = specLeaves(inventory.osmObjects[0]?.body).map((l) => l.shape);
    expect(shapes).toEqual([
      'spec.destination.kind', 'spec.destination.name', 'spec.destination.namespace',
      'spec.sources[].kind', 'spec.sources[].name', 'spec.sources[].namespace',
      'spec.rules[].kind', 'spec.rules[].name', 'spec.rules[].matches[]', 'spec.destinationPort', 'spec.extra[].note',
    ]);
  });

  it('reports each field of a consumed object that the owning rule does not know, at its line', () => {
    const { inventory } = inventoryOf({ 'tt.yaml': TT });
    const object = inventory.osmObjects[0];
    if (!object) throw new Error('no object');
    const known = new Map([['TrafficTarget', ['spec.destination', 'spec.sources[].*', 'spec.rules[].kind', 'spec.rules[].name', 'spec.rules[].matches']]]);
    const findings = unhandledFindings(inventory, [{ object }], known);
    expect(findings.map((f) => [f.id, f.line, f.message.split(' ')[0]])).toEqual([
      ['unhandled/osm-field', 8, 'spec.destinationPort'],
      ['unhandled/osm-field', 10, 'spec.extra[].note'],
    ]);
  });

  it('says nothing about fields when the object is not consumed (the whole object is reported instead)', () => {
    const { inventory } = inventoryOf({ 'tt.yaml': TT });
    expect(unhandledFindings(inventory, [], new Map([['TrafficTarget', []]])).map((f) => f.id)).toEqual(['unhandled/osm-kind']);
  });
});
