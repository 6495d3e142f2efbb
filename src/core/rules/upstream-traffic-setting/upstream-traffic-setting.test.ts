import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployment, docs, httpRouteGroup, ingressBackend, namespace, trafficTarget } from '../../../../test/support/manifests.ts';
import { schemaProblems } from '../../../../test/support/crd-schemas.ts';
import { inventoryOf } from '../../../../test/support/repo.ts';
import { CORPUS, describeWithShared, itWithShared } from '../../../../test/support/shared.ts';
import { migrate } from '../../index.ts';
import type { MeshMode } from '../../inventory/mesh-mode.ts';
import { limitLosses, perSecond } from './rate-limit.ts';
import { LINKERD_VERSIONS, resolveOptions, type MigrationOptionsInput } from '../../options.ts';
import { translateIngressBackends } from '../ingress-backend/ingress-backend.ts';
import { translateTrafficTargets } from '../traffic-target/traffic-target.ts';
import { translateUpstreamTrafficSettings } from './upstream-traffic-setting.ts';

const PERMISSIVE: MeshMode = { mode: 'permissive', source: 'option' };
const SMI: MeshMode = { mode: 'smi', source: 'option' };

const corpus = (path: string) => readFileSync(join(CORPUS, path), 'utf8');

/** The fortio Service and Deployment the osm-docs rate-limit demos deploy in namespace demo. */
const FORTIO = `
apiVersion: v1
kind: Service
metadata:
  name: fortio
  namespace: demo
  annotations:
    team: perf
spec:
  selector: {app: fortio}
  ports:
    - {name: http-fortio, port: 8080, targetPort: http}
    - {name: tcp-echo, port: 8078, appProtocol: tcp}
---
${deployment({ name: 'fortio', namespace: 'demo', ports: [{ name: 'http', containerPort: 8080 }, 8078] })}`;

function setting(spec: string, name = 'http-rate-limit', ns = 'demo') {
  return `
apiVersion: policy.openservicemesh.io/v1alpha1
kind: UpstreamTrafficSetting
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec}`;
}

function run(files: Record<string, string>, options: MigrationOptionsInput = {}, meshMode: MeshMode = PERMISSIVE) {
  const { inventory } = inventoryOf(files);
  const input = { inventory, options: resolveOptions(options), meshMode };
  const out = translateUpstreamTrafficSettings(input);
  return {
    input,
    out,
    resources: out.resources.map((r) => r.resource),
    ids: out.findings.map((f) => f.id).sort(),
    messages: out.findings.map((f) => `${f.id} ${f.message}`),
    edits: out.edits.map((e) => ({ ...e, doc: e.doc.file })),
  };
}


