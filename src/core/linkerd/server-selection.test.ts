import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { deployment as workload, docs, httpRouteGroup, namespace, service, trafficTarget } from '../../../test/support/manifests.ts';
import { repo } from '../../../test/support/repo.ts';
import { itWithShared, SCHEMAS } from '../../../test/support/shared.ts';
import { migrate } from '../migrate.ts';
import { LINKERD_VERSIONS } from '../options.ts';
import type { LinkerdResource } from './resources.ts';

/**
 * linkerd-reference §3.2: a Server governs every pod of its namespace its podSelector (matchLabels AND
 * matchExpressions) selects, on its port. osm-semantics §2.1.4: OSM authorized a client per pod ServiceAccount. So a
 * Server for `beta` must not select `alpha`'s pods, or `beta`'s clients reach `alpha`.
 */

const NAMESPACE = namespace({ name: 'shop', injection: 'enabled' });

function deployment(name: string, sa: string, selector: string, labels: Record<string, string>): string {
  return docs(
    workload({ name, namespace: 'shop', serviceAccount: sa, selector, labels, container: 'app', ports: [{ name: 'http', containerPort: 8080 }] }),
    service({ name, namespace: 'shop', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
  );
}

function target(name: string, destination: string, source: string): string {
  return trafficTarget({ name, namespace: 'shop', destination, sources: [source], rules: [{ name: 'everything', matches: ['all'] }] });
}

const ROUTES = httpRouteGroup({ name: 'everything', namespace: 'shop', matches: [{ name: 'all', pathRegex: '/.*' }] });

/** A Kubernetes label selector evaluated here, independently of the translator's. */
function selects(selector: unknown, labels: Record<string, string>): boolean {
  const s = selector as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  return Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v) && (s.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    if (e.operator === 'In') return value !== undefined && (e.values ?? []).includes(value);
    if (e.operator === 'NotIn') return value === undefined || !(e.values ?? []).includes(value);
    if (e.operator === 'Exists') return value !== undefined;
    return value === undefined;
  });
}

/** The ServiceAccounts authorized on any Server selecting these pod labels, through the Server or one of its routes. */
function identitiesReaching(resources: readonly LinkerdResource[], labels: Record<string, string>): string[] {
  const of = (kind: string) => resources.filter((r) => r.kind === kind);
  const servers = of('Server').filter((s) => selects(s.spec['podSelector'], labels)).map((s) => s.metadata.name);
  const routes = of('HTTPRoute').filter((r) => (r.spec['parentRefs'] as { name: string }[]).some((p) => servers.includes(p.name))).map((r) => r.metadata.name);
  const targets = new Set([...servers, ...routes]);
  const authn = of('AuthorizationPolicy')
    .filter((p) => targets.has((p.spec['targetRef'] as { name: string }).name))
    .flatMap((p) => (p.spec['requiredAuthenticationRefs'] as { kind: string; name: string }[]).filter((r) => r.kind === 'MeshTLSAuthentication').map((r) => r.name));
  return of('MeshTLSAuthentication')
    .filter((m) => authn.includes(m.metadata.name))
    .flatMap((m) => (m.spec['identityRefs'] as { name: string }[]).map((r) => r.name))
    .sort();
}

function run(files: Record<string, string>, linkerdVersion: (typeof LINKERD_VERSIONS)[number] = '2.20') {
  const plan = migrate(repo(files), { meshMode: 'smi', linkerdVersion });
  const resources = plan.resources.map((r) => r.resource);
  return { plan, resources, servers: resources.filter((r) => r.kind === 'Server'), ids: plan.findings.map((f) => f.id) };
}

