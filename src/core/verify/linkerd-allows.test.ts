import { describe, expect, it } from 'vitest';
import type { Workload } from '../inventory/model.ts';
import type { LinkerdResource } from '../linkerd/resources.ts';
import { linkerdAllows, type DefaultInboundPolicy, type LinkerdWorld } from './linkerd-allows.ts';
import type { AccessRequest, RequestSource } from './types.ts';

const NS = 'shop';
const FRONTEND: RequestSource = { kind: 'meshed', serviceAccount: 'frontend', namespace: NS, ip: '10.1.0.10' };
const OTHER: RequestSource = { kind: 'meshed', serviceAccount: 'batch', namespace: 'jobs', ip: '10.1.0.11' };
const UNMESHED: RequestSource = { kind: 'unmeshed', ip: '10.2.0.20' };
const OUTSIDE: RequestSource = { kind: 'unmeshed', ip: '203.0.113.7' };
const KUBELET: RequestSource = { kind: 'kubelet', ip: '10.240.0.4' };

function workload(over: Partial<Workload> = {}): Workload {
  return {
    object: {} as Workload['object'],
    kind: 'Deployment',
    name: 'web',
    namespace: NS,
    podLabels: { app: 'web', tier: 'front' },
    selectorLabels: { app: 'web' },
    serviceAccount: 'web',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'db', port: 5432, protocol: 'TCP' }],
    probes: [{ kind: 'readiness', type: 'http', port: 8080, path: '/ready' }],
    podAnnotations: {},
    podMetadataPath: [],
    ...over,
  };
}

function world(resources: LinkerdResource[], policy: DefaultInboundPolicy = 'all-unauthenticated', linkerdVersion = '2.18'): LinkerdWorld {
  return {
    resources,
    clusterNetworks: ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16', 'fd00::/8'],
    probeNetworks: ['0.0.0.0/0', '::/0'],
    linkerdVersion,
    defaultPolicy: () => policy,
  };
}

function res(apiVersion: string, kind: string, name: string, spec: Record<string, unknown>, namespace = NS): LinkerdResource {
  return { apiVersion, kind, metadata: { name, namespace }, spec };
}

function server(name: string, spec: Record<string, unknown> = {}, apiVersion = 'policy.linkerd.io/v1beta3'): LinkerdResource {
  return res(apiVersion, 'Server', name, { podSelector: { matchLabels: { app: 'web' } }, port: 8080, proxyProtocol: 'HTTP/1', ...spec });
}

function route(name: string, serverName: string, rules: unknown[], group = 'policy.linkerd.io', extra: Record<string, unknown> = {}): LinkerdResource {
  const version = group === 'policy.linkerd.io' ? 'v1beta3' : 'v1';
  return res(`${group}/${version}`, 'HTTPRoute', name, {
    parentRefs: [{ group: 'policy.linkerd.io', kind: 'Server', name: serverName }],
    rules,
    ...extra,
  });
}

function prefix(value: string, more: Record<string, unknown> = {}): unknown {
  return { matches: [{ path: { type: 'PathPrefix', value }, ...more }] };
}

function policy(name: string, targetRef: Record<string, unknown>, refs: Record<string, unknown>[]): LinkerdResource {
  return res('policy.linkerd.io/v1alpha1', 'AuthorizationPolicy', name, { targetRef, requiredAuthenticationRefs: refs });
}

const toServer = (name: string) => ({ group: 'policy.linkerd.io', kind: 'Server', name });
const toRoute = (name: string, group = 'policy.linkerd.io') => ({ group, kind: 'HTTPRoute', name });
const mtlsRef = (name: string) => ({ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name });
const netRef = (name: string) => ({ group: 'policy.linkerd.io', kind: 'NetworkAuthentication', name });

function mtls(name: string, spec: Record<string, unknown>): LinkerdResource {
  return res('policy.linkerd.io/v1alpha1', 'MeshTLSAuthentication', name, spec);
}

const FRONTEND_ONLY = mtls('frontend-only', { identityRefs: [{ kind: 'ServiceAccount', name: 'frontend' }] });