describeWithShared('HTTP local rate limits', () => {
  // osm-semantics §3.3: "spec.rateLimit.local.http.{requests, unit, burst, responseStatusCode (default 429),
  // responseHeadersToAdd[]} is applied at the upstream's inbound virtual-host level".
  const demo = corpus('openservicemesh_osm-docs/content__en__docs__demos__local_rate_limit_http.md.extracted.yaml').split('---\n')[1] ?? '';

  it('becomes an HTTPLocalRateLimitPolicy on the Server of the pod port, rounded up to whole requests per second', () => {
    const { resources, ids, messages } = run({ 'app.yaml': FORTIO, 'limit.yaml': demo });
    expect(resources).toEqual([
      {
        apiVersion: 'policy.linkerd.io/v1beta3',
        kind: 'Server',
        metadata: { name: 'fortio-http', namespace: 'demo', labels: { 'app.kubernetes.io/managed-by': 'osm2linkerd' } },
        // Permissive mode: OSM allowed every meshed client (osm-semantics §6.2), so the Server that carries the limit does too.
        spec: { podSelector: { matchLabels: { app: 'fortio' } }, port: 'http', proxyProtocol: 'HTTP/1', accessPolicy: 'all-authenticated' },
      },
      {
        apiVersion: 'policy.linkerd.io/v1alpha1',
        kind: 'HTTPLocalRateLimitPolicy',
        metadata: { name: 'http-rate-limit-fortio-http', namespace: 'demo', labels: { 'app.kubernetes.io/managed-by': 'osm2linkerd' } },
        spec: { targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'fortio-http' }, total: { requestsPerSecond: 1 } },
      },
    ]);
    expect(ids).toEqual(['upstream-traffic-setting/rate-limit', 'upstream-traffic-setting/rate-limit-approximated']);
    expect(messages.find((m) => m.includes('approximated'))).toContain('3 requests per minute is not a whole number per second: requestsPerSecond 1 lets up to 60 through per minute');
    expect(messages.find((m) => m.includes('approximated'))).toContain('burst 10');
  });

  // linkerd-reference §1: HTTPLocalRateLimitPolicy v1alpha1 is served from 2.17.
  it.each(LINKERD_VERSIONS)('Linkerd %s: valid where it exists, a finding before 2.17', (version) => {
    const { resources, ids } = run({ 'app.yaml': FORTIO, 'limit.yaml': demo }, { linkerdVersion: version });
    expect(schemaProblems(version, resources)).toEqual([]);
    const supported = ['2.17', '2.18', '2.19', '2.20'].includes(version);
    expect({ kinds: resources.map((r) => r.kind), unavailable: ids.includes('upstream-traffic-setting/rate-limit-unavailable') }).toEqual(
      supported ? { kinds: ['Server', 'HTTPLocalRateLimitPolicy'], unavailable: false } : { kinds: [], unavailable: true },
    );
  });

  it('keeps OSM\'s status code and headers as named losses, and an exact per-second rate as is', () => {
    const { resources, messages } = run({
      'app.yaml': FORTIO,
      'limit.yaml': setting(`
  host: fortio.demo.svc.cluster.local
  rateLimit:
    local:
      http:
        requests: 120
        unit: minute
        responseStatusCode: 503
        responseHeadersToAdd: [{name: x-limited, value: "yes"}]`),
    });
    expect(resources[1]?.spec).toMatchObject({ total: { requestsPerSecond: 2 } });
    const losses = messages.find((m) => m.startsWith('upstream-traffic-setting/rate-limit-approximated')) ?? '';
    expect(losses).not.toContain('whole number');
    expect(losses).toContain('responseStatusCode 503: Linkerd always answers 429');
    expect(losses).toContain('responseHeadersToAdd (x-limited: yes)');
  });

  // osm-semantics §3.3: "`path` is matched by string equality with the route's path regex ... `.*` in permissive mode".
  it('translates a per-route limit on ".*" in permissive mode as the Server\'s, replacing the virtual-host limit', () => {
    const osmEdge = corpus('flomesh-io_osm-edge/demo__deploy-traffic-ratelimit.sh.heredoc.yaml').replace('bookstore.bookstore', 'fortio.demo').replace('namespace: bookstore', 'namespace: demo');
    const { resources, ids, messages } = run({ 'app.yaml': FORTIO, 'limit.yaml': osmEdge });
    expect(resources.find((r) => r.kind === 'HTTPLocalRateLimitPolicy')?.spec['total']).toEqual({ requestsPerSecond: 1 });
    expect(messages).toContainEqual(expect.stringContaining('rateLimit.local.http of UpstreamTrafficSetting/demo/http-rate-limit (8 per minute) limited no request of fortio: httpRoutes[0].rateLimit.local replaced it'));
    // Every other field of the osm-edge demo is named: the TCP limit and the fork's per-header limits.
    expect(ids).toEqual(expect.arrayContaining(['upstream-traffic-setting/tcp-rate-limit', 'upstream-traffic-setting/unreleased-field']));
    expect(messages.find((m) => m.startsWith('upstream-traffic-setting/unreleased-field'))).toContain('httpHeaders[0].headers[0].name: "header-a"');
  });

  it('in permissive mode, a per-route path other than ".*" matched no route and is not translated', () => {
    const { resources, messages } = run({
      'app.yaml': FORTIO,
      'limit.yaml': setting(`
  host: fortio.demo.svc.cluster.local
  httpRoutes:
    - path: /echo
      rateLimit: {local: {requests: 3, unit: second}}`),
    });
    expect(resources).toEqual([]);
    expect(messages).toEqual([expect.stringMatching(/^upstream-traffic-setting\/route-rate-limit .*only inbound route on fortio has path "\.\*"/)]);
  });
});

