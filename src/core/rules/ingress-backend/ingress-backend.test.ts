import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { docs, httpRouteGroup, namespace as namespaceManifest, trafficTarget } from '../../../../test/support/manifests.ts';
import { repo, inventoryOf } from '../../../../test/support/repo.ts';
import { itMigratesEachFixture } from '../../../../test/support/fixtures.ts';
import { itWithShared, SCHEMAS } from '../../../../test/support/shared.ts';
import type { MeshMode } from '../../inventory/mesh-mode.ts';
import type { LinkerdResource } from '../../linkerd/resources.ts';
import { applyChanges, migrate } from '../../migrate.ts';
import { LINKERD_VERSIONS, resolveOptions, type MigrationOptionsInput } from '../../options.ts';
import { buildInventory } from '../../inventory/inventory.ts';
import { loadRepository } from '../../load/load.ts';
import { verify } from '../../verify/verify.ts';
import { principalAccount, translateIngressBackends } from './ingress-backend.ts';

const SMI: MeshMode = { mode: 'smi', source: 'option' };
const PERMISSIVE: MeshMode = { mode: 'permissive', source: 'option' };

/** A namespace onboarded with `osm namespace add` (label + annotation, block style). */
function namespace(name: string): string {
  return namespaceManifest({ name, monitoredBy: 'osm', injection: 'enabled', block: true });
}

/** A Deployment and its Service (port 80 → targetPort), as in the 0GiS0 bookstore demo (targetPort 3000). */
function app(name: string, ns: string, opts: { sa?: string; port?: number; portName?: string; probe?: string; podAnnotations?: string } = {}): string {
  const port = opts.port ?? 3000;
  const portEntry = opts.portName ? `{name: ${opts.portName}, containerPort: ${port}}` : `{containerPort: ${port}}`;
  return `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
${opts.podAnnotations ? `      annotations:\n${opts.podAnnotations}\n` : ''}    spec:
      serviceAccountName: ${opts.sa ?? name}
      containers:
        - name: ${name}
          ports: [${portEntry}]
${opts.probe ? `          readinessProbe: {httpGet: {path: ${opts.probe}, port: ${port}}}\n` : ''}---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: ${opts.portName ?? port}
`;
}

/** The ingress-nginx controller, installed in the repository (it is usually not). */
function controller(podAnnotations?: string, serviceAccount = 'ingress-nginx'): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: ingress-nginx
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ingress-nginx
${podAnnotations ? `      annotations:\n${podAnnotations}\n` : ''}    spec:
      serviceAccountName: ${serviceAccount}
      containers:
        - name: controller
          ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  selector:
    app.kubernetes.io/name: ingress-nginx
  ports:
    - {name: http, port: 80, targetPort: http}
`;
}

interface Backend {
  name: string;
  port: number;
  protocol?: string;
  tls?: string;
}

function ingressBackend(name: string, ns: string, backends: Backend[], sources: string[], extra = ''): string {
  return `