function request(source: RequestSource, path: string | undefined, method = 'GET', port = 8080, headers: Record<string, string> = {}): AccessRequest {
  return {
    source,
    namespace: NS,
    workload: 'web',
    serviceAccount: 'web',
    port,
    ...(path !== undefined ? { http: { method, path, headers } } : {}),
  };
}

function decide(w: LinkerdWorld, r: AccessRequest, wl: Workload = workload()) {
  return linkerdAllows(w, r, wl);
}

describe('default policy (no Server on the port)', () => {
  it('all-unauthenticated admits everyone, HTTP or TCP', () => {
    const w = world([]);
    expect(decide(w, request(OUTSIDE, '/x'))).toEqual({ allowed: true, reason: 'default policy all-unauthenticated' });
    expect(decide(w, request(UNMESHED, undefined)).allowed).toBe(true);
  });

  it('deny keeps only the probe route: GET + exact probe path, any client', () => {
    const w = world([], 'deny');
    expect(decide(w, request(FRONTEND, '/x'))).toEqual({ allowed: false, reason: 'default policy deny' });
    expect(decide(w, request(KUBELET, '/ready'))).toEqual({ allowed: true, reason: 'probe route' });
    expect(decide(w, request(OUTSIDE, '/ready')).allowed).toBe(true);
    expect(decide(w, request(KUBELET, '/ready', 'POST')).allowed).toBe(false);
    expect(decide(w, request(KUBELET, '/ready/')).allowed).toBe(false);
    // TCP is decided by the policy alone.
    expect(decide(w, request(KUBELET, undefined)).allowed).toBe(false);
  });

  it('probe route authorization is limited to probeNetworks', () => {
    const w = { ...world([], 'deny'), probeNetworks: ['10.240.0.0/16'] };
    expect(decide(w, request(KUBELET, '/ready')).allowed).toBe(true);
    expect(decide(w, request(UNMESHED, '/ready')).allowed).toBe(false);
  });

  it('cluster-authenticated requires a mesh identity from a cluster network', () => {
    const w = world([], 'cluster-authenticated');
    expect(decide(w, request(FRONTEND, '/x')).allowed).toBe(true);
    expect(decide(w, request(UNMESHED, '/x'))).toEqual({ allowed: false, reason: 'default policy cluster-authenticated' });
    expect(decide(w, request({ ...FRONTEND, ip: '203.0.113.9' }, '/x')).allowed).toBe(false);
  });

  it('cluster-unauthenticated admits cluster networks only', () => {
    const w = world([], 'cluster-unauthenticated');
    expect(decide(w, request(UNMESHED, '/x')).allowed).toBe(true);
    expect(decide(w, request(OUTSIDE, '/x')).allowed).toBe(false);
  });

  it('audit allows from 2.16; before, the value is unknown and the install default applies', () => {
    expect(decide(world([], 'audit', '2.16'), request(OUTSIDE, '/x'))).toEqual({ allowed: true, reason: 'default policy audit' });
    expect(decide(world([], 'audit', '2.15'), request(OUTSIDE, '/x'))).toEqual({ allowed: true, reason: 'default policy all-unauthenticated' });
  });

  it('ignores AuthorizationPolicies, even Namespace-targeted ones', () => {
    const w = world([policy('ns-all', { kind: 'Namespace', name: NS }, [])], 'deny');
    expect(decide(w, request(FRONTEND, '/x')).allowed).toBe(false);
  });

  it('an opaque port has no probe route', () => {
    const wl = workload({ probes: [{ kind: 'liveness', type: 'http', port: 5432, path: '/ready' }] });
    expect(decide(world([], 'deny'), request(KUBELET, '/ready', 'GET', 5432), wl).allowed).toBe(false);
    const annotated = workload({ podAnnotations: { 'config.linkerd.io/opaque-ports': 'http' } });
    expect(decide(world([], 'deny'), request(KUBELET, '/ready'), annotated).allowed).toBe(false);
  });

  it('require-identity ports turn an unauthenticated default into an authenticated one', () => {
    const wl = workload({ podAnnotations: { 'config.linkerd.io/proxy-require-identity-inbound-ports': '8000-8100' } });
    expect(decide(world([]), request(UNMESHED, '/x'), wl).allowed).toBe(false);
    expect(decide(world([]), request(FRONTEND, '/x'), wl).allowed).toBe(true);
  });

  it('skip-inbound-ports bypass the proxy', () => {
    const wl = workload({ podAnnotations: { 'config.linkerd.io/skip-inbound-ports': '8080' } });
    expect(decide(world([], 'deny'), request(OUTSIDE, '/x'), wl)).toEqual({ allowed: true, reason: 'skip-inbound-ports: not proxied' });
  });
});