describe('in SMI mode, with TrafficTargets', () => {
  const GROUP = docs(
    httpRouteGroup({ name: 'fortio-routes', namespace: 'demo', matches: [{ name: 'echo', pathRegex: '/echo', methods: ['GET'] }, { name: 'all', pathRegex: '.*' }] }),
    trafficTarget({ name: 'fortio', namespace: 'demo', destination: 'fortio', sources: ['client'], rules: [{ name: 'fortio-routes', matches: ['echo', 'all'] }] }),
  );
  const LIMIT = setting(`
  host: fortio.demo.svc.cluster.local
  rateLimit:
    local:
      http: {requests: 10, unit: second}
  httpRoutes:
    - path: /echo
      rateLimit: {local: {requests: 1, unit: second}}
    - path: /nope
      rateLimit: {local: {requests: 1, unit: second}}`);

  it('targets the Server traffic-target generates, and names the HTTPRoute a per-route limit covered', () => {
    const files = { 'app.yaml': FORTIO, 'tt.yaml': GROUP, 'limit.yaml': LIMIT };
    const { input, resources, messages } = run(files, {}, SMI);
    const targetOutput = translateTrafficTargets(input).resources.map((r) => r.resource);
    // No second Server: the policy points at the one traffic-target generates for the same pod port.
    expect(resources.map((r) => r.kind)).toEqual(['HTTPLocalRateLimitPolicy']);
    expect(resources[0]?.spec).toEqual({ targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'fortio-http' }, total: { requestsPerSecond: 10 } });
    expect(targetOutput.filter((r) => r.kind === 'Server').map((r) => r.metadata.name)).toContain('fortio-http');
    const routeMessage = messages.find((m) => m.includes('(path "/echo")')) ?? '';
    const echoRoute = targetOutput.find((r) => r.kind === 'HTTPRoute' && JSON.stringify(r.spec).includes('"/echo"'));
    expect(echoRoute).toBeDefined();
    expect(routeMessage).toContain(`${echoRoute?.metadata.name ?? '?'} (fortio-routes/echo on Server fortio-http)`);
    expect(routeMessage).toContain('get the Server-wide limit from rateLimit.local.http');
    expect(messages.find((m) => m.includes('(path "/nope")'))).toContain('equals no pathRegex of the HTTPRouteGroup matches allowed to fortio');
  });

  it('without a TrafficTarget, generates a Server that keeps the default deny', () => {
    const { resources } = run({ 'app.yaml': FORTIO, 'limit.yaml': LIMIT }, {}, SMI);
    expect(resources[0]).toMatchObject({ kind: 'Server', spec: { port: 'http', proxyProtocol: 'HTTP/1' } });
    expect(resources[0]?.spec).not.toHaveProperty('accessPolicy');
  });
});

describe('one Server per pod port', () => {
  const LIMIT = setting('  host: fortio.demo.svc.cluster.local\n  rateLimit: {local: {http: {requests: 5, unit: second}}}');
  const INGRESS = ingressBackend({
    name: 'fortio', namespace: 'demo', backends: [{ name: 'fortio', port: 8080 }], sources: [{ kind: 'Service', namespace: 'ingress-nginx', name: 'ingress-nginx-controller' }],
  });

  it.each([['permissive', PERMISSIVE], ['SMI', SMI]] as const)('leaves the Server of an IngressBackend port to ingress-backend (%s mode)', (_name, mode) => {
    const files = { 'app.yaml': FORTIO, 'l.yaml': LIMIT, 'ib.yaml': INGRESS };
    const { input, resources } = run(files, {}, mode);
    expect(resources.map((r) => r.kind)).toEqual(['HTTPLocalRateLimitPolicy']);
    const ingress = translateIngressBackends(input).resources.map((r) => r.resource);
    expect(ingress.filter((r) => r.kind === 'Server').map((r) => r.metadata.name)).toEqual(['fortio-http']);
  });

  it.each([['permissive', PERMISSIVE], ['SMI', SMI]] as const)('changes no OSM verdict with the Server it generates (%s mode)', (_name, mode) => {
    const ns = namespace({ name: 'demo', monitoredBy: 'osm', injection: 'enabled' });
    const client = FORTIO.split('---\n')[1]?.replaceAll('fortio', 'client') ?? '';
    const plan = migrate(new Map([['ns.yaml', ns], ['app.yaml', `${FORTIO.replace(/^\n/, '')}---\n${client}`], ['l.yaml', LIMIT.replace(/^\n/, '')]]), { meshMode: mode.mode });
    expect(plan.resources.map((r) => r.resource.kind)).toEqual(['Server', 'HTTPLocalRateLimitPolicy']);
    expect(plan.verification.requests).toBeGreaterThan(0);
    // On the rate-limited pod port the Server keeps OSM's verdicts exactly (other ports are outside this rule).
    const port = plan.verification.differences.filter((d) => d.request.workload === 'fortio' && d.request.port === 8080);
    expect(port.map((d) => [d.request, d.osm, d.linkerd])).toEqual([]);
  });
});