describe('Server pod selection over the whole inventory', () => {
  // beta's selector (matchExpressions only) selects alpha's pods too: its labels are a subset of alpha's.
  const overlapping = {
    'ns.yaml': NAMESPACE,
    'alpha.yaml': deployment('alpha', 'alpha', '{matchLabels: {app: web, track: alpha}}', { app: 'web', track: 'alpha' }),
    'beta.yaml': deployment('beta', 'beta', '{matchExpressions: [{key: app, operator: In, values: [web]}]}', { app: 'web' }),
    'routes.yaml': ROUTES,
    'alpha-tt.yaml': target('alpha', 'alpha', 'admin'),
    'beta-tt.yaml': target('beta', 'beta', 'front'),
  };

  it('keeps matchExpressions and narrows beta\'s Server off alpha\'s pods', () => {
    const { servers, plan, ids } = run(overlapping);
    const beta = servers.find((s) => s.metadata.name === 'beta-http');
    expect(beta?.spec['podSelector']).toEqual({
      matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }, { key: 'track', operator: 'DoesNotExist' }],
    });
    expect(ids).toContain('server-selection/narrowed');
    expect(ids).not.toContain('server-selection/selects-other-identity');
    expect(ids).not.toContain('traffic-target/server-conflict');
    const narrowed = plan.findings.find((f) => f.id === 'server-selection/narrowed');
    expect(narrowed).toMatchObject({ file: 'beta.yaml', severity: 'info' });
    expect(narrowed?.message).toContain('track DoesNotExist');
  });

  itWithShared.each(LINKERD_VERSIONS)('the narrowed Servers are schema-valid for Linkerd %s', (version) => {
    const { servers } = run(overlapping, version);
    expect(servers.length).toBe(2);
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const s of servers) {
      const validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, `linkerd-${version}`, `${s.apiVersion.replace('/', '_')}_Server.json`), 'utf8')) as object);
      expect(validate(JSON.parse(JSON.stringify(s))), ajv.errorsText(validate.errors)).toBe(true);
    }
  });

  it('a client authorized for beta does not reach alpha; beta\'s pods keep their own client', () => {
    const { resources } = run(overlapping);
    expect(identitiesReaching(resources, { app: 'web', track: 'alpha' })).toEqual(['admin']);
    expect(identitiesReaching(resources, { app: 'web' })).toEqual(['front']);
  });

  it('what the old translator emitted (matchLabels only, expressions dropped) would have let front reach alpha', () => {
    const { resources } = run(overlapping);
    const widened = resources.map((r) => (r.kind === 'Server' && r.metadata.name === 'beta-http'
      ? { ...r, spec: { ...r.spec, podSelector: { matchLabels: {} } } }
      : r));
    expect(identitiesReaching(widened, { app: 'web', track: 'alpha' })).toEqual(['admin', 'front']);
  });

  it('narrows with a label of the pod template the other pods set differently (matchLabels)', () => {
    const { servers } = run({
      ...overlapping,
      'alpha.yaml': deployment('alpha', 'alpha', '{matchLabels: {app: web}}', { app: 'web', track: 'alpha' }),
      'beta.yaml': deployment('beta', 'beta', '{matchLabels: {app: web}}', { app: 'web', track: 'beta' }),
    });
    expect(servers.map((s) => [s.metadata.name, s.spec['podSelector']])).toEqual([
      ['alpha-http', { matchLabels: { app: 'web', track: 'alpha' } }],
      ['beta-http', { matchLabels: { app: 'web', track: 'beta' } }],
    ]);
  });

  it('pods nothing tells apart: no Server and no authorization for either, and an error', () => {
    const { servers, resources, plan } = run({
      ...overlapping,
      'alpha.yaml': deployment('alpha', 'alpha', '{matchLabels: {app: web}}', { app: 'web' }),
      'beta.yaml': deployment('beta', 'beta', '{matchExpressions: [{key: app, operator: Exists}]}', { app: 'web' }),
    });
    expect(servers).toEqual([]);
    expect(resources.filter((r) => r.kind === 'AuthorizationPolicy')).toEqual([]);
    const errors = plan.findings.filter((f) => f.id === 'server-selection/selects-other-identity');
    expect(errors.map((f) => [f.file, f.severity])).toEqual([['alpha.yaml', 'error'], ['beta.yaml', 'error']]);
    expect(errors[1]?.message).toContain('Deployment alpha (ServiceAccount alpha)');
    // Every request the withheld Servers would have allowed is accounted for: verify finds nothing unexplained.
    expect(plan.verification.uncovered).toEqual([]);
  });

  it('a selector that reaches another pod only on a port name it lacks leaves it alone', () => {
    const other = deployment('alpha', 'alpha', '{matchLabels: {app: web}}', { app: 'web' }).replace('{name: http, containerPort: 8080}', '{name: admin, containerPort: 9000}').replace('targetPort: http', 'targetPort: admin');
    const { servers, ids } = run({ ...overlapping, 'alpha.yaml': other, 'beta.yaml': deployment('beta', 'beta', '{matchLabels: {app: web}}', { app: 'web' }) });
    expect(servers.find((s) => s.metadata.name === 'beta-http')?.spec['podSelector']).toEqual({ matchLabels: { app: 'web' } });
    expect(ids).not.toContain('server-selection/narrowed');
  });

  it('two workloads of one ServiceAccount with identical pods: both Servers claim the port, an error', () => {
    const { plan, servers } = run({
      'ns.yaml': NAMESPACE,
      'one.yaml': deployment('one', 'api', '{matchLabels: {app: web}}', { app: 'web' }),
      'two.yaml': deployment('two', 'api', '{matchLabels: {app: web}}', { app: 'web' }),
      'routes.yaml': ROUTES,
      'tt.yaml': target('api', 'api', 'front'),
    });
    expect(servers.map((s) => s.metadata.name)).toEqual(['one-http', 'two-http']);
    const conflicts = plan.findings.filter((f) => f.id === 'traffic-target/server-conflict');
    expect(conflicts.length).toBeGreaterThan(0);
    expect(conflicts[0]).toMatchObject({ severity: 'error' });
    expect(conflicts[0]?.message).toContain('one-http and two-http');
  });

  it('a Server already in the repository on the same pod port is a conflict too; our own earlier output is not', () => {
    const existing = (labels: string) => `
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: hand-made, namespace: shop${labels}}
spec:
  podSelector: {matchExpressions: [{key: app, operator: Exists}]}
  port: 8080
`;
    const files = { 'ns.yaml': NAMESPACE, 'api.yaml': deployment('api', 'api', '{matchLabels: {app: web}}', { app: 'web' }), 'routes.yaml': ROUTES, 'tt.yaml': target('api', 'api', 'front') };
    const conflicts = (extra: string) => run({ ...files, 'server.yaml': extra }).plan.findings.filter((f) => f.id === 'traffic-target/server-conflict');
    const [conflict] = conflicts(existing(''));
    expect(conflict?.message).toContain('api-http and hand-made (already in the repository)');
    expect(conflicts(existing(', labels: {app.kubernetes.io/managed-by: osm2linkerd}'))).toEqual([]);
  });

  it('an IngressBackend to a withheld Server\'s pods attaches nothing and is not told its port is wrong', () => {
    const ingress = `
apiVersion: policy.openservicemesh.io/v1alpha1
kind: IngressBackend
metadata: {name: beta, namespace: shop}
spec:
  backends:
    - name: beta
      port: {number: 8080, protocol: http}
  sources:
    - {kind: Service, name: ingress-nginx, namespace: ingress}
`;
    const { resources, ids } = run({
      'ns.yaml': NAMESPACE,
      'alpha.yaml': deployment('alpha', 'alpha', '{matchLabels: {app: web}}', { app: 'web' }),
      'beta.yaml': deployment('beta', 'beta', '{matchLabels: {app: web}}', { app: 'web' }),
      'ib.yaml': ingress,
    });
    expect(resources.filter((r) => r.kind === 'Server' || r.kind === 'AuthorizationPolicy')).toEqual([]);
    expect(ids).toContain('server-selection/selects-other-identity');
    expect(ids).not.toContain('ingress-backend/port-not-target-port');
  });
});