describe('Server selection', () => {
  it('selects by matchLabels and matchExpressions', () => {
    const expressions = [
      { key: 'tier', operator: 'In', values: ['front'] },
      { key: 'canary', operator: 'NotIn', values: ['true'] },
      { key: 'app', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist' },
    ];
    const w = world([server('web-http', { podSelector: { matchExpressions: expressions } })]);
    expect(decide(w, request(FRONTEND, '/x')).reason).toBe('server web-http: no authorization');
    const notSelected = world([server('web-http', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] } })]);
    expect(decide(notSelected, request(FRONTEND, '/x')).allowed).toBe(true);
  });

  it('an empty podSelector selects every pod; a name resolves through container ports', () => {
    const w = world([server('all', { podSelector: {}, port: 'http' })]);
    expect(decide(w, request(FRONTEND, '/x')).allowed).toBe(false);
    expect(decide(w, request(FRONTEND, '/x', 'GET', 5432)).allowed).toBe(true);
  });

  it('only Servers in the pod namespace count', () => {
    const w = world([res('policy.linkerd.io/v1beta1', 'Server', 'elsewhere', { podSelector: {}, port: 8080 }, 'other')]);
    expect(decide(w, request(FRONTEND, '/x')).allowed).toBe(true);
  });

  it('two Servers on one port are a conflict', () => {
    const w = world([server('a'), server('b', { podSelector: {} })]);
    expect(decide(w, request(FRONTEND, '/x'))).toEqual({ allowed: false, reason: 'server conflict (a, b)' });
  });

  it('a Server with an unknown proxyProtocol is not indexed', () => {
    const w = world([server('typo', { proxyProtocol: 'HTTP1' })], 'deny');
    expect(decide(w, request(FRONTEND, '/x')).reason).toBe('default policy deny');
  });
});