describe('which Service a setting applied to', () => {
  const limit = (host: string, name = 'l', ns = 'demo') => setting(`  host: ${host}\n  rateLimit: {local: {http: {requests: 5, unit: second}}}`, name, ns);

  // osm-semantics §3.3: "Lookup for mesh services is setting.Namespace == svc.Namespace && setting.Spec.Host ==
  // svc.FQDN()"; "The webhook requires at least two dot-separated components"; "only one UpstreamTrafficSetting per host".
  it.each([
    ['fortio', 'not an FQDN'],
    ['fortio.demo', 'must be written exactly that way'],
    ['fortio.demo.svc', 'must be written exactly that way'],
  ])('host %s never applied', (host, why) => {
    const { resources, messages } = run({ 'app.yaml': FORTIO, 'l.yaml': limit(host) });
    expect(resources).toEqual([]);
    expect(messages).toEqual([expect.stringContaining(why)]);
    expect(messages[0]).toMatch(/^upstream-traffic-setting\/never-applied/);
  });

  it('a setting outside the Service\'s namespace never applied', () => {
    const { resources, messages } = run({ 'app.yaml': FORTIO, 'a.yaml': limit('fortio.demo.svc.cluster.local', 'elsewhere', 'other') });
    expect(resources).toEqual([]);
    expect(messages).toEqual([expect.stringContaining('it is in namespace other while Service fortio is in demo, and OSM only reads settings from the Service\'s namespace')]);
  });

  // validators.go: GetUpstreamTrafficSettingByHost(host) finds one in any namespace; a different name is rejected.
  it('a second setting for the same host, in any namespace, was rejected unless it has the same name', () => {
    const { resources, messages } = run({
      'app.yaml': FORTIO,
      'a.yaml': limit('fortio.demo.svc.cluster.local', 'first'),
      'b.yaml': limit('fortio.demo.svc.cluster.local', 'second'),
      'c.yaml': limit('fortio.demo.svc.cluster.local', 'elsewhere', 'other'),
      'd.yaml': limit('fortio.demo.svc.cluster.local', 'first', 'other'),
    });
    expect(messages.filter((m) => m.startsWith('upstream-traffic-setting/never-applied'))).toEqual([
      expect.stringContaining('UpstreamTrafficSetting/demo/second sets host fortio.demo.svc.cluster.local like UpstreamTrafficSetting/demo/first'),
      expect.stringContaining('UpstreamTrafficSetting/other/elsewhere sets host fortio.demo.svc.cluster.local like UpstreamTrafficSetting/demo/first'),
      expect.stringContaining('UpstreamTrafficSetting/other/first (host fortio.demo.svc.cluster.local) never applied to a mesh Service: it is in namespace other'),
    ]);
    expect(resources.filter((r) => r.kind === 'HTTPLocalRateLimitPolicy').map((r) => r.metadata.name)).toEqual(['first-fortio-http']);
  });

  it('a Service missing from the repository is a finding, not a guess', () => {
    const { resources, ids } = run({ 'l.yaml': limit('fortio.demo.svc.cluster.local') });
    expect(resources).toEqual([]);
    expect(ids).toEqual(['upstream-traffic-setting/target-not-found']);
  });

  itWithShared('an Egress that references the setting takes it outside the mesh (corpus circuit_breaking_mesh_external)', () => {
    const { ids, messages } = run({ 'e.yaml': corpus('openservicemesh_osm-docs/content__en__docs__demos__circuit_breaking_mesh_external.md.extracted.yaml') });
    expect(ids).toEqual(['upstream-traffic-setting/egress-host']);
    expect(messages[0]).toContain('connectionSettings.tcp.maxConnections: 1, connectionSettings.http.maxPendingRequests: 1, connectionSettings.http.maxRequestsPerConnection: 1');
  });

  it('a second Service through the same pod port widens the limit', () => {
    const other = `
---
apiVersion: v1
kind: Service
metadata: {name: fortio-admin, namespace: demo}
spec: {selector: {app: fortio}, ports: [{port: 80, targetPort: 8080}]}
`;
    const { messages } = run({ 'app.yaml': FORTIO + other, 'l.yaml': limit('fortio.demo.svc.cluster.local') });
    expect(messages).toContainEqual(expect.stringContaining('also receives requests through fortio-admin:80'));
  });
});