kind: IngressBackend
apiVersion: policy.openservicemesh.io/v1alpha1
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  backends:
${backends.map((b) => `    - name: ${b.name}
      port:
        number: ${b.port} # targetPort of the service
        protocol: ${b.protocol ?? 'http'}
${b.tls ? `      tls: ${b.tls}\n` : ''}`).join('')}  sources:
${sources.map((s) => `    - ${s}`).join('\n')}
${extra}`;
}

/** The source of the 0GiS0 demo: an ingress-nginx installed by Helm, outside the repository. */
const DEMO_CONTROLLER = '{kind: Service, name: osm-nginx-ingess-ingress-nginx-controller, namespace: ingress-nginx}';
const REPO_CONTROLLER = '{kind: Service, name: ingress-nginx-controller, namespace: ingress-nginx}';

function run(files: Record<string, string>, mode: MeshMode = SMI, options: MigrationOptionsInput = {}) {
  const { inventory } = inventoryOf(files);
  const out = translateIngressBackends({ inventory, options: resolveOptions(options), meshMode: mode });
  const byKind = (kind: string) => out.resources.map((r) => r.resource).filter((r) => r.kind === kind);
  const find = (id: string) => out.findings.filter((f) => f.id === id);
  return { out, byKind, find, ids: [...new Set(out.findings.map((f) => f.id))].sort() };
}

function names(resources: readonly LinkerdResource[]): string[] {
  return resources.map((r) => r.metadata.name).sort();
}

function refsOf(policy: LinkerdResource | undefined): string[] {
  return ((policy?.spec['requiredAuthenticationRefs'] ?? []) as { kind: string; name: string }[]).map((r) => `${r.kind}/${r.name}`);
}

function plan(files: Record<string, string>, options: MigrationOptionsInput = { meshMode: 'smi' }) {
  return migrate(repo(files), options);
}

/** The differences verify found for one request source (`describeSource`). */
function differencesFrom(p: ReturnType<typeof plan>, source: string) {
  return p.verification.differences.filter((d) => (d.request.source.kind === 'ingress' ? d.request.source.label : d.request.source.kind === 'meshed' ? `${d.request.source.serviceAccount}.${d.request.source.namespace}` : d.request.source.kind) === source);
}

/**
 * No HTTP probe here: `probes/open-to-all-networks` covers every source of a probed port, which would hide the
 * differences these tests look for. Probes have their own test.
 */
const BOOKSTORE = {
  'ns.yaml': namespace('bookstore'),
  'bookstore.yaml': app('bookstore', 'bookstore'),
};

describe('IngressBackend → Server + AuthorizationPolicies (osm-semantics §3.1)', () => {
  it('Service source outside the repository (0GiS0 bookstore-external-access): a Server, a policy waiting for the controller identity', () => {
    const { byKind, find, ids } = run({
      ...BOOKSTORE,
      'ingress.yaml': ingressBackend('bookstore-external-access', 'bookstore', [{ name: 'bookstore', port: 3000 }], [DEMO_CONTROLLER]),
    });
    // "port.number is the backend Service's targetPort": the Server selects the pods on 3000, not the Service's 80.
    expect(byKind('Server').map((s) => [s.metadata.name, s.spec])).toEqual([
      ['bookstore-3000', { podSelector: { matchLabels: { app: 'bookstore' } }, port: 3000, proxyProtocol: 'unknown' }],
    ]);
    const [policy] = byKind('AuthorizationPolicy');
    expect(policy?.spec['targetRef']).toEqual({ group: 'policy.linkerd.io', kind: 'Server', name: 'bookstore-3000' });
    expect(refsOf(policy)).toEqual(['MeshTLSAuthentication/osm-nginx-ingess-ingress-nginx-controller-identity']);
    // The MeshTLSAuthentication is the user's to write: it is in the finding, not in the output.
    expect(byKind('MeshTLSAuthentication')).toEqual([]);
    const [missing] = find('ingress-backend/source-service-not-found');
    expect(missing?.message).toContain('kind: MeshTLSAuthentication');
    expect(missing?.message).toContain('metadata: {name: osm-nginx-ingess-ingress-nginx-controller-identity, namespace: bookstore}');
    expect(missing?.message).toContain('namespace: ingress-nginx}');
    expect(missing).toMatchObject({ file: 'ingress.yaml', line: 13, severity: 'warning' });
    // "HTTP backends have no identity check": said, and the controller must be meshed (snippet on the sources).
    expect(ids).toEqual(['ingress-backend/http-source-ip', 'ingress-backend/mesh-controller', 'ingress-backend/source-service-not-found']);
    const [mesh] = find('ingress-backend/mesh-controller');
    expect(mesh?.message).toContain('linkerd.io/inject: ingress');
    expect(mesh).toMatchObject({ file: 'ingress.yaml', line: 12 });
  });

  it('…and verify finds only the controller refused until its identity is filled in, covered by that finding', () => {
    const p = plan({
      ...BOOKSTORE,
      'ingress.yaml': ingressBackend('bookstore-external-access', 'bookstore', [{ name: 'bookstore', port: 3000 }], [DEMO_CONTROLLER]),
    });
    expect(p.verification.uncovered).toEqual([]);
    const controller = differencesFrom(p, 'ingress:service/ingress-nginx/osm-nginx-ingess-ingress-nginx-controller');
    expect(controller.length).toBeGreaterThan(0);
    expect(controller.every((d) => d.osm.allowed && !d.linkerd.allowed && d.coveredBy.includes('ingress-backend/source-service-not-found'))).toBe(true);
  });

  it('Service source in the repository: MeshTLSAuthentication on the ServiceAccount of the pods it selects; the snippet on its Deployment line', () => {
    const { byKind, find } = run({
      ...BOOKSTORE,
      'nginx.yaml': controller(),
      'ingress.yaml': ingressBackend('bookstore-external-access', 'bookstore', [{ name: 'bookstore', port: 3000 }], [REPO_CONTROLLER]),
    });
    expect(byKind('MeshTLSAuthentication').map((m) => [m.metadata.name, m.spec])).toEqual([
      ['bookstore-external-access-controllers', { identityRefs: [{ kind: 'ServiceAccount', name: 'ingress-nginx', namespace: 'ingress-nginx' }] }],
    ]);
    expect(refsOf(byKind('AuthorizationPolicy')[0])).toEqual(['MeshTLSAuthentication/bookstore-external-access-controllers']);
    const [mesh] = find('ingress-backend/mesh-controller');
    expect(mesh).toMatchObject({ file: 'nginx.yaml', line: 2, resource: 'Deployment/ingress-nginx/ingress-nginx-controller' });
    expect(mesh?.message).toContain('ingress-nginx.ingress-nginx');
    expect(find('ingress-backend/source-service-not-found')).toEqual([]);
  });

  it('verify: the unmeshed controller is refused (covered by mesh-controller); once meshed, nothing differs for it', () => {
    const files = {
      ...BOOKSTORE,
      'ingress.yaml': ingressBackend('bookstore-external-access', 'bookstore', [{ name: 'bookstore', port: 3000 }], [REPO_CONTROLLER]),
    };
    const unmeshed = plan({ ...files, 'nginx.yaml': controller() });
    expect(unmeshed.verification.uncovered).toEqual([]);
    const refused = differencesFrom(unmeshed, 'ingress:service/ingress-nginx/ingress-nginx-controller');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((d) => d.coveredBy.includes('ingress-backend/mesh-controller'))).toBe(true);
    const meshed = plan({ ...files, 'nginx.yaml': controller('        linkerd.io/inject: ingress') });
    expect(meshed.verification.uncovered).toEqual([]);
    expect(differencesFrom(meshed, 'ingress:service/ingress-nginx/ingress-nginx-controller')).toEqual([]);
    // The controller identity is also tried as a plain mesh client: OSM held that to TrafficTargets (denied), Linkerd
    // admits it by identity. A real difference, explained by the same finding.
    const asMeshClient = differencesFrom(meshed, 'ingress-nginx.ingress-nginx');
    expect(asMeshClient.length).toBeGreaterThan(0);
    expect(asMeshClient.every((d) => d.coveredBy.includes('ingress-backend/mesh-controller'))).toBe(true);
  });

  it('verify fails when the translation is wrong (policy lost): the check can fail', () => {
    const files = repo({
      ...BOOKSTORE,
      'nginx.yaml': controller('        linkerd.io/inject: ingress'),
      'ingress.yaml': ingressBackend('bookstore-external-access', 'bookstore', [{ name: 'bookstore', port: 3000 }], [REPO_CONTROLLER]),
    });
    const p = migrate(files, { meshMode: 'smi' });
    const migrated = applyChanges(files, p.files);
    const generated = migrated.get('ingress.linkerd.yaml') ?? '';
    expect(generated).toContain('name: bookstore-external-access-controllers');
    // Break the reference: Linkerd ignores an AuthorizationPolicy whose MeshTLSAuthentication does not exist.
    migrated.set('ingress.linkerd.yaml', generated.replace('      name: bookstore-external-access-controllers', '      name: nobody'));
    const { inventory } = buildInventory(loadRepository(files));
    const report = verify({
      inventory, meshMode: SMI, migratedFiles: migrated, linkerdVersion: '2.20', findings: p.findings,
    });
    expect(report.uncovered.length).toBeGreaterThan(0);
    expect(report.uncovered.every((d) => d.request.source.kind === 'ingress' && d.osm.allowed && !d.linkerd.allowed)).toBe(true);
  });
});

describe('AuthenticatedPrincipal and https backends (osm-docs ingress_k8s_nginx, nginx-ingress-osm)', () => {
  const https = (principals: string[], tls = '{skipClientCertValidation: false}') => ({
    ...BOOKSTORE,
    'ingress.yaml': ingressBackend('bookstore', 'bookstore', [{ name: 'bookstore', port: 3000, protocol: 'https', tls }], [
      '{kind: Service, name: "$nginx_ingress_service", namespace: "$nginx_ingress_namespace"}',
      ...principals.map((p) => `{kind: AuthenticatedPrincipal, name: ${p}}`),
    ]),
  });

  it('SAN <sa>.<ns>.cluster.local → identityRefs of that ServiceAccount; the Service only narrowed IPs, so no placeholder', () => {
    const { byKind, find, ids } = run(https(['ingress-nginx.ingress-nginx.cluster.local']));
    expect(byKind('MeshTLSAuthentication').map((m) => m.spec)).toEqual([
      { identityRefs: [{ kind: 'ServiceAccount', name: 'ingress-nginx', namespace: 'ingress-nginx' }] },
    ]);
    expect(refsOf(byKind('AuthorizationPolicy')[0])).toEqual(['MeshTLSAuthentication/bookstore-principals']);
    expect(ids).not.toContain('ingress-backend/source-service-not-found');
    const [steps] = find('ingress-backend/https-backend');
    // Concrete steps: Linkerd terminates mTLS itself, the controller is meshed instead of presenting an OSM cert.
    expect(steps?.message).toContain('ingress-nginx.ingress-nginx.serviceaccount.identity.linkerd.cluster.local');
    expect(steps?.message).toContain('remove backend-protocol HTTPS');
    expect(steps?.message).toContain('Linkerd checks the identity alone');
  });

  it('a principal of another shape (osm-docs "untrusted-client.cluster.local", "client.default.svc.cluster.local") is a finding with a snippet', () => {
    expect(principalAccount('osm-contour-envoy.osm-system.cluster.local')).toEqual({ name: 'osm-contour-envoy', namespace: 'osm-system' });
    expect(principalAccount('untrusted-client.cluster.local')).toBeUndefined();
    expect(principalAccount('client.default.svc.cluster.local')).toBeUndefined();
    expect(principalAccount('osm-contour-envoy.$osm_namespace.cluster.local')).toBeUndefined();
    const { byKind, find } = run(https(['untrusted-client.cluster.local']));
    expect(byKind('AuthorizationPolicy')).toEqual([]);
    const [f] = find('ingress-backend/principal-not-translated');
    expect(f?.message).toContain('kind: MeshTLSAuthentication');
    expect(f?.affects).toEqual([{ namespace: 'bookstore', serviceAccount: 'bookstore', source: 'ingress:principal/untrusted-client.cluster.local' }]);
  });

  it('skipClientCertValidation wildcarded the principals: translated by source like http, with steps', () => {
    const { byKind, find, ids } = run(https(['untrusted-client.cluster.local'], '{skipClientCertValidation: true, sniHosts: [httpbin.org]}'));
    expect(ids).toContain('ingress-backend/skip-client-cert-validation');
    expect(ids).not.toContain('ingress-backend/principal-not-translated');
    expect(find('ingress-backend/skip-client-cert-validation')[0]?.message).toContain('send plain HTTP');
    // The Service source is the controller again (IP-only check), here outside the repository.
    expect(refsOf(byKind('AuthorizationPolicy')[0])).toEqual([expect.stringMatching(/^MeshTLSAuthentication\/nginx-ingress-service-identity-[a-z0-9]+$/)]);
    expect(ids).toContain('ingress-backend/source-service-not-found');
    expect(find('ingress-backend/sni-hosts')[0]?.message).toContain('httpbin.org');
  });

  it('https without AuthenticatedPrincipal accepted any valid OSM certificate: any meshed identity, ANDed with the IPRange', () => {
    const files = {
      ...BOOKSTORE,
      'ingress.yaml': ingressBackend('bookstore', 'bookstore', [{ name: 'bookstore', port: 3000, protocol: 'https', tls: '{skipClientCertValidation: false}' }], ['{kind: IPRange, name: 172.16.0.0/12}']),
    };
    const { byKind } = run(files);
    expect(refsOf(byKind('AuthorizationPolicy')[0])).toEqual(['MeshTLSAuthentication/any-meshed-client', 'NetworkAuthentication/bookstore-networks']);
    const p = plan(files);
    expect(p.verification.uncovered).toEqual([]);
    // The unmeshed client in the range had no OSM certificate: refused by both.
    expect(p.verification.differences.filter((d) => d.request.source.kind === 'unmeshed')).toEqual([]);
  });

  it('https principal + IPRange only: identity AND network in one policy, so nothing else gets in', () => {
    const files = {
      ...BOOKSTORE,
      'ingress.yaml': ingressBackend('bookstore', 'bookstore', [{ name: 'bookstore', port: 3000, protocol: 'https', tls: '{skipClientCertValidation: false}' }], [
        '{kind: AuthenticatedPrincipal, name: ingress-nginx.ingress-nginx.cluster.local}', '{kind: IPRange, name: 172.16.0.0/12}',
      ]),
    };
    expect(refsOf(run(files).byKind('AuthorizationPolicy')[0])).toEqual(['MeshTLSAuthentication/bookstore-principals', 'NetworkAuthentication/bookstore-networks']);
    const p = plan(files);
    expect(p.verification.uncovered).toEqual([]);
    expect(differencesFrom(p, 'ingress:principal/ingress-nginx.ingress-nginx.cluster.local')).toEqual([]);
  });

  it('verify: https principals in the repository and out, every difference covered', () => {
    const p = plan({
      ...https(['ingress-nginx.ingress-nginx.cluster.local', 'untrusted-client.cluster.local']),
      'nginx.yaml': controller('        linkerd.io/inject: ingress'),
    });
    expect(p.verification.uncovered).toEqual([]);
    // OSM also required the Service's endpoint IPs: a client presenting the principal from elsewhere now gets in.
    const elsewhere = differencesFrom(p, 'ingress:principal/ingress-nginx.ingress-nginx.cluster.local');
    expect(elsewhere.some((d) => d.request.source.ip === '192.0.2.10' && !d.osm.allowed && d.linkerd.allowed)).toBe(true);
    const untrusted = differencesFrom(p, 'ingress:principal/untrusted-client.cluster.local');
    expect(untrusted.every((d) => d.coveredBy.includes('ingress-backend/principal-not-translated'))).toBe(true);
  });
});

describe('https: the SAN came from MeshConfig certificate.ingressGateway, not the controller ServiceAccount (osm-semantics §3.1, §4.1)', () => {
  // The corpus nginx https shape: the Service source and the SAN, here with the controller running as `ctrl`.
  const files = (annotations?: string) => ({
    ...BOOKSTORE,
    'nginx.yaml': controller(annotations, 'ctrl'),
    'ingress.yaml': ingressBackend('bookstore', 'bookstore', [{ name: 'bookstore', port: 3000, protocol: 'https', tls: '{skipClientCertValidation: false}' }], [
      REPO_CONTROLLER, '{kind: AuthenticatedPrincipal, name: ingress-nginx.ingress-nginx.cluster.local}',
    ]),
  });

  it('authorizes the ServiceAccount of the controller pods OSM admitted, says the SAN spells another, lists only what is authorized', () => {
    const { byKind, find } = run(files());
    expect(byKind('MeshTLSAuthentication').map((m) => [m.metadata.name, m.spec])).toEqual([
      ['bookstore-controllers', { identityRefs: [{ kind: 'ServiceAccount', name: 'ctrl', namespace: 'ingress-nginx' }] }],
    ]);
    expect(byKind('AuthorizationPolicy').map((a) => [a.metadata.name, refsOf(a)])).toEqual([
      ['bookstore-3000-ingress-controllers', ['MeshTLSAuthentication/bookstore-controllers']],
    ]);
    const [differs] = find('ingress-backend/principal-not-controller');
    expect(differs).toMatchObject({ severity: 'warning', file: 'ingress.yaml', line: 15 });
    expect(differs?.message).toContain('spells ServiceAccount ingress-nginx/ingress-nginx');
    expect(differs?.message).toContain('certificate.ingressGateway');
    expect(differs?.message).toContain('authorize ctrl.ingress-nginx (MeshTLSAuthentication bookstore-controllers), not ingress-nginx.ingress-nginx.');
    const [https] = find('ingress-backend/https-backend');
    expect(https?.message).toContain('ctrl.ingress-nginx.serviceaccount.identity.linkerd.cluster.local');
    expect(https?.message).not.toContain('ingress-nginx.ingress-nginx.serviceaccount');
    const [mesh] = find('ingress-backend/mesh-controller');
    expect(mesh?.message).toContain('(ctrl.ingress-nginx)');
    expect(mesh?.message).not.toContain('ingress-nginx.ingress-nginx');
  });

  it('the same SAN and ServiceAccount: no extra finding; with an IPRange the SAN account is kept for that range only', () => {
    const same = run({ ...files(), 'nginx.yaml': controller() });
    expect(same.find('ingress-backend/principal-not-controller')).toEqual([]);
    expect(same.byKind('MeshTLSAuthentication').map((m) => m.metadata.name)).toEqual(['bookstore-controllers']);
    const withRange = (annotations?: string) => ({
      ...files(annotations),
      'ingress.yaml': ingressBackend('bookstore', 'bookstore', [{ name: 'bookstore', port: 3000, protocol: 'https', tls: '{skipClientCertValidation: false}' }], [
        REPO_CONTROLLER, '{kind: AuthenticatedPrincipal, name: ingress-nginx.ingress-nginx.cluster.local}', '{kind: IPRange, name: 10.0.0.0/8}',
      ]),
    });
    const ranged = run(withRange());
    expect(ranged.byKind('AuthorizationPolicy').map((a) => [a.metadata.name, refsOf(a)])).toEqual([
      ['bookstore-3000-ingress-controllers', ['MeshTLSAuthentication/bookstore-controllers']],
      ['bookstore-3000-ingress-principals', ['MeshTLSAuthentication/bookstore-principals', 'NetworkAuthentication/bookstore-networks']],
    ]);
    expect(ranged.find('ingress-backend/principal-not-controller')[0]?.message).toContain('for the clients OSM admitted from elsewhere (IPRange 10.0.0.0/8), ingress-nginx.ingress-nginx');
    expect(plan(withRange('        linkerd.io/inject: ingress')).verification.uncovered).toEqual([]);
  });

  it('verify: OSM admitted the controller (it presented the listed SAN) and so does Linkerd once it is meshed', () => {
    const meshed = plan(files('        linkerd.io/inject: ingress'));
    expect(meshed.verification.uncovered).toEqual([]);
    expect(differencesFrom(meshed, 'ingress:service/ingress-nginx/ingress-nginx-controller')).toEqual([]);
    // A client presenting the SAN from elsewhere was outside the Service endpoints: refused by both.
    expect(differencesFrom(meshed, 'ingress:principal/ingress-nginx.ingress-nginx.cluster.local')).toEqual([]);
    const unmeshed = plan(files());
    expect(unmeshed.verification.uncovered).toEqual([]);
    const refused = differencesFrom(unmeshed, 'ingress:service/ingress-nginx/ingress-nginx-controller');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((d) => d.osm.allowed && !d.linkerd.allowed && d.coveredBy.includes('ingress-backend/mesh-controller'))).toBe(true);
  });

  it('verify fails for the old output (identity spelled from the SAN): the meshed controller is refused, uncovered', () => {
    const input = repo(files('        linkerd.io/inject: ingress'));
    const p = migrate(input, { meshMode: 'smi' });
    const migrated = applyChanges(input, p.files);
    const generated = migrated.get('ingress.linkerd.yaml') ?? '';
    expect(generated).toContain('name: ctrl');
    migrated.set('ingress.linkerd.yaml', generated.replace('name: ctrl', 'name: ingress-nginx'));
    const { inventory } = buildInventory(loadRepository(input));
    const report = verify({ inventory, meshMode: SMI, migratedFiles: migrated, linkerdVersion: '2.20', findings: p.findings });
    const controller = report.uncovered.filter((d) => d.request.source.kind === 'ingress' && d.request.source.label === 'ingress:service/ingress-nginx/ingress-nginx-controller');
    expect(controller.length).toBeGreaterThan(0);
    expect(controller.every((d) => d.osm.allowed && !d.linkerd.allowed)).toBe(true);
  });
});

describe('IPRange and open backends', () => {
  it('IPRange (aks-docs httpbin, 10.0.0.0/8) → NetworkAuthentication; meshed pods in the range now get in, said and covered', () => {
    const files = {
      ...BOOKSTORE,
      'ingress.yaml': ingressBackend('bookstore', 'bookstore', [{ name: 'bookstore', port: 3000 }], ['{kind: IPRange, name: 10.0.0.0/8}']),
    };
    const { byKind, ids } = run(files);
    expect(byKind('NetworkAuthentication').map((n) => [n.metadata.name, n.spec])).toEqual([['bookstore-networks', { networks: [{ cidr: '10.0.0.0/8' }] }]]);
    expect(refsOf(byKind('AuthorizationPolicy')[0])).toEqual(['NetworkAuthentication/bookstore-networks']);
    expect(ids).toContain('ingress-backend/ip-range');
    const p = plan(files);
    expect(p.verification.uncovered).toEqual([]);
    const inRange = p.verification.differences.filter((d) => d.request.source.kind === 'meshed' && d.request.port === 3000);
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange.every((d) => !d.osm.allowed && d.linkerd.allowed && d.coveredBy.includes('ingress-backend/ip-range'))).toBe(true);
    // Unmeshed clients: inside the range allowed by both, outside refused by both.
    expect(p.verification.differences.filter((d) => d.request.source.kind === 'unmeshed')).toEqual([]);
  });

  it('no Service or IPRange source on http: "ingress is open" kept equivalent (every network, unauthenticated) with a warning', () => {
    const files = {
      ...BOOKSTORE,
      'ingress.yaml': ingressBackend('bookstore', 'bookstore', [{ name: 'bookstore', port: 3000 }], ['{kind: AuthenticatedPrincipal, name: ingress-nginx.ingress-nginx.cluster.local}']),
    };
    const { byKind, find } = run(files);
    expect(byKind('NetworkAuthentication').map((n) => n.spec)).toEqual([{ networks: [{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }] }]);
    expect(byKind('MeshTLSAuthentication')).toEqual([]);
    expect(find('ingress-backend/open-to-all')[0]).toMatchObject({ severity: 'warning' });
    // "HTTP backends have no identity check": the principal had no effect and is not translated.
    expect(find('ingress-backend/http-source-ip')[0]?.message).toContain('had no effect');
    const p = plan(files);
    expect(p.verification.uncovered).toEqual([]);
  });
});

describe('OSM behaviours that change nothing or everything', () => {
  it('spec.matches was never implemented (TODO #3779): all routes, and a finding', () => {
    const { find, byKind } = run({
      ...BOOKSTORE,
      'ingress.yaml': ingressBackend('bookstore', 'bookstore', [{ name: 'bookstore', port: 3000 }], [DEMO_CONTROLLER],
        '  matches:\n    - {apiGroup: specs.smi-spec.io/v1alpha4, kind: HTTPRouteGroup, name: only-books}'),
    });
    expect(find('ingress-backend/matches-not-implemented')).toHaveLength(1);
    expect(byKind('HTTPRoute')).toEqual([]);
  });

  it('port.number must be the targetPort: the Service port (80) matched nothing in OSM, so nothing is generated', () => {
    const { out, find } = run({
      ...BOOKSTORE,
      'ingress.yaml': ingressBackend('bookstore', 'bookstore', [{ name: 'bookstore', port: 80 }], [DEMO_CONTROLLER]),
    });
    expect(out.resources).toEqual([]);
    expect(find('ingress-backend/port-not-target-port')[0]?.message).toContain('80→3000');
  });

  it.each([
    ['a protocol other than http/https', [{ name: 'bookstore', port: 3000, protocol: 'tcp' }], [DEMO_CONTROLLER], 'port.protocol'],
    ['https skipping validation without principal (the inverted webhook check)', [{ name: 'bookstore', port: 3000, protocol: 'https', tls: '{skipClientCertValidation: true}' }], [DEMO_CONTROLLER], 'inverted'],
    ['a Service source without namespace', [{ name: 'bookstore', port: 3000 }], ['{kind: Service, name: nginx}'], 'no namespace'],
    ['an IPRange that is not a CIDR', [{ name: 'bookstore', port: 3000 }], ['{kind: IPRange, name: 10.0.0.1}'], 'not a CIDR'],
  ])('rejected by OSM\'s webhook: %s', (_what, backends, sources, reason) => {
    const { out, find } = run({ ...BOOKSTORE, 'ingress.yaml': ingressBackend('bookstore', 'bookstore', backends, sources) });
    expect(out.resources).toEqual([]);
    expect(find('ingress-backend/rejected-by-osm')[0]?.message).toContain(reason);
  });

  it('"Only one IngressBackend may claim a given backend": the second is refused; a same-named later document replaces', () => {
    const one = ingressBackend('first', 'bookstore', [{ name: 'bookstore', port: 3000 }], [DEMO_CONTROLLER]);
    const two = ingressBackend('second', 'bookstore', [{ name: 'bookstore', port: 3000 }], ['{kind: IPRange, name: 10.0.0.0/8}']);
    const dup = run({ ...BOOKSTORE, 'a.yaml': one, 'b.yaml': two });
    expect(dup.find('ingress-backend/rejected-by-osm').map((f) => f.resource)).toEqual(['IngressBackend/bookstore/second']);
    expect(dup.byKind('NetworkAuthentication')).toEqual([]);
    const replaced = run({ ...BOOKSTORE, 'a.yaml': one, 'b.yaml': two.replace('name: second', 'name: first') });
    expect(replaced.find('ingress-backend/rejected-by-osm')[0]).toMatchObject({ file: 'a.yaml' });
    expect(replaced.byKind('NetworkAuthentication')).toHaveLength(1);
    expect(plan({ ...BOOKSTORE, 'a.yaml': one, 'b.yaml': two }).verification.uncovered).toEqual([]);
  });

  it('backend Service not in the repository (osm-docs httpbin): policies for a Server the user creates from the snippet', () => {
    const { byKind, find } = run({
      'ingress.yaml': ingressBackend('httpbin', 'httpbin', [{ name: 'httpbin', port: 14001 }], ['{kind: Service, namespace: traefik, name: traefik}']),
    });
    expect(byKind('Server')).toEqual([]);
    expect((byKind('AuthorizationPolicy')[0]?.spec['targetRef'] as { name: string }).name).toBe('httpbin-14001');
    const [f] = find('ingress-backend/backend-not-found');
    expect(f).toMatchObject({ severity: 'error', file: 'ingress.yaml', line: 8 });
    expect(f?.message).toContain('kind: Server');
    expect(f?.message).toContain('port: 14001');
  });
});

describe('one Server per workload port, shared with traffic-target', () => {
  const GROUP = httpRouteGroup({
    name: 'routes', namespace: 'bookstore', matches: [{ name: 'everything', pathRegex: '.*' }, { name: 'books', pathRegex: '/books', methods: ['GET'] }],
  });
  const TARGET = trafficTarget({
    name: 'buyers', namespace: 'bookstore', destination: 'bookstore', sources: [{ name: 'bookbuyer', namespace: 'bookbuyer' }],
    rules: [{ name: 'routes', matches: ['everything', 'books'] }],
  });
  const files = {
    ...BOOKSTORE,
    'bookstore.yaml': app('bookstore', 'bookstore', { portName: 'http' }),
    'nginx.yaml': controller('        linkerd.io/inject: ingress'),
    'access.yaml': docs(GROUP, TARGET),
    'ingress.yaml': ingressBackend('bookstore-external-access', 'bookstore', [{ name: 'bookstore', port: 3000 }], [REPO_CONTROLLER]),
  };

  /** The same TrafficTarget without the `.*` match: no TrafficTarget route matches every request. */
  const booksOnly = { ...files, 'access.yaml': docs(GROUP.replace('    - {name: everything, pathRegex: ".*"}\n', ''), TARGET.replace('matches: [everything, books]', 'matches: [books]')) };

  it('the AuthorizationPolicy targets traffic-target\'s Server; a catch-all route lets the controller reach every path', () => {
    const { byKind, ids, find } = run(booksOnly);
    expect(byKind('Server')).toEqual([]);
    expect((byKind('AuthorizationPolicy')[0]?.spec['targetRef'] as { name: string }).name).toBe('bookstore-http');
    expect(names(byKind('HTTPRoute'))).toEqual(['bookstore-http-zz-ingress']);
    expect(ids).toContain('ingress-backend/shared-server');
    expect(find('ingress-backend/shared-server')[0]?.message).toContain('catch-all route bookstore-http-zz-ingress');
    const p = plan(booksOnly);
    const servers = p.resources.filter((r) => r.resource.kind === 'Server').map((r) => r.resource.metadata.name);
    expect(servers).toEqual(['bookstore-http']);
    // GET /books picks the TrafficTarget route (longer path, a method): nothing ties with the catch-all.
    expect(p.verification.uncovered).toEqual([]);
    expect(differencesFrom(p, 'bookbuyer.bookbuyer')).toEqual([]);
    expect(differencesFrom(p, 'ingress:service/ingress-nginx/ingress-nginx-controller')).toEqual([]);
  });

  it('a TrafficTarget route matching every request (pathRegex ".*", no method): no catch-all to tie with it; the controller goes through it', () => {
    const { byKind, find } = run(files);
    expect(byKind('HTTPRoute')).toEqual([]);
    const [shared] = find('ingress-backend/shared-server');
    expect(shared?.message).toContain('Match routes/everything already gives it a route for every request');
    expect(shared?.message).toContain('no catch-all route is added');
    const p = plan(files);
    expect(p.resources.filter((r) => r.resource.kind === 'HTTPRoute').map((r) => r.resource.metadata.name).sort())
      .toEqual(['bookstore-http-8-routes-books', 'bookstore-http-routes-everything']);
    expect(p.verification.uncovered).toEqual([]);
    // bookbuyer keeps its any-path route; the server-level ingress policy admits the controller on it.
    expect(differencesFrom(p, 'bookbuyer.bookbuyer')).toEqual([]);
    expect(differencesFrom(p, 'ingress:service/ingress-nginx/ingress-nginx-controller')).toEqual([]);
  });

  it('verify flags the old catch-all that tied with the ".*" route: Linkerd orders ties by creation time first, so the name does not settle it', () => {
    const input = repo(files);
    const p = migrate(input, { meshMode: 'smi' });
    const migrated = applyChanges(input, p.files);
    // What the rule emitted before: a catch-all in the IngressBackend's file, ranking the same as the ".*" route.
    const old = `---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: bookstore-http-zz-ingress, namespace: bookstore}