describe('Server without routes', () => {
  it('denies without an authorization, but keeps the probe route', () => {
    const w = world([server('web-http')]);
    expect(decide(w, request(FRONTEND, '/x'))).toEqual({ allowed: false, reason: 'server web-http: no authorization' });
    expect(decide(w, request(KUBELET, '/ready'))).toEqual({ allowed: true, reason: 'probe route' });
  });

  it('a Server-targeted policy with a MeshTLSAuthentication admits that identity only', () => {
    const w = world([server('web-http'), FRONTEND_ONLY, policy('web', toServer('web-http'), [mtlsRef('frontend-only')])]);
    expect(decide(w, request(FRONTEND, '/x'))).toEqual({ allowed: true, reason: 'server web-http, authorized by AuthorizationPolicy web' });
    expect(decide(w, request(OTHER, '/x')).allowed).toBe(false);
    expect(decide(w, request(UNMESHED, '/x')).allowed).toBe(false);
    expect(decide(w, request(FRONTEND, undefined)).allowed).toBe(true);
  });

  it('a Namespace-targeted policy covers every Server in the namespace', () => {
    const w = world([server('web-http'), policy('ns', { kind: 'Namespace', name: NS }, [])]);
    expect(decide(w, request(OUTSIDE, '/x'))).toEqual({ allowed: true, reason: 'server web-http, authorized by AuthorizationPolicy ns' });
  });

  it('a policy whose MeshTLSAuthentication is missing is ignored', () => {
    const w = world([server('web-http'), policy('web', toServer('web-http'), [mtlsRef('nope')])]);
    expect(decide(w, request(FRONTEND, '/x')).allowed).toBe(false);
  });

  it('a policy with two identity refs is ignored', () => {
    const refs = [mtlsRef('frontend-only'), { kind: 'ServiceAccount', name: 'frontend' }];
    const w = world([server('web-http'), FRONTEND_ONLY, policy('web', toServer('web-http'), refs)]);
    expect(decide(w, request(FRONTEND, '/x')).allowed).toBe(false);
  });

  it('reads identities strings, Namespace identityRefs and ServiceAccount refs', () => {
    const bySuffix = mtls('jobs', { identities: ['*.jobs.serviceaccount.identity.linkerd.cluster.local'] });
    const byNs = mtls('jobs-ns', { identityRefs: [{ kind: 'Namespace', name: 'jobs' }] });
    for (const m of [bySuffix, byNs]) {
      const w = world([server('web-http'), m, policy('p', toServer('web-http'), [mtlsRef(m.metadata.name)])]);
      expect(decide(w, request(OTHER, '/x')).allowed).toBe(true);
      expect(decide(w, request(FRONTEND, '/x')).allowed).toBe(false);
    }
    const direct = world([server('web-http'), policy('p', toServer('web-http'), [{ kind: 'ServiceAccount', name: 'frontend' }])]);
    expect(decide(direct, request(FRONTEND, '/x')).allowed).toBe(true);
    expect(decide(direct, request(OTHER, '/x')).allowed).toBe(false);
  });

  it('a NetworkAuthentication admits its cidrs minus the excepts; without identity ref, unauthenticated', () => {
    const net = res('policy.linkerd.io/v1alpha1', 'NetworkAuthentication', 'kubelet', {
      networks: [{ cidr: '10.0.0.0/8', except: ['10.2.0.0/16'] }],
    });
    const w = world([server('web-http'), net, policy('p', toServer('web-http'), [netRef('kubelet')])]);
    expect(decide(w, request(KUBELET, '/x')).allowed).toBe(true);
    expect(decide(w, request(UNMESHED, '/x')).allowed).toBe(false);
    expect(decide(w, request(OUTSIDE, '/x')).allowed).toBe(false);
  });

  it('accessPolicy audit allows on v1beta3 from 2.16 only', () => {
    const audit = server('web-http', { accessPolicy: 'audit' });
    expect(decide(world([audit], 'all-unauthenticated', '2.16'), request(OUTSIDE, '/x'))).toEqual({
      allowed: true,
      reason: 'server web-http, authorized by accessPolicy audit',
    });
    expect(decide(world([audit], 'all-unauthenticated', '2.15'), request(OUTSIDE, '/x')).allowed).toBe(false);
    const authenticated = server('web-http', { accessPolicy: 'all-authenticated' });
    expect(decide(world([authenticated]), request(FRONTEND, '/x')).allowed).toBe(true);
    expect(decide(world([authenticated]), request(UNMESHED, '/x')).allowed).toBe(false);
  });

  it('opaque Servers and gRPC Servers ignore HTTPRoutes and use server-level authorizations', () => {
    for (const proxyProtocol of ['opaque', 'gRPC']) {
      const w = world([
        server('web-http', { proxyProtocol }),
        route('only-api', 'web-http', [prefix('/api')]),
        policy('ns', { kind: 'Namespace', name: NS }, []),
      ]);
      expect(decide(w, request(FRONTEND, '/other')).allowed).toBe(true);
    }
  });
});