describe('connection settings and circuit breaking', () => {
  // osm-semantics §3.3: connectionSettings "become Envoy circuit breakers / connect timeout on every client's outbound cluster".
  itWithShared('names every Envoy circuit breaker as dropped and edits nothing (corpus circuit_breaking_mesh_internal)', () => {
    const demo = corpus('openservicemesh_osm-docs/content__en__docs__demos__circuit_breaking_mesh_internal.md.extracted.yaml');
    const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: httpbin, namespace: httpbin, annotations: {}}\nspec: {ports: [{port: 14001}]}\n';
    const { ids, messages, edits } = run({ 'cb.yaml': demo, 's.yaml': service });
    expect(edits).toEqual([]);
    expect(ids).toEqual(Array(3).fill('upstream-traffic-setting/connection-settings'));
    expect(messages.map((m) => /^\S+ (\S+): 1 of /.exec(m)?.[1])).toEqual([
      'connectionSettings.tcp.maxConnections', 'connectionSettings.http.maxRequestsPerConnection', 'connectionSettings.http.maxPendingRequests',
    ]);
  });

  const CB = setting(`
  host: fortio.demo.svc.cluster.local
  connectionSettings:
    http:
      circuitBreaking:
        statTimeWindow: 1m
        minRequestAmount: 10
        errorAmountThreshold: 5
        degradedTimeWindow: 90s
        degradedStatusCode: 503`, 'cb');

  it('turns osm-edge circuitBreaking into consecutive failure accrual on the Service manifest', () => {
    const { edits, messages } = run({ 'app.yaml': FORTIO, 'cb.yaml': CB });
    expect(edits).toEqual([
      ['balancer.linkerd.io/failure-accrual', 'consecutive'],
      ['balancer.linkerd.io/failure-accrual-consecutive-max-failures', '5'],
      ['balancer.linkerd.io/failure-accrual-consecutive-min-penalty', '90s'],
      ['balancer.linkerd.io/failure-accrual-consecutive-max-penalty', '90s'],
    ].map(([key, value]) => ({ type: 'set-key', doc: 'app.yaml', path: ['metadata', 'annotations'], key, value })));
    expect(messages[0]).toContain('Dropped, no Linkerd equivalent: statTimeWindow: "1m", minRequestAmount: 10, degradedStatusCode: 503');
  });

  // linkerd-reference §5: while a ServiceProfile exists for a Service, its failure-accrual annotations are ignored.
  it('says the failure accrual does nothing next to a ServiceProfile: one in the repository, or the one a Retry gets before 2.16', () => {
    const profile = 'apiVersion: linkerd.io/v1alpha2\nkind: ServiceProfile\nmetadata: {name: fortio.demo.svc.cluster.local, namespace: demo}\nspec: {routes: []}\n';
    expect(run({ 'app.yaml': FORTIO, 'cb.yaml': CB, 'sp.yaml': profile }).ids).toContain('upstream-traffic-setting/service-profile-overrides');
    const retry = 'apiVersion: policy.openservicemesh.io/v1alpha1\nkind: Retry\nmetadata: {name: r, namespace: demo}\nspec:\n  source: {kind: ServiceAccount, name: c, namespace: demo}\n  destinations: [{kind: Service, name: fortio, namespace: demo}]\n  retryPolicy: {retryOn: 5xx, numRetries: 3}\n';
    const flags = 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec:\n  featureFlags: {enableRetryPolicy: true}\n';
    expect(run({ 'app.yaml': FORTIO, 'cb.yaml': CB, 'r.yaml': retry, 'mc.yaml': flags }, { linkerdVersion: '2.15' }).ids).toContain('upstream-traffic-setting/service-profile-overrides');
    expect(run({ 'app.yaml': FORTIO, 'cb.yaml': CB, 'r.yaml': retry, 'mc.yaml': flags }).ids).not.toContain('upstream-traffic-setting/service-profile-overrides');
  });

  it('annotates a Service without an annotations mapping too (the planner creates it), and has nothing to write on 2.12', () => {
    const bare = FORTIO.replace('  annotations:\n    team: perf\n', '');
    const created = run({ 'app.yaml': bare, 'cb.yaml': CB });
    expect(created.edits.map((e) => ('key' in e ? [e.doc, e.key] : [e.doc]))).toEqual([
      ['app.yaml', 'balancer.linkerd.io/failure-accrual'], ['app.yaml', 'balancer.linkerd.io/failure-accrual-consecutive-max-failures'],
      ['app.yaml', 'balancer.linkerd.io/failure-accrual-consecutive-min-penalty'], ['app.yaml', 'balancer.linkerd.io/failure-accrual-consecutive-max-penalty'],
    ]);
    expect(created.ids).toEqual(['upstream-traffic-setting/failure-accrual']);
    expect(run({ 'app.yaml': FORTIO, 'cb.yaml': CB }, { linkerdVersion: '2.12' }).edits).toEqual([]);
  });
});

