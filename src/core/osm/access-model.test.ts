import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../test/support/repo.ts';
import { readAccessModel } from './access-model.ts';

const GROUP = `
  apiVersion: specs.smi-spec.io/v1alpha4
  kind: HTTPRouteGroup
  metadata: {name: routes, namespace: shop}
  spec:
    matches:
      - name: list
        pathRegex: /items
        methods: ["GET", "*"]
        headers:
          - "User-Agent": ".*curl.*"
          - "x-team": "a"
      - name: map-headers
        headers: {host: shop.example.com}
`;

function target(extra: string) {
  return `
  apiVersion: access.smi-spec.io/v1alpha3
  kind: TrafficTarget
  metadata: {name: tt, namespace: shop}
  spec:
    destination: {kind: ServiceAccount, name: api, namespace: shop}
    sources:
      - {kind: ServiceAccount, name: web, namespace: front}
${extra}`;
}

describe('readAccessModel', () => {
  it('reads the HTTPRouteGroup in effect when two documents share its name (the later replaces the earlier)', () => {
    const later = GROUP.replace('pathRegex: /items', 'pathRegex: /orders');
    const { inventory } = inventoryOf({
      'a.yaml': GROUP,
      'b.yaml': later,
      't.yaml': target(`    rules:\n      - {kind: HTTPRouteGroup, name: routes, matches: [list]}`),
    });
    const paths = readAccessModel(inventory).policies.flatMap((p) => p.httpMatches.map((m) => m.pathRegex));
    expect(paths).toEqual(['/orders']);
  });

  it('reads sources, the L4 port set and the named matches', () => {
    const { inventory } = inventoryOf({
      'g.yaml': GROUP,
      't.yaml': target(`    rules:\n      - {kind: HTTPRouteGroup, name: routes, matches: [list]}`),
    });
    const model = readAccessModel(inventory);
    expect(model.findings).toEqual([]);
    const [policy] = model.policies;
    expect(policy?.sources).toEqual(['web.front']);
    expect(policy?.ports).toBe('any');
    // "*" anywhere collapses the methods to any (route_config.go:448-470); list-of-maps headers are flattened.
    expect(policy?.httpMatches.map((m) => [m.name, m.methods, m.headers])).toEqual([
      ['list', [], { 'user-agent': '.*curl.*', 'x-team': 'a' }],
    ]);
  });

  it('accepts the SMI spec\'s map form of headers', () => {
    const { inventory } = inventoryOf({
      'g.yaml': GROUP,
      't.yaml': target(`    rules:\n      - {kind: HTTPRouteGroup, name: routes, matches: [map-headers]}`),
    });
    expect(readAccessModel(inventory).policies[0]?.httpMatches[0]?.headers).toEqual({ host: 'shop.example.com' });
  });

  // osm-semantics §2.1.6: "If matches is omitted, OSM allows no HTTP route from that rule."
  it('a rule without matches allows nothing and says so', () => {
    const { inventory } = inventoryOf({
      'g.yaml': GROUP,
      't.yaml': target(`    rules:\n      - {kind: HTTPRouteGroup, name: routes}`),
    });
    const model = readAccessModel(inventory);
    expect(model.policies[0]?.httpMatches).toEqual([]);
    expect(model.findings.map((f) => f.id)).toEqual(['traffic-target/rule-without-matches']);
  });

  // §2.1.3: a UDPRoute rule makes OSM ignore the whole TrafficTarget.
  it('a UDPRoute rule drops the whole TrafficTarget', () => {
    const { inventory } = inventoryOf({
      'g.yaml': GROUP,
      't.yaml': target(`    rules:\n      - {kind: HTTPRouteGroup, name: routes, matches: [list]}\n      - {kind: UDPRoute, name: dns}`),
    });
    const model = readAccessModel(inventory);
    expect(model.policies).toEqual([]);
    expect(model.findings[0]).toMatchObject({ id: 'traffic-target/invalid-rule-kind', file: 't.yaml', line: 10 });
  });

  // §2.3: TCPRoute matches.ports scope the L4 permission; a missing TCPRoute denies the TrafficTarget's sources.
  it('TCPRoute ports scope L4, and a missing TCPRoute drops the TrafficTarget', () => {
    const tcp = `
      apiVersion: specs.smi-spec.io/v1alpha4
      kind: TCPRoute
      metadata: {name: db, namespace: shop}
      spec: {matches: {ports: [5432, "6379"]}}
    `;
    const scoped = inventoryOf({ 'r.yaml': tcp, 't.yaml': target(`    rules:\n      - {kind: TCPRoute, name: db}`) });
    expect(readAccessModel(scoped.inventory).policies[0]?.ports).toEqual([5432, 6379]);
    const missing = inventoryOf({ 't.yaml': target(`    rules:\n      - {kind: TCPRoute, name: db}`) });
    const model = readAccessModel(missing.inventory);
    expect(model.policies).toEqual([]);
    expect(model.findings.map((f) => f.id)).toEqual(['traffic-target/tcp-route-not-found']);
  });

  // §2.1.2: metadata.namespace must equal destination.namespace, or OSM drops the TrafficTarget.
  it('drops a TrafficTarget outside its destination namespace', () => {
    const { inventory } = inventoryOf({
      't.yaml': target(`    rules:\n      - {kind: HTTPRouteGroup, name: routes, matches: [list]}`).replace('namespace: shop}\n  spec', 'namespace: other}\n  spec'),
    });
    expect(readAccessModel(inventory).findings.map((f) => f.id)).toEqual(['traffic-target/namespace-mismatch']);
  });

  it('skips sources without a namespace or of another kind, with findings', () => {
    const { inventory } = inventoryOf({
      'g.yaml': GROUP,
      't.yaml': target(`      - {kind: ServiceAccount, name: nons}\n      - {kind: Group, name: admins}\n    rules:\n      - {kind: HTTPRouteGroup, name: routes, matches: [list, nope]}`),
    });
    const model = readAccessModel(inventory);
    expect(model.policies[0]?.sources).toEqual(['web.front']);
    expect(model.findings.map((f) => f.id).sort()).toEqual([
      'traffic-target/match-name-not-found', 'traffic-target/source-kind-unsupported', 'traffic-target/source-namespace-missing',
    ]);
  });
});