describe('Server with routes', () => {
  const base = [server('web-http'), FRONTEND_ONLY];

  it('the probe route disappears once a route is attached', () => {
    const w = world([...base, route('api', 'web-http', [prefix('/api')])]);
    expect(decide(w, request(KUBELET, '/ready'))).toEqual({ allowed: false, reason: 'no route (404)' });
  });

  it('a route-targeted policy authorizes that route only', () => {
    const w = world([
      ...base,
      route('api', 'web-http', [prefix('/api')]),
      route('health', 'web-http', [{ matches: [{ path: { type: 'Exact', value: '/ready' }, method: 'GET' }] }]),
      policy('api', toRoute('api'), [mtlsRef('frontend-only')]),
    ]);
    expect(decide(w, request(FRONTEND, '/api/x'))).toEqual({ allowed: true, reason: 'route api rule 0, authorized by AuthorizationPolicy api' });
    expect(decide(w, request(KUBELET, '/ready'))).toEqual({ allowed: false, reason: 'route health rule 0: no authorization (403)' });
  });

  it('a more specific route without authorization shadows an authorized broader one', () => {
    const w = world([
      ...base,
      route('all', 'web-http', [prefix('/')]),
      route('admin', 'web-http', [prefix('/admin')]),
      policy('all', toRoute('all'), [mtlsRef('frontend-only')]),
    ]);
    expect(decide(w, request(FRONTEND, '/shop')).allowed).toBe(true);
    expect(decide(w, request(FRONTEND, '/admin/users'))).toEqual({ allowed: false, reason: 'route admin rule 0: no authorization (403)' });
  });

  it('a server-level policy opens every route', () => {
    const w = world([...base, route('admin', 'web-http', [prefix('/admin')]), policy('srv', toServer('web-http'), [mtlsRef('frontend-only')])]);
    expect(decide(w, request(FRONTEND, '/admin'))).toEqual({ allowed: true, reason: 'route admin rule 0, authorized by AuthorizationPolicy srv' });
  });

  it('RegularExpression accepts a leftmost-first match only if it spans the path', () => {
    const regex = (value: string) => [...base, route('re', 'web-http', [{ matches: [{ path: { type: 'RegularExpression', value } }] }]), policy('re', toRoute('re'), [])];
    expect(decide(world(regex('/a|/ab')), request(FRONTEND, '/a')).allowed).toBe(true);
    expect(decide(world(regex('/a|/ab')), request(FRONTEND, '/ab')).reason).toBe('no route (404)');
    expect(decide(world(regex('^(?:/a|/ab)$')), request(FRONTEND, '/ab')).allowed).toBe(true);
    expect(decide(world(regex('/api/.*?')), request(FRONTEND, '/api/x')).reason).toBe('no route (404)');
  });

  it('PathPrefix matches whole segments', () => {
    const w = world([...base, route('users', 'web-http', [prefix('/users/')]), policy('u', toRoute('users'), [])]);
    for (const path of ['/users', '/users/', '/users/42']) expect(decide(w, request(FRONTEND, path)).allowed).toBe(true);
    expect(decide(w, request(FRONTEND, '/usersx')).reason).toBe('no route (404)');
  });

  // "longest path match …, then more header matches, then more query-param matches, then a method match"
  // (linkerd-reference §3.5, px@2.20 http/match.rs).
  it('longest path wins across match types, then headers, then query params, then method', () => {
    const w = world([
      ...base,
      route('prefix', 'web-http', [prefix('/books')]),
      route('exact', 'web-http', [{ matches: [{ path: { type: 'Exact', value: '/books/1' } }] }]),
      route('header', 'web-http', [prefix('/books', { headers: [{ name: 'X-Client', value: 'app' }] })]),
      route('method', 'web-http', [prefix('/books', { method: 'POST' })]),
    ]);
    expect(decide(w, request(FRONTEND, '/books/1', 'POST', 8080, { 'x-client': 'app' })).reason).toMatch(/^route exact /);
    // A header match outranks a method match on the same path length.
    expect(decide(w, request(FRONTEND, '/books/2', 'POST', 8080, { 'x-client': 'app' })).reason).toMatch(/^route header /);
    expect(decide(w, request(FRONTEND, '/books/2', 'POST')).reason).toMatch(/^route method /);
    expect(decide(w, request(FRONTEND, '/books/2', 'GET', 8080, { 'x-client': 'app' })).reason).toMatch(/^route header /);
    expect(decide(w, request(FRONTEND, '/books/2', 'GET')).reason).toMatch(/^route prefix /);
  });

  it('header regexes use the span rule; ties keep the earlier route', () => {
    const w = world([
      ...base,
      route('first', 'web-http', [prefix('/')]),
      route('second', 'web-http', [prefix('/')]),
      route('agent', 'web-http', [prefix('/', { headers: [{ name: 'user-agent', type: 'RegularExpression', value: 'a|ab' }] })]),
    ]);
    expect(decide(w, request(FRONTEND, '/x')).reason).toMatch(/^route first /);
    expect(decide(w, request(FRONTEND, '/x', 'GET', 8080, { 'user-agent': 'a' })).reason).toMatch(/^route agent /);
    expect(decide(w, request(FRONTEND, '/x', 'GET', 8080, { 'user-agent': 'ab' })).reason).toMatch(/^route first /);
  });

  it('ties are ordered by creation time, then name: applied apart and deciding differently, they are ambiguous', () => {
    const first = route('a-open', 'web-http', [prefix('/')]);
    const second = route('b-closed', 'web-http', [prefix('/')]);
    const resources = [...base, first, second, policy('open', toRoute('a-open'), [])];
    // Applied together (one file, one creation second): the name decides.
    expect(decide(world(resources), request(OUTSIDE, '/x'))).toEqual({ allowed: true, reason: 'route a-open rule 0, authorized by AuthorizationPolicy open' });
    // Applied apart: the older one wins, whichever it is.
    const apart: LinkerdWorld = { ...world(resources), appliedTogether: (a, b) => (a === second) === (b === second) };
    const tied = decide(apart, request(OUTSIDE, '/x'));
    expect(tied.allowed).toBe(false);
    expect(tied.reason).toBe('route a-open and route b-closed rank the same and decide differently: the older one wins (creation time, then name), ambiguous');
    // Tied routes that decide alike are not ambiguous.
    const alike = [...base, first, second, policy('open', toRoute('a-open'), []), policy('open-too', toRoute('b-closed'), [])];
    expect(decide({ ...world(alike), appliedTogether: () => false }, request(OUTSIDE, '/x')).allowed).toBe(true);
  });

  it('a rule without matches matches everything; query-param matches never match our requests', () => {
    const w = world([...base, route('r', 'web-http', [{ matches: [{ queryParams: [{ name: 'q', value: 'x' }] }] }, {}])]);
    expect(decide(w, request(FRONTEND, '/anything')).reason).toBe('route r rule 1: no authorization (403)');
  });

  it('route policies must name the route group from 2.14; 2.13 matched by name', () => {
    const resources = [...base, route('gw', 'web-http', [prefix('/')], 'gateway.networking.k8s.io'), policy('p', toRoute('gw'), [])];
    expect(decide(world(resources), request(FRONTEND, '/')).allowed).toBe(false);
    expect(decide(world(resources, 'all-unauthenticated', '2.13'), request(FRONTEND, '/')).allowed).toBe(true);
    const right = [...base, route('gw', 'web-http', [prefix('/')], 'gateway.networking.k8s.io'), policy('p', toRoute('gw', 'gateway.networking.k8s.io'), [])];
    expect(decide(world(right), request(FRONTEND, '/')).allowed).toBe(true);
  });

  it('parentRefs must name the Server explicitly, without port or sectionName', () => {
    const defaultedGroup = res('gateway.networking.k8s.io/v1', 'HTTPRoute', 'gw', { parentRefs: [{ kind: 'Server', name: 'web-http' }], rules: [prefix('/api')] });
    const withPort = route('p', 'web-http', [prefix('/api')], 'policy.linkerd.io', { parentRefs: [{ group: 'policy.linkerd.io', kind: 'Server', name: 'web-http', port: 8080 }] });
    for (const r of [defaultedGroup, withPort]) {
      // Not attached: the default + probe routes stay.
      expect(decide(world([...base, r]), request(KUBELET, '/ready')).reason).toBe('probe route');
    }
  });

  it('a route with an invalid regex is not indexed', () => {
    const w = world([...base, route('bad', 'web-http', [{ matches: [{ path: { type: 'RegularExpression', value: '([' } }] }])]);
    expect(decide(w, request(KUBELET, '/ready')).reason).toBe('probe route');
  });

  it('routes with matching hostnames outrank routes without', () => {
    const w = world([
      ...base,
      route('any', 'web-http', [prefix('/api')]),
      route('host', 'web-http', [prefix('/')], 'policy.linkerd.io', { hostnames: ['*.example.com'] }),
    ]);
    expect(decide(w, request(FRONTEND, '/api', 'GET', 8080, { host: 'web.example.com:8080' })).reason).toMatch(/^route host /);
    expect(decide(w, request(FRONTEND, '/api', 'GET', 8080, { host: 'example.com' })).reason).toMatch(/^route any /);
  });
});