describe('fields OSM never had', () => {
  itWithShared('names unreleased global limits and unknown fields (corpus global_rate_limit_http)', () => {
    const demo = corpus('openservicemesh_osm-docs/content__en__docs__demos__global_rate_limit_http.md.extracted.yaml').split('---\n')[0] ?? '';
    const withUnknown = `${demo}  outlierDetection: {consecutive5xxErrors: 3}\n`;
    const { ids, messages } = run({ 'app.yaml': FORTIO, 'g.yaml': withUnknown });
    expect(ids).toEqual(['upstream-traffic-setting/unknown-field', 'upstream-traffic-setting/unreleased-field']);
    expect(messages.find((m) => m.includes('unknown-field'))).toContain('spec.outlierDetection');
    expect(messages.find((m) => m.includes('unreleased-field'))).toContain('rateLimitService.host: "ratelimiter.rls.svc.cluster.local"');
  });
});

describe('through the whole migration', () => {
  it('writes the failure accrual lines into the Service and removes the setting', () => {
    const plan = migrate(new Map([
      ['app.yaml', FORTIO.replace(/^\n/, '')],
      ['cb.yaml', `${CB_DOC}`],
    ]));
    const app = plan.files.find((f) => f.path === 'app.yaml')?.content ?? '';
    expect(app).toContain('    team: perf\n    balancer.linkerd.io/failure-accrual: consecutive\n    balancer.linkerd.io/failure-accrual-consecutive-max-failures: "3"\n');
    expect(plan.files.find((f) => f.path === 'cb.yaml')?.action).toBe('delete');
    expect(plan.findings.filter((f) => f.id === 'unhandled/osm-kind')).toEqual([]);
  });
});

const CB_DOC = `apiVersion: policy.openservicemesh.io/v1alpha1
kind: UpstreamTrafficSetting
metadata: {name: cb, namespace: demo}
spec:
  host: fortio.demo.svc.cluster.local
  connectionSettings:
    http:
      circuitBreaking: {errorAmountThreshold: 3}
`;

describe('objects OSM\'s API server rejected', () => {
  // A structural CRD rejects a value of the wrong shape: the object never existed in OSM.
  it('translates nothing from a setting with a wrong-typed field, and says which', () => {
    const bad = setting(`
  host: fortio.demo.svc.cluster.local
  rateLimit:
    local:
      http: "100/s"`, 'bad');
    const { ids, messages, edits } = run({ 'app.yaml': FORTIO, 'bad.yaml': bad });
    expect(edits).toEqual([]);
    expect(ids).toEqual(['upstream-traffic-setting/never-applied']);
    expect(messages[0]).toContain('spec.rateLimit.local.http');
  });
});

describe('limitLosses', () => {
  // osm-semantics §3.3: the local limit's bucket holds requests (+ burst) tokens, refilled once per unit.
  it('says a per-minute limit that divides evenly still loses OSM\'s whole-minute burst', () => {
    const limit = { requests: 120, unit: 'minute', responseHeadersToAdd: [], path: [] };
    expect(limitLosses(limit, perSecond(limit))).toEqual([expect.stringContaining('let a burst of 120 through at once')]);
    const perSecondLimit = { requests: 10, unit: 'second', responseHeadersToAdd: [], path: [] };
    expect(limitLosses(perSecondLimit, perSecond(perSecondLimit))).toEqual([]);
  });
});
