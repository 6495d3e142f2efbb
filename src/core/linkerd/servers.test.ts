import { describe, expect, it } from 'vitest';
import { deployment, docs, httpRouteGroup, ingressBackend, namespace, service, trafficTarget, upstreamTrafficSetting } from '../../../test/support/manifests.ts';
import { inventoryOf } from '../../../test/support/repo.ts';
import type { MeshMode } from '../inventory/mesh-mode.ts';
import { migrate } from '../migrate.ts';
import { resolveOptions, type LinkerdVersion } from '../options.ts';
import { rules } from '../rules/registry.ts';
import type { LinkerdResource } from './resources.ts';
import { planServers } from './servers.ts';

/** A meshed namespace with `web` (port http 8080, HTTP probe /healthz) behind Service web, and a client. */
const BASE = docs(
  namespace({ name: 'shop', monitoredBy: 'osm', injection: 'enabled' }),
  deployment({ name: 'web', namespace: 'shop', ports: [{ name: 'http', containerPort: 8080 }], containerLines: ['readinessProbe: {httpGet: {path: /healthz, port: 8080}}'] }),
  service({ name: 'web', namespace: 'shop', ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
  deployment({ name: 'client', namespace: 'shop', image: 'curl' }),
);

const TRAFFIC_TARGET = docs(
  httpRouteGroup({ name: 'web-routes', namespace: 'shop', matches: [{ name: 'api', pathRegex: '/api(/.*)?', methods: ['GET'] }] }),
  trafficTarget({ name: 'client-to-web', namespace: 'shop', destination: 'web', sources: ['client'], rules: [{ name: 'web-routes', matches: ['api'] }] }),
);

function webIngress(protocol = 'http'): string {
  return ingressBackend({ name: 'web-ingress', namespace: 'shop', backends: [{ name: 'web', port: 8080, protocol }], sources: [{ kind: 'IPRange', name: '10.0.0.0/8' }] });
}

function rateLimit(limit = 'rateLimit: {local: {http: {requests: 100, unit: second}}}'): string {
  return upstreamTrafficSetting({ name: 'web-limit', namespace: 'shop', host: 'web.shop.svc.cluster.local', spec: [limit] });
}

const SMI: MeshMode = { mode: 'smi', source: 'option' };
const PERMISSIVE: MeshMode = { mode: 'permissive', source: 'option' };

/** Every rule of the registry on one repository, and the plan they all read. */
function runAll(files: Record<string, string>, meshMode: MeshMode = SMI, linkerdVersion: LinkerdVersion = '2.20') {
  const { inventory } = inventoryOf(files);
  const input = { inventory, options: resolveOptions({ linkerdVersion }), meshMode };
  const outputs = rules.map((rule) => ({ rule: rule.id, output: rule.translate(input) }));
  const emitted = (kind: string) => outputs.flatMap(({ rule, output }) => output.resources.filter((r) => r.resource.kind === kind).map((r) => ({ rule, resource: r.resource })));
  return { input, plan: planServers(input), outputs, emitted };
}

const serverRefs = (r: LinkerdResource): string[] => {
  const spec = r.spec as { targetRef?: { kind?: string; name?: string }; parentRefs?: { kind?: string; name?: string }[] };
  return [spec.targetRef, ...(spec.parentRefs ?? [])].flatMap((ref) => (ref?.kind === 'Server' && ref.name ? [ref.name] : []));
};

describe('planServers: one Server per pod port, emitted by its first need', () => {
  it('gives a port a TrafficTarget, an IngressBackend and an UpstreamTrafficSetting all need one Server, emitted by traffic-target', () => {
    const { plan, emitted } = runAll({ 'base.yaml': BASE, 'tt.yaml': TRAFFIC_TARGET, 'ib.yaml': webIngress(), 'uts.yaml': rateLimit() });
    expect(plan.servers.map((s) => ({ name: s.name, needs: s.needs, owner: s.owner, origin: s.origin.ref.kind }))).toEqual([
      { name: 'web-http', needs: ['traffic-target', 'ingress-backend', 'upstream-traffic-setting'], owner: 'traffic-target', origin: 'TrafficTarget' },
    ]);
    expect(emitted('Server').map((e) => `${e.rule}:${e.resource.metadata.name}`)).toEqual(['traffic-target:web-http']);
    const limits = emitted('HTTPLocalRateLimitPolicy');
    expect(limits.map((e) => serverRefs(e.resource))).toEqual([['web-http']]);
    // ingress-backend attaches to traffic-target's Server (its catch-all route and policies), it emits none.
    expect(new Set(emitted('AuthorizationPolicy').filter((e) => e.rule === 'ingress-backend').flatMap((e) => serverRefs(e.resource)))).toEqual(new Set(['web-http']));
    expect(emitted('HTTPRoute').filter((e) => e.rule === 'ingress-backend').map((e) => e.resource.metadata.name)).toEqual(['web-http-zz-ingress']);
  });

  it.each([['SMI', SMI, undefined], ['permissive', PERMISSIVE, 'all-authenticated']] as const)(
    'gives a port only an UpstreamTrafficSetting needs one Server, emitted by that rule (%s mode)',
    (_name, mode, accessPolicy) => {
      const { plan, emitted } = runAll({ 'base.yaml': BASE, 'uts.yaml': rateLimit() }, mode);
      expect(plan.servers.map((s) => [s.name, s.owner, s.accessPolicy])).toEqual([['web-http', 'upstream-traffic-setting', accessPolicy]]);
      const servers = emitted('Server');
      expect(servers.map((e) => `${e.rule}:${e.resource.metadata.name}`)).toEqual(['upstream-traffic-setting:web-http']);
      expect(servers[0]?.resource.spec).toEqual({
        podSelector: { matchLabels: { app: 'web' } }, port: 'http', proxyProtocol: 'unknown', ...(accessPolicy ? { accessPolicy } : {}),
      });
      expect(emitted('HTTPLocalRateLimitPolicy').map((e) => serverRefs(e.resource))).toEqual([['web-http']]);
    },
  );

  it('gives an IngressBackend port its Server from ingress-backend; a rate limit on it targets that one', () => {
    const { plan, emitted } = runAll({ 'base.yaml': BASE, 'ib.yaml': webIngress(), 'uts.yaml': rateLimit() });
    expect(plan.servers.map((s) => [s.name, s.needs, s.owner])).toEqual([['web-http', ['ingress-backend', 'upstream-traffic-setting'], 'ingress-backend']]);
    expect(emitted('Server').map((e) => `${e.rule}:${e.resource.metadata.name}`)).toEqual(['ingress-backend:web-http']);
    expect(emitted('HTTPLocalRateLimitPolicy').map((e) => serverRefs(e.resource))).toEqual([['web-http']]);
  });

  it('an IngressBackend OSM rejected needs no Server, so the rate limit generates its own (it used to target none)', () => {
    const { plan, emitted, outputs } = runAll({ 'base.yaml': BASE, 'ib.yaml': webIngress('grpc'), 'uts.yaml': rateLimit() });
    expect(outputs.find((o) => o.rule === 'ingress-backend')?.output.findings.map((f) => f.id)).toContain('ingress-backend/rejected-by-osm');
    expect(plan.servers.map((s) => [s.name, s.needs])).toEqual([['web-http', ['upstream-traffic-setting']]]);
    expect(emitted('Server').map((e) => `${e.rule}:${e.resource.metadata.name}`)).toEqual(['upstream-traffic-setting:web-http']);
  });

  it('a limit OSM applied to no request of the port needs no Server (a route path that matched nothing)', () => {
    const { plan, emitted } = runAll({ 'base.yaml': BASE, 'uts.yaml': rateLimit("httpRoutes: [{path: '/nowhere', rateLimit: {local: {requests: 5, unit: second}}}]") });
    expect(plan.servers).toEqual([]);
    expect(emitted('Server')).toEqual([]);
    expect(emitted('HTTPLocalRateLimitPolicy')).toEqual([]);
  });

  it('a route limit on OSM\'s only route (.*) in permissive mode is the port\'s: it needs a Server', () => {
    const { plan } = runAll({ 'base.yaml': BASE, 'uts.yaml': rateLimit("httpRoutes: [{path: '.*', rateLimit: {local: {requests: 5, unit: second}}}]") }, PERMISSIVE);
    expect(plan.servers.map((s) => [s.name, s.owner])).toEqual([['web-http', 'upstream-traffic-setting']]);
  });

  it('TrafficTargets need no Server in permissive mode before 2.16 (no audit); an IngressBackend still does', () => {
    expect(runAll({ 'base.yaml': BASE, 'tt.yaml': TRAFFIC_TARGET }, PERMISSIVE, '2.15').plan.servers).toEqual([]);
    const { plan } = runAll({ 'base.yaml': BASE, 'tt.yaml': TRAFFIC_TARGET, 'ib.yaml': webIngress() }, PERMISSIVE, '2.15');
    expect(plan.servers.map((s) => [s.name, s.needs])).toEqual([['web-http', ['ingress-backend']]]);
  });

  it('never gives two different Servers one name', () => {
    // web's port api-http and web-api's port http both read "web-api-http".
    const webApi = docs(
      deployment({ name: 'web-api', namespace: 'shop', ports: [{ name: 'http', containerPort: 9090 }] }),
      service({ name: 'web-api', namespace: 'shop', ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    );
    const base = BASE.replace('{name: http, containerPort: 8080}', '{name: api-http, containerPort: 8080}').replace('targetPort: http}', 'targetPort: api-http}');
    const ib = webIngress().replace('{name: web, port: {number: 8080', '{name: web-api, port: {number: 9090');
    const { plan, emitted } = runAll({ 'base.yaml': base, 'web-api.yaml': webApi, 'tt.yaml': TRAFFIC_TARGET, 'ib.yaml': ib });
    expect(plan.servers.map((s) => [s.workload.name, s.port.port, s.owner])).toEqual([['web', 8080, 'traffic-target'], ['web-api', 9090, 'ingress-backend']]);
    const names = plan.servers.map((s) => s.name);
    expect(names[0]).toBe('web-api-http');
    expect(names[1]).toMatch(/^web-api-http-[0-9a-z]{5}$/);
    expect(emitted('Server').map((e) => e.resource.metadata.name).sort()).toEqual([...names].sort());
    // ingress-backend's policies follow the name the plan gave its Server.
    expect(emitted('AuthorizationPolicy').filter((e) => e.rule === 'ingress-backend').flatMap((e) => serverRefs(e.resource))).toEqual([names[1]]);
  });
});

describe('default-policy and the plan', () => {
  it('reports "no Server" only for ports that get none: an IngressBackend port\'s probes are reported once, by ingress-backend', () => {
    const { outputs } = runAll({ 'base.yaml': BASE, 'ib.yaml': webIngress() });
    const probes = outputs.flatMap(({ rule, output }) => output.findings.filter((f) => f.id === 'probes/open-to-all-networks').map((f) => ({ rule, message: f.message })));
    expect(probes).toEqual([{ rule: 'ingress-backend', message: expect.stringContaining('gets Server web-http for its IngressBackend') as string }]);
  });

  it('still reports a probed port nobody gives a Server', () => {
    const { outputs } = runAll({ 'base.yaml': BASE });
    const probes = outputs.flatMap(({ rule, output }) => output.findings.filter((f) => f.id === 'probes/open-to-all-networks').map((f) => ({ rule, message: f.message })));
    expect(probes).toEqual([{ rule: 'default-policy', message: expect.stringContaining('Port 8080 of web has no Server') as string }]);
  });

  it('leaves the probes of a Server generated for a rate limit to upstream-traffic-setting, which says the Server keeps the default probe route', () => {
    for (const mode of [SMI, PERMISSIVE]) {
      const { outputs } = runAll({ 'base.yaml': BASE, 'uts.yaml': rateLimit() }, mode);
      const probes = outputs.flatMap(({ rule, output }) => output.findings.filter((f) => f.id === 'probes/open-to-all-networks').map((f) => ({ rule, message: f.message })));
      expect(probes, mode.mode).toEqual([{ rule: 'upstream-traffic-setting', message: expect.stringContaining('gets Server web-http for the rate limit of') as string }]);
    }
  });
});

describe('every rule agrees with the plan', () => {
  const parts = { tt: TRAFFIC_TARGET, ib: webIngress(), uts: rateLimit() };
  const combos = (['tt', 'ib', 'uts'] as const).reduce<(keyof typeof parts)[][]>((acc, p) => [...acc, ...acc.map((c) => [...c, p])], [[]]);
  const cases = combos.flatMap((combo) => ([['smi', SMI], ['permissive', PERMISSIVE]] as const).flatMap(([name, mode]) =>
    (['2.15', '2.16', '2.20'] as const).map((version) => [`${combo.join('+') || 'nothing'}, ${name}, ${version}`, combo, mode, version] as const)));

  it.each(cases)('%s: the owner emits each planned Server once, nothing else does, every reference resolves', (_name, combo, mode, version) => {
    const files = { 'base.yaml': BASE, ...Object.fromEntries(combo.map((c) => [`${c}.yaml`, parts[c]])) };
    const { plan, emitted, outputs } = runAll(files, mode, version);
    const servers = emitted('Server');
    expect(servers.map((e) => `${e.rule}:${e.resource.metadata.name}`).sort()).toEqual(plan.servers.map((s) => `${s.owner}:${s.name}`).sort());
    for (const s of plan.servers) expect(servers.find((e) => e.resource.metadata.name === s.name)?.resource).toEqual(s.resource);
    const names = new Set(servers.map((e) => e.resource.metadata.name));
    const refs = outputs.flatMap(({ output }) => output.resources.flatMap((r) => serverRefs(r.resource)));
    expect(refs.filter((r) => !names.has(r))).toEqual([]);
    // Probes: one finding per probed port at most, whoever reports it.
    const probes = outputs.flatMap(({ output }) => output.findings.filter((f) => f.id === 'probes/open-to-all-networks'));
    expect(probes.length).toBeLessThanOrEqual(1);
    // Whatever differs from OSM is explained by a finding, on ports with a Server and without one (the default
    // inbound policy keeps ports without a Server as closed as OSM kept them, in both modes).
    const p = migrate(new Map(Object.entries(files)), { meshMode: mode.mode, linkerdVersion: version });
    expect(p.verification.uncovered.map((d) => d.request)).toEqual([]);
  });
});
