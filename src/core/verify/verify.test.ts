import { describe, expect, it } from 'vitest';
import { type Finding } from '../findings/finding.ts';
import { finding } from '../rules/injection/findings.ts';
import { buildInventory } from '../inventory/inventory.ts';
import { loadRepository } from '../load/load.ts';
import type { VerificationReport } from './types.ts';
import { verify } from './verify.ts';

/**
 * Issue 7: each case feeds verify the OLD, WRONG Linkerd output the translator used to produce (hand-written here:
 * it is verify's input) and expects the difference caught, then the corrected output and expects none.
 */

type Files = Record<string, string>;

function check(before: Files, after: Files, options: { mode?: 'smi' | 'permissive'; findings?: Finding[] } = {}): VerificationReport {
  const files = new Map(Object.entries(before));
  const { inventory } = buildInventory(loadRepository(files));
  // The migration replaces or adds files; OSM documents left in place are ignored by the Linkerd side.
  const migrated = new Map([...files, ...Object.entries(after)]);
  return verify({
    inventory,
    meshMode: { mode: options.mode ?? 'smi', source: 'option' },
    migratedFiles: migrated,
    linkerdVersion: '2.18',
    findings: options.findings ?? [],
  });
}

function namespace(name: string, annotations: Record<string, string>): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    ${k}: ${v}`);
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${lines.length > 0 ? `  annotations:\n${lines.join('\n')}\n` : ''}`;
}

