import { describe, expect, it } from 'vitest';
import { deployment, docs, httpRouteGroup, service } from '../../../../test/support/manifests.ts';
import { itMigratesEachFixture } from '../../../../test/support/fixtures.ts';
import { inventoryOf } from '../../../../test/support/repo.ts';
import type { MeshMode } from '../../inventory/mesh-mode.ts';
import type { LinkerdResource } from '../../linkerd/resources.ts';
import { resolveOptions, type MigrationOptionsInput } from '../../options.ts';
import { translateTrafficTargets } from './traffic-target.ts';

const SMI: MeshMode = { mode: 'smi', source: 'option' };

/** A workload with a named HTTP port 8080 behind a Service, and a port 9999 no Service exposes; `extra`: a container line. */
function workload(name: string, sa: string, ns: string, extra = '') {
  return docs(
    deployment({ name, namespace: ns, serviceAccount: sa, container: 'app', ports: [{ name: 'http', containerPort: 8080 }, 9999], containerLines: extra ? [extra.trim()] : [] }),
    service({ name, namespace: ns, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
  );
}

function target(name: string, sources: string[], rules: string, ns = 'shop', dest = 'api') {
  return `
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: ${name}, namespace: ${ns}}
spec:
  destination: {kind: ServiceAccount, name: ${dest}, namespace: ${ns}}
  rules:
${rules}
  sources:
${sources.map((s) => `    - {kind: ServiceAccount, name: ${s.split('.')[0]}, namespace: ${s.split('.')[1]}}`).join('\n')}
`;
}

const GROUP = httpRouteGroup({
  name: 'routes', namespace: 'shop', matches: [
    { name: 'users', pathRegex: '/users', methods: ['GET'] },
    { name: 'api', pathRegex: '/api/.*' },
    { name: 'api-users', pathRegex: '/api/users', methods: ['GET'] },
    { name: 'v-prefix', pathRegex: '/v[0-9]+/x.*' },
    { name: 'users-anywhere', pathRegex: '/.*/users' },
  ],
});

function run(files: Record<string, string>, mode: MeshMode = SMI, options: MigrationOptionsInput = {}) {
  const { inventory } = inventoryOf(files);
  const out = translateTrafficTargets({ inventory, options: resolveOptions(options), meshMode: mode });
  const byKind = (kind: string) => out.resources.map((r) => r.resource).filter((r) => r.kind === kind);
  return { out, byKind, ids: out.findings.map((f) => f.id).sort() };
}

function names(resources: readonly LinkerdResource[]): string[] {
  return resources.map((r) => r.metadata.name).sort();
}

describe('translateTrafficTargets', () => {
  it('HTTP destination: Server, route per match, policy on that route, mTLS identities of the sources', () => {
    const { byKind } = run({
      'w.yaml': workload('api', 'api', 'shop'),
      'g.yaml': GROUP,
      't.yaml': target('t', ['web.front'], '    - {kind: HTTPRouteGroup, name: routes, matches: [users]}'),
    });
    expect(byKind('Server')).toEqual([{
      apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server',
      metadata: { name: 'api-http', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'osm2linkerd' } },
      spec: { podSelector: { matchLabels: { app: 'api' } }, port: 'http', proxyProtocol: 'unknown' },
    }]);
    const [route] = byKind('HTTPRoute');
    // osm-semantics §2.2.2: `/users` is a full match, so Exact (the Linkerd blog's PathPrefix would widen it).
    expect(route?.spec).toEqual({
      parentRefs: [{ group: 'policy.linkerd.io', kind: 'Server', name: 'api-http' }],
      rules: [{ matches: [{ path: { type: 'Exact', value: '/users' }, method: 'GET' }] }],
    });
    // The seed article's bugs, never again: the policy targets the route that exists, and names the right identity.
    const [policy] = byKind('AuthorizationPolicy');
    expect(policy?.spec).toEqual({
      targetRef: { group: 'policy.linkerd.io', kind: 'HTTPRoute', name: route?.metadata.name },
      requiredAuthenticationRefs: [{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'web-front' }],
    });
    expect(byKind('MeshTLSAuthentication').map((m) => [m.metadata.name, m.spec])).toEqual([
      ['web-front', { identityRefs: [{ kind: 'ServiceAccount', name: 'web', namespace: 'front' }] }],
    ]);
  });

  it('TCP port (tcp-server-first): opaque Server authorized at server level', () => {
    const db = workload('db', 'db', 'shop').replace('[{name: http, port: 80, targetPort: http}]', '[{name: sql, port: 5432, targetPort: 8080, appProtocol: tcp-server-first}]');
    const { byKind, ids } = run({
      'w.yaml': db,
      'g.yaml': GROUP,
      't.yaml': target('t', ['api.shop'], '    - {kind: HTTPRouteGroup, name: routes, matches: [users]}', 'shop', 'db'),
    });
    expect(byKind('Server')[0]?.spec).toMatchObject({ port: 'http', proxyProtocol: 'opaque' });
    expect(byKind('HTTPRoute')).toEqual([]);
    expect(byKind('AuthorizationPolicy')[0]?.spec['targetRef']).toEqual({ group: 'policy.linkerd.io', kind: 'Server', name: 'db-http' });
    // §6.3: "HTTPRouteGroup rules have no effect on them".
    expect(ids).toContain('traffic-target/http-rules-on-tcp-port');
  });

  it('a contained match also authorizes the sources of the broader one (Linkerd picks one route)', () => {
    const { byKind } = run({
      'w.yaml': workload('api', 'api', 'shop'),
      'g.yaml': GROUP,
      't1.yaml': target('broad', ['a.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [api]}'),
      't2.yaml': target('narrow', ['b.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [api-users]}'),
    });
    const mtls = Object.fromEntries(byKind('MeshTLSAuthentication').map((m) => [m.metadata.name, m.spec['identityRefs']]));
    const policyFor = (route: string) => byKind('AuthorizationPolicy').find((p) => (p.spec['targetRef'] as { name: string }).name === route);
    const narrowAuth = (policyFor('api-http-8-routes-api-users')?.spec['requiredAuthenticationRefs'] as { name: string }[])[0]?.name ?? '';
    expect(mtls[narrowAuth]).toEqual([{ kind: 'ServiceAccount', name: 'a', namespace: 'x' }, { kind: 'ServiceAccount', name: 'b', namespace: 'x' }]);
    const broadAuth = (policyFor('api-http-routes-api')?.spec['requiredAuthenticationRefs'] as { name: string }[])[0]?.name ?? '';
    expect(mtls[broadAuth]).toEqual([{ kind: 'ServiceAccount', name: 'a', namespace: 'x' }]);
  });

  it('partially overlapping matches with different sources are a finding', () => {
    const { ids } = run({
      'w.yaml': workload('api', 'api', 'shop'),
      'g.yaml': GROUP,
      't1.yaml': target('one', ['a.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [api]}'),
      't2.yaml': target('two', ['b.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [users-anywhere]}'),
    });
    expect(ids).toContain('traffic-target/overlapping-routes');
  });

  it('TCPRoute ports keep the sources off other ports, HTTP included (§2.3)', () => {
    const { byKind, ids } = run({
      'w.yaml': workload('api', 'api', 'shop'),
      'g.yaml': GROUP,
      'r.yaml': 'apiVersion: specs.smi-spec.io/v1alpha4\nkind: TCPRoute\nmetadata: {name: only-db, namespace: shop}\nspec: {matches: {ports: [5432]}}\n',
      't.yaml': target('t', ['a.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [users]}\n    - {kind: TCPRoute, name: only-db}'),
    });
    expect(byKind('HTTPRoute')).toEqual([]);
    expect(ids).toContain('traffic-target/tcp-route-port-scope');
  });

  it('ports no Service exposes get no Server, and say why', () => {
    const { byKind, ids } = run({
      'w.yaml': workload('api', 'api', 'shop'),
      'g.yaml': GROUP,
      't.yaml': target('t', ['a.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [users]}'),
    });
    expect(names(byKind('Server'))).toEqual(['api-http']);
    expect(ids).toContain('traffic-target/port-not-exposed');
  });

  it('a destination without workloads gets routes for a Server the user creates, and an error', () => {
    const { out, byKind } = run({
      'g.yaml': GROUP,
      't.yaml': target('t', ['a.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [users]}'),
    });
    expect(byKind('Server')).toEqual([]);
    expect((byKind('HTTPRoute')[0]?.spec['parentRefs'] as { name: string }[])[0]?.name).toBe('api');
    const f = out.findings.find((x) => x.id === 'traffic-target/destination-without-workload');
    expect(f?.message).toContain('kind: Server');
    expect(f).toMatchObject({ file: 't.yaml', line: 5, severity: 'error' });
  });

  it('HTTP probes get a GET route authorized from the probe networks once routes are attached', () => {
    const probed = workload('api', 'api', 'shop', '          readinessProbe: {httpGet: {path: /healthz, port: http}}');
    const { byKind, ids } = run({
      'w.yaml': probed,
      'g.yaml': GROUP,
      't.yaml': target('t', ['a.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [users]}'),
    }, SMI, { probeNetworks: ['10.240.0.0/16'] });
    const probeRoute = byKind('HTTPRoute').find((r) => r.metadata.name === 'api-http-probes');
    expect(probeRoute?.spec['rules']).toEqual([{ matches: [{ path: { type: 'Exact', value: '/healthz' }, method: 'GET' }] }]);
    expect(byKind('NetworkAuthentication')[0]?.spec).toEqual({ networks: [{ cidr: '10.240.0.0/16' }] });
    expect(ids).not.toContain('probes/open-to-all-networks');
  });

  // osm-semantics §6.2: in permissive mode "Every client is programmed for every Service in the mesh" and "No network
  // RBAC filter is installed", but a plaintext client "matches no inbound mesh chain" (§6.1). linkerd-reference §3.3:
  // `all-authenticated` = "any mesh identity", `audit` = "none" (no authentication) from every network; §3.4: the
  // Server's accessPolicy takes "the `accessPolicy` default authorizations", any default-policy value (2.16+).
  describe('permissive mode', () => {
    const files = {
      'w.yaml': workload('api', 'api', 'shop'),
      'g.yaml': GROUP,
      't.yaml': target('t', ['a.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [users]}'),
    };
    const permissive: MeshMode = { mode: 'permissive', source: 'option' };

    it('by default admits exactly the meshed clients: accessPolicy all-authenticated and a catch-all route (2.16+)', () => {
      const exact = run(files, permissive);
      expect(exact.byKind('Server').map((s) => s.spec['accessPolicy'])).toEqual(['all-authenticated']);
      expect(names(exact.byKind('HTTPRoute'))).toContain('api-http-all');
      expect(exact.ids).toContain('mesh-mode/permissive-authenticated');
      expect(exact.ids).not.toContain('mesh-mode/permissive-audit');
    });

    it('uses audit only when asked, and says that clients OSM refused are admitted', () => {
      const audit = run(files, permissive, { permissiveAccess: 'audit' });
      expect(audit.byKind('Server').map((s) => s.spec['accessPolicy'])).toEqual(['audit']);
      expect(names(audit.byKind('HTTPRoute'))).toContain('api-http-all');
      const note = audit.out.findings.find((f) => f.id === 'mesh-mode/permissive-audit');
      expect(note).toMatchObject({ severity: 'warning', file: 't.yaml' });
      expect(note?.message).toContain('also admits the plaintext and unmeshed clients OSM refused');
      expect(note?.affects).toEqual([{ namespace: 'shop', serviceAccount: 'api' }]);
      expect(audit.ids).not.toContain('mesh-mode/permissive-authenticated');
    });

    it('translates nothing before 2.16 (no Server accessPolicy): the namespace default keeps the verdicts', () => {
      const old = run(files, permissive, { linkerdVersion: '2.15' });
      expect(old.out.resources).toEqual([]);
      expect(old.ids).toContain('mesh-mode/access-policy-unavailable');
      expect(run(files, permissive, { linkerdVersion: '2.15', permissiveAccess: 'audit' }).ids).toContain('mesh-mode/audit-unavailable');
    });

    it('verify finds no difference with the exact default, and only explained plaintext ones with audit', async () => {
      const { migrate } = await import('../../migrate.ts');
      const { repo } = await import('../../../../test/support/repo.ts');
      const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {openservicemesh.io/monitored-by: osm}\n  annotations: {openservicemesh.io/sidecar-injection: enabled}\n';
      const meshConfig = 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec:\n  traffic: {enablePermissiveTrafficPolicyMode: true}\n';
      // Port 9999 of workload() is exposed by no Service: OSM gave it no chain at all, which is another matter.
      const repository = repo({ ...files, 'w.yaml': files['w.yaml'].replace(', {containerPort: 9999}', ''), 'ns.yaml': namespace, 'mc.yaml': meshConfig });
      const exact = migrate(repository).verification;
      expect(exact.requests).toBeGreaterThan(0);
      expect(exact.differences).toEqual([]);
      const audit = migrate(repository, { permissiveAccess: 'audit' }).verification;
      expect(audit.differences.length).toBeGreaterThan(0);
      expect(new Set(audit.differences.map((d) => `${d.request.source.kind}:${String(d.osm.allowed)}>${String(d.linkerd.allowed)}`))).toEqual(new Set(['unmeshed:false>true']));
      expect(audit.uncovered).toEqual([]);
    });
  });

  it('emits API versions the target serves', () => {
    const files = {
      'w.yaml': workload('api', 'api', 'shop'),
      'g.yaml': GROUP,
      't.yaml': target('t', ['a.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [users]}'),
    };
    expect(run(files, SMI, { linkerdVersion: '2.12' }).byKind('Server')[0]?.apiVersion).toBe('policy.linkerd.io/v1beta1');
    expect(run(files, SMI, { linkerdVersion: '2.12' }).byKind('HTTPRoute')[0]?.apiVersion).toBe('policy.linkerd.io/v1beta1');
    expect(run(files, SMI, { linkerdVersion: '2.15' }).byKind('Server')[0]?.apiVersion).toBe('policy.linkerd.io/v1beta2');
  });
});

describe('route ties (Linkerd picks by name when routes rank the same)', () => {
  it('names a contained route so it wins the tie, and verify agrees with OSM', async () => {
    const { migrate } = await import('../../migrate.ts');
    const { repo } = await import('../../../../test/support/repo.ts');
    const group = httpRouteGroup({ name: 'routes', namespace: 'shop', matches: [{ name: 'any-api', pathRegex: '/api/.*' }, { name: 'versioned', pathRegex: '/api/v[0-9]+' }] });
    const plan = migrate(repo({
      'w.yaml': workload('api', 'api', 'shop'),
      'g.yaml': group,
      't1.yaml': target('broad', ['a.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [any-api]}'),
      't2.yaml': target('narrow', ['b.x'], '    - {kind: HTTPRouteGroup, name: routes, matches: [versioned]}'),
    }), { meshMode: 'smi' });
    const routes = plan.resources.filter((r) => r.resource.kind === 'HTTPRoute').map((r) => r.resource.metadata.name).sort();
    expect(routes).toEqual(['api-http-8-routes-versioned', 'api-http-routes-any-api']);
    expect(plan.verification.requests).toBeGreaterThan(0);
    expect(plan.verification.uncovered).toEqual([]);
  });
});

describe('unreferenced route specs', () => {
  const egress = (ns: string) => `
apiVersion: policy.openservicemesh.io/v1alpha1
kind: Egress
metadata: {name: httpbin-80, namespace: ${ns}}
spec:
  sources: [{kind: ServiceAccount, name: curl, namespace: ${ns}}]
  hosts: [httpbin.org]
  ports: [{number: 80, protocol: http}]
  matches: [{apiGroup: specs.smi-spec.io/v1alpha4, kind: HTTPRouteGroup, name: routes}]
`;
  const unreferenced = (files: Record<string, string>) =>
    run(files).out.findings.filter((f) => f.id === 'traffic-target/unreferenced-spec').map((f) => f.resource);

  // osm-semantics §3.2: an Egress's http routes "come from the referenced HTTPRouteGroup matches".
  it('does not call an HTTPRouteGroup that only an Egress references unreferenced', () => {
    expect(unreferenced({ 'g.yaml': GROUP, 'e.yaml': egress('shop') })).toEqual([]);
  });

  it('still flags groups no TrafficTarget or Egress uses, and an Egress reaches only its own namespace', () => {
    const other = GROUP.replace('name: routes,', 'name: spare,');
    expect(unreferenced({ 'g.yaml': GROUP, 'o.yaml': other, 'e.yaml': egress('shop') })).toEqual(['HTTPRouteGroup/shop/spare']);
    expect(unreferenced({ 'g.yaml': GROUP, 'e.yaml': egress('curl') })).toEqual(['HTTPRouteGroup/shop/routes']);
  });
});

// Golden fixtures: a small repository each, with what the migration makes of it (see test/support/fixtures.ts).
// web-to-api: one TrafficTarget, one HTTPRouteGroup match; http-route-group-matches: path, method and header matches,
// two TrafficTargets sharing a match.
// Each also passes verify: some requests asked, none unexplained.
describe('fixtures', () => {
  itMigratesEachFixture(new URL('./fixtures/', import.meta.url));
});