spec:
  parentRefs: [{group: policy.linkerd.io, kind: Server, name: bookstore-http}]
  rules: [{matches: [{path: {type: PathPrefix, value: /}}]}]
`;
    migrated.set('ingress.linkerd.yaml', `${migrated.get('ingress.linkerd.yaml') ?? ''}${old}`);
    const { inventory } = buildInventory(loadRepository(input));
    const report = verify({ inventory, meshMode: SMI, migratedFiles: migrated, linkerdVersion: '2.20', findings: p.findings });
    const bookbuyer = report.uncovered.filter((d) => d.request.source.kind === 'meshed' && d.request.source.serviceAccount === 'bookbuyer');
    expect(bookbuyer.length).toBeGreaterThan(0);
    expect(bookbuyer.every((d) => d.osm.allowed && !d.linkerd.allowed && d.linkerd.reason.includes('ambiguous'))).toBe(true);
  });

  it.each(['permissive', 'smi'] as const)('verify: %s mode on every version, with the shared or the own Server', (meshMode) => {
    for (const linkerdVersion of ['2.12', '2.15', '2.16', '2.20'] as const) {
      const p = plan(files, { meshMode, linkerdVersion });
      expect(p.verification.uncovered, linkerdVersion).toEqual([]);
      expect(differencesFrom(p, 'ingress:service/ingress-nginx/ingress-nginx-controller'), linkerdVersion).toEqual([]);
    }
  });
});

describe('permissive mode (IngressBackend still applies, §6.2)', () => {
  it('the new Server also admits every meshed identity; verify agrees on every version', () => {
    const files = {
      ...BOOKSTORE,
      'other.yaml': app('bookbuyer', 'bookstore', { port: 8080 }),
      'ingress.yaml': ingressBackend('bookstore', 'bookstore', [{ name: 'bookstore', port: 3000 }], ['{kind: IPRange, name: 192.168.0.0/16}']),
    };
    const { byKind, ids } = run(files, PERMISSIVE);
    expect(names(byKind('AuthorizationPolicy'))).toEqual(['bookstore-3000-all-meshed', 'bookstore-3000-ingress-networks']);
    expect(byKind('MeshTLSAuthentication').map((m) => m.spec)).toEqual([{ identities: ['*'] }]);
    expect(ids).toContain('ingress-backend/permissive-mesh-clients');
    for (const linkerdVersion of ['2.12', '2.15', '2.16', '2.20'] as const) {
      const p = plan(files, { meshMode: 'permissive', linkerdVersion });
      // Unmeshed clients outside the range: refused by OSM's chain and by the Server (not the install's allow-all).
      expect(p.verification.uncovered.filter((d) => d.request.port === 3000), linkerdVersion).toEqual([]);
    }
  });

  it('kubelet probes still pass: the Server has no route, so Linkerd keeps its probe route (linkerd-semantics §2.6)', () => {
    for (const meshMode of ['smi', 'permissive'] as const) {
      const p = plan({
        ...BOOKSTORE,
        'bookstore.yaml': app('bookstore', 'bookstore', { probe: '/ready' }),
        'ingress.yaml': ingressBackend('bookstore', 'bookstore', [{ name: 'bookstore', port: 3000 }], [DEMO_CONTROLLER]),
      }, { meshMode });
      const probes = p.verification.differences.filter((d) => d.request.source.kind === 'kubelet');
      expect(probes, meshMode).toEqual([]);
      // Other clients may GET the probe path too (Linkerd's probe route is unauthenticated): said on the workload.
      expect(p.findings.some((f) => f.id === 'probes/open-to-all-networks' && f.message.includes('Server bookstore-3000')), meshMode).toBe(true);
      expect(p.verification.uncovered, meshMode).toEqual([]);
    }
  });

  itWithShared('every resource the rule emits validates against the CRDs of every Linkerd version 2.12–2.20', () => {
    const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    const served = readFileSync(join(SCHEMAS, 'SOURCES.tsv'), 'utf8').split('\n').map((l) => l.split('\t')).filter((c) => c[3] === 'true').map((c) => c[0]);
    const scenarios = [
      { files: { ...BOOKSTORE, 'ingress.yaml': ingressBackend('b', 'bookstore', [{ name: 'bookstore', port: 3000, protocol: 'https', tls: '{skipClientCertValidation: false}' }], ['{kind: IPRange, name: 10.0.0.0/8}']) }, mode: PERMISSIVE },
      { files: { ...BOOKSTORE, 'nginx.yaml': controller(), 'ingress.yaml': ingressBackend('b', 'bookstore', [{ name: 'bookstore', port: 3000 }], [REPO_CONTROLLER, DEMO_CONTROLLER]) }, mode: SMI },
      { files: { ...BOOKSTORE, 'ingress.yaml': ingressBackend('b', 'bookstore', [{ name: 'bookstore', port: 3000 }], []) }, mode: SMI },
    ];
    let checked = 0;
    for (const version of LINKERD_VERSIONS) {
      for (const s of scenarios) {
        for (const { resource } of run(s.files, s.mode, { linkerdVersion: version }).out.resources) {
          const file = `linkerd-${version}/${resource.apiVersion.replace('/', '_')}_${resource.kind}.json`;
          expect(served, file).toContain(file);
          const validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object);
          expect(validate(JSON.parse(JSON.stringify(resource))), `${file}: ${ajv.errorsText(validate.errors)}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

// Golden fixture: an unmeshed ingress-nginx controller allowed to bookstore's port (see test/support/fixtures.ts).
// Each also passes verify: some requests asked, none unexplained.
describe('fixtures', () => {
  itMigratesEachFixture(new URL('./fixtures/', import.meta.url));
});