const OSM_NS = namespace('apps', { 'openservicemesh.io/sidecar-injection': 'enabled' });
const LINKERD_NS = namespace('apps', { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' });

function deployment(name: string, labels: Record<string, string>, selector = `matchLabels: {app: ${labels['app'] ?? name}}`, ns = 'apps'): string {
  const labelText = Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ''}spec:
  selector:
    ${selector}
  template:
    metadata:
      labels: {${labelText}}
    spec:
      serviceAccountName: ${name}
      containers:
      - name: app
        image: example/${name}
        ports:
        - {name: http, containerPort: 8080}
`;
}

function service(name: string, selector: Record<string, string>): string {
  const sel = Object.entries(selector).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: apps
spec:
  selector: {${sel}}
  ports:
  - {name: http, port: 80, targetPort: 8080}
`;
}

function routeGroup(name: string, matches: { name: string; pathRegex: string }[]): string {
  return `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata:
  name: ${name}
  namespace: apps
spec:
  matches:
${matches.map((m) => `  - name: ${m.name}\n    pathRegex: "${m.pathRegex}"\n    methods: ["*"]`).join('\n')}
`;
}

function trafficTarget(name: string, destination: string, source: string, group: string, matches: string[], ns = 'apps'): string {
  return `apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ''}spec:
  destination: {kind: ServiceAccount, name: ${destination}, namespace: apps}
  sources:
  - {kind: ServiceAccount, name: ${source}, namespace: apps}
  rules:
  - kind: HTTPRouteGroup
    name: ${group}
    matches: [${matches.join(', ')}]
`;
}

const identity = (sa: string) => `${sa}.apps.serviceaccount.identity.linkerd.cluster.local`;

function server(name: string, podSelector: string, extra = '', ns = 'apps'): string {
  return `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ''}spec:
  podSelector:
    ${podSelector}
  port: 8080
  proxyProtocol: HTTP/1
${extra}`;
}

/** An AuthorizationPolicy on `target` (a Server or an HTTPRoute) for the given clients. */
function authorize(name: string, target: { kind: 'Server' | 'HTTPRoute'; name: string }, clients: string[], ns = 'apps'): string {
  const group = 'policy.linkerd.io';
  const meta = (n: string) => `metadata:\n  name: ${n}\n${ns ? `  namespace: ${ns}\n` : ''}`;
  return `apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
${meta(name)}spec:
  identities: [${clients.map((c) => `"${identity(c)}"`).join(', ')}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
${meta(name)}spec:
  targetRef: {group: ${group}, kind: ${target.kind}, name: ${target.name}}
  requiredAuthenticationRefs:
  - {group: policy.linkerd.io, kind: MeshTLSAuthentication, name: ${name}}
`;
}

function httpRoute(name: string, parent: string, path: { type: string; value: string }): string {
  return `apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata:
  name: ${name}
  namespace: apps
spec:
  parentRefs:
  - {group: policy.linkerd.io, kind: Server, name: ${parent}}
  rules:
  - matches:
    - path: {type: ${path.type}, value: "${path.value}"}
`;
}

const wider = (r: VerificationReport) => r.accessChanges.filter((c) => c.wider > 0).map((c) => `${c.source} → ${c.namespace}/${c.workload}:${c.port}`);
const narrower = (r: VerificationReport) => r.accessChanges.filter((c) => c.narrower > 0).map((c) => `${c.source} → ${c.namespace}/${c.workload}:${c.port}`);

describe('verify catches the issue 7 translations', () => {
  // Two workloads share `app: web`; beta's selector tells them apart only by a matchExpression. OSM identity is per
  // pod ServiceAccount, so client-b (authorized for beta) never reached alpha.
  const selectorHole: Files = {
    'ns.yaml': OSM_NS,
    'alpha.yaml': deployment('alpha', { app: 'web', tier: 'alpha' }, 'matchLabels: {app: web, tier: alpha}'),
    'beta.yaml': deployment('beta', { app: 'web', tier: 'beta' }, 'matchLabels: {app: web}\n    matchExpressions: [{key: tier, operator: In, values: [beta]}]'),
    'clients.yaml': `${deployment('client-a', { app: 'client-a' })}---\n${deployment('client-b', { app: 'client-b' })}`,
    'svc.yaml': `${service('alpha', { app: 'web', tier: 'alpha' })}---\n${service('beta', { app: 'web', tier: 'beta' })}`,
    'access.yaml': `${routeGroup('everything', [{ name: 'all', pathRegex: '.*' }])}---\n${trafficTarget('beta', 'beta', 'client-b', 'everything', ['all'])}`,
  };

  it('(a) a Server podSelector that also selects another ServiceAccount\'s pods: client-b reaches alpha', () => {
    // Old output: the Server's podSelector is beta's matchLabels, matchExpressions dropped.
    const old = check(selectorHole, {
      'ns.yaml': LINKERD_NS,
      'access.linkerd.yaml': `${server('beta-http', 'matchLabels: {app: web}')}---\n${authorize('beta-http', { kind: 'Server', name: 'beta-http' }, ['client-b'])}`,
    });
    expect(wider(old)).toContain('client-b.apps → apps/alpha:8080');
    expect(old.uncovered.length).toBeGreaterThan(0);
    const fixed = check(selectorHole, {
      'ns.yaml': LINKERD_NS,
      'access.linkerd.yaml': `${server('beta-http', 'matchLabels: {app: web}\n    matchExpressions: [{key: tier, operator: In, values: [beta]}]')}---\n${authorize('beta-http', { kind: 'Server', name: 'beta-http' }, ['client-b'])}`,
    });
    expect(fixed.differences).toEqual([]);
    expect(fixed.unknowns).toEqual([]);
  });

  it('(a) two Servers on one pod port are reported, and decided as neither', () => {
    const conflict = check(selectorHole, {
      'ns.yaml': LINKERD_NS,
      'access.linkerd.yaml': [
        server('beta-http', 'matchLabels: {app: web}'),
        server('alpha-http', 'matchLabels: {app: web, tier: alpha}'),
        authorize('beta-http', { kind: 'Server', name: 'beta-http' }, ['client-b']),
      ].join('---\n'),
    });
    expect(conflict.unknowns).toContainEqual({ kind: 'server-conflict', namespace: 'apps', workload: 'alpha', port: 8080, servers: ['alpha-http', 'beta-http'] });
  });

  // OSM allowed client-b on /api/admin and below, and client-a on all of /api/.
  const precedence: Files = {
    'ns.yaml': OSM_NS,
    'web.yaml': deployment('web', { app: 'web' }),
    'clients.yaml': `${deployment('client-a', { app: 'client-a' })}---\n${deployment('client-b', { app: 'client-b' })}`,
    'svc.yaml': service('web', { app: 'web' }),
    'access.yaml': [
      routeGroup('api', [{ name: 'all-api', pathRegex: '/api/.*' }, { name: 'admin', pathRegex: '/api/admin(/.*)?' }]),
      trafficTarget('client-a', 'web', 'client-a', 'api', ['all-api']),
      trafficTarget('client-b', 'web', 'client-b', 'api', ['admin']),
    ].join('---\n'),
  };

  /**
   * Linkerd's side of `precedence`: Server web-http; route web-all-api (regex /api/.*) for client-a; route web-admin on
   * `admin` for `adminClients`; then any `more` routes. Every route is written before every AuthorizationPolicy.
   */
  type LinkerdRoute = { name: string; path: { type: string; value: string }; clients: string[] };
  const webLinkerd = (admin: LinkerdRoute['path'], adminClients: string[], more: LinkerdRoute[] = []) => {
    const routes: LinkerdRoute[] = [{ name: 'web-all-api', path: { type: 'RegularExpression', value: '/api/.*' }, clients: ['client-a'] }, { name: 'web-admin', path: admin, clients: adminClients }, ...more];
    return [
      server('web-http', 'matchLabels: {app: web}'),
      ...routes.map((r) => httpRoute(r.name, 'web-http', r.path)),
      ...routes.map((r) => authorize(r.name, { kind: 'HTTPRoute', name: r.name }, r.clients)),
    ].join('---\n');
  };

  it('(b) a PathPrefix route contained in a broader RegularExpression route loses: client-b gets 403', () => {
    // Linkerd ranks a regex by the whole path length and a prefix by its own length: /api/.* wins /api/admin/x.
    const old = check(precedence, {
      'ns.yaml': LINKERD_NS,
      'web.linkerd.yaml': webLinkerd({ type: 'PathPrefix', value: '/api/admin' }, ['client-b']),
    });
    expect(narrower(old)).toContain('client-b.apps → apps/web:8080');
    expect(old.uncovered.some((d) => d.request.http?.path.startsWith('/api/admin/') && d.linkerd.reason.includes('route web-all-api'))).toBe(true);
    // Corrected: both regexes (the length ties, the name decides) and the inner route carries both sources.
    const fixed = check(precedence, {
      'ns.yaml': LINKERD_NS,
      'web.linkerd.yaml': webLinkerd({ type: 'RegularExpression', value: '/api/admin(/.*)?' }, ['client-a', 'client-b']),
    });
    expect(fixed.differences).toEqual([]);
  });

  it('the request matrix takes paths from the Linkerd routes too: a route OSM never had is asked about', () => {
    // OSM granted client-a /api/ only; a stray route under /internal opens more, at paths no OSM match suggests.
    const report = check(precedence, {
      'ns.yaml': LINKERD_NS,
      'web.linkerd.yaml': webLinkerd({ type: 'RegularExpression', value: '/api/admin(/.*)?' }, ['client-a', 'client-b'], [
        { name: 'web-internal', path: { type: 'PathPrefix', value: '/internal' }, clients: ['client-a'] },
      ]),
    });
    expect(report.uncovered.map((d) => d.request.http?.path)).toContain('/internal');
  });

  // Permissive mode: OSM admitted every mesh client on every route and refused plaintext clients (osm-semantics §6.2).
  const permissive: Files = {
    'ns.yaml': OSM_NS,
    'web.yaml': deployment('web', { app: 'web' }),
    'client.yaml': deployment('client-a', { app: 'client-a' }),
    'svc.yaml': service('web', { app: 'web' }),
  };
  const permissiveNs = namespace('apps', { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'all-authenticated' });

  it('(c) permissive-mode Servers with accessPolicy audit admit plaintext clients OSM refused', () => {
    const old = check(permissive, { 'ns.yaml': permissiveNs, 'web.linkerd.yaml': server('web-http', 'matchLabels: {app: web}', '  accessPolicy: audit\n') }, { mode: 'permissive' });
    expect(wider(old).filter((c) => c.endsWith('apps/web:8080'))).toEqual(['unmeshed → apps/web:8080']);
    expect(old.uncovered.length).toBeGreaterThan(0);
    const fixed = check(permissive, { 'ns.yaml': permissiveNs, 'web.linkerd.yaml': server('web-http', 'matchLabels: {app: web}', '  accessPolicy: all-authenticated\n') }, { mode: 'permissive' });
    expect(fixed.differences.filter((d) => d.request.workload === 'web')).toEqual([]);
  });

  // `osm namespace add` labelled and annotated the namespace in the cluster: the manifest in Git says nothing, but the
  // TrafficTarget shows OSM meshed it.
  const meshedOutsideGit: Files = { ...selectorHole, 'ns.yaml': namespace('apps', {}) };
  const betaOutput = `${server('beta-http', 'matchLabels: {app: web}\n    matchExpressions: [{key: tier, operator: In, values: [beta]}]')}---\n${authorize('beta-http', { kind: 'Server', name: 'beta-http' }, ['client-b'])}`;

  it('(d) a meshed namespace without linkerd.io/inject: injection unknown, and reported as a difference', () => {
    const old = check(meshedOutsideGit, {
      'ns.yaml': namespace('apps', { 'config.linkerd.io/default-inbound-policy': 'deny' }),
      'access.linkerd.yaml': betaOutput,
    });
    expect(old.unknowns).toContainEqual(expect.objectContaining({ kind: 'injection-unknown', namespace: 'apps', workload: 'beta' }));
    // Without a proxy the plaintext client reaches beta, which OSM refused.
    expect(old.uncovered.some((d) => d.request.source.kind === 'unmeshed' && d.request.workload === 'beta' && d.linkerd.reason.startsWith('injection unknown'))).toBe(true);
    const fixed = check(meshedOutsideGit, {
      'ns.yaml': namespace('apps', { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' }),
      'access.linkerd.yaml': betaOutput,
    });
    expect(fixed.differences).toEqual([]);
    expect(fixed.unknowns).toEqual([]);
  });

  it('(d) no Namespace manifest at all: unknown stays a difference, explained only by a finding naming the step', () => {
    const withoutManifest = Object.fromEntries(Object.entries(selectorHole).filter(([path]) => path !== 'ns.yaml'));
    const report = check(withoutManifest, { 'access.linkerd.yaml': betaOutput });
    expect(report.unknowns.filter((u) => u.kind === 'injection-unknown').map((u) => u.kind === 'injection-unknown' && u.workload).sort()).toEqual(['alpha', 'beta', 'client-a', 'client-b']);
    expect(report.uncovered.length).toBeGreaterThan(0);
    const warning = finding('injection/namespace-not-monitored', { file: 'beta.yaml', line: 1 }, {
      message: 'kubectl annotate namespace apps linkerd.io/inject=enabled', affects: [{ namespace: 'apps' }],
    });
    expect(check(withoutManifest, { 'access.linkerd.yaml': betaOutput }, { findings: [warning] }).uncovered).toEqual([]);
  });

  // A TrafficTarget without metadata.namespace, placed by no kustomization: OSM honoured it only where `kubectl -n`
  // applied it, and only if that was its destination's namespace.
  const namespaceLess: Files = {
    'ns.yaml': OSM_NS,
    'web.yaml': deployment('web', { app: 'web' }),
    'client.yaml': deployment('client-a', { app: 'client-a' }),
    'svc.yaml': service('web', { app: 'web' }),
    'access.yaml': `${routeGroup('everything', [{ name: 'all', pathRegex: '.*' }])}---\n${trafficTarget('web', 'web', 'client-a', 'everything', ['all'], '')}`,
  };

  it('(e) a namespace-less TrafficTarget placed in its destination namespace grants what OSM never granted', () => {
    const old = check(namespaceLess, {
      'ns.yaml': LINKERD_NS,
      'access.linkerd.yaml': `${server('web-http', 'matchLabels: {app: web}')}---\n${authorize('web', { kind: 'Server', name: 'web-http' }, ['client-a'])}`,
    });
    expect(wider(old)).toEqual(['client-a.apps → apps/web:8080']);
    expect(old.uncovered.length).toBeGreaterThan(0);
    // Corrected: the generated resources are namespace-less too, and land wherever the file is applied.
    const fixed = check(namespaceLess, {
      'ns.yaml': LINKERD_NS,
      'access.linkerd.yaml': `${server('web-http', 'matchLabels: {app: web}', '', '')}---\n${authorize('web', { kind: 'Server', name: 'web-http' }, ['client-a'], '')}`,
    });
    expect(fixed.differences).toEqual([]);
  });

  it('every pod template is a destination: a pod OSM left out of the mesh and Linkerd injects is compared too', () => {
    const optedOut = deployment('legacy', { app: 'legacy' }).replace('      labels: {app: legacy}', '      labels: {app: legacy}\n      annotations: {openservicemesh.io/sidecar-injection: disabled}');
    const before: Files = { 'ns.yaml': OSM_NS, 'legacy.yaml': optedOut, 'svc.yaml': service('legacy', { app: 'legacy' }) };
    // The OSM annotation removed and nothing put in its place: the namespace's linkerd.io/inject now meshes it.
    const old = check(before, { 'ns.yaml': LINKERD_NS, 'legacy.yaml': optedOut.replace('\n      annotations: {openservicemesh.io/sidecar-injection: disabled}', '') });
    expect(narrower(old)).toContain('unmeshed → apps/legacy:8080');
    const fixed = check(before, { 'ns.yaml': LINKERD_NS, 'legacy.yaml': optedOut.replace('openservicemesh.io/sidecar-injection', 'linkerd.io/inject') });
    expect(fixed.differences).toEqual([]);
  });

  it('a workload whose namespace nobody states is reported, not compared', () => {
    const report = check({ ...namespaceLess, 'loose.yaml': deployment('loose', { app: 'loose' }, 'matchLabels: {app: loose}', '') }, { 'ns.yaml': LINKERD_NS });
    expect(report.unknowns).toContainEqual({ kind: 'namespace-unknown', workload: 'Deployment/loose', file: 'loose.yaml' });
  });
});
