import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { deployment, docs, namespace, service, trafficTarget } from '../../../../test/support/manifests.ts';
import { repo } from '../../../../test/support/repo.ts';
import { itWithShared, SCHEMAS } from '../../../../test/support/shared.ts';
import type { LinkerdResource } from '../../linkerd/resources.ts';
import { migrate } from '../../migrate.ts';
import { LINKERD_VERSIONS } from '../../options.ts';
import { compareRanks, outerCanWin, rankOf } from './precedence.ts';

/**
 * linkerd-reference §3.5: one route wins per request — "longest path match (Exact and RegularExpression count the
 * full path length, PathPrefix the prefix length), then more header matches, then more query-param matches, then a
 * method match"; ties by creation time, then name. Only the winning route's authorizations count.
 */

describe('route rank (released linkerd2-proxy order)', () => {
  it('compares path length first: a regex counts the whole path, a prefix its own length', () => {
    const prefix = rankOf({ path: { type: 'PathPrefix', value: '/api/users' } }, '/api/users/42');
    const regex = rankOf({ path: { type: 'RegularExpression', value: '^(?:/api/.*)$' } }, '/api/users/42');
    expect(prefix.path).toBe(10);
    expect(regex.path).toBe(13);
    expect(compareRanks(regex, prefix)).toBeGreaterThan(0);
    expect(rankOf({ path: { type: 'PathPrefix', value: '/' } }, '/x').path).toBe(1);
    expect(rankOf({ path: { type: 'PathPrefix', value: '/foo/' } }, '/foo').path).toBe(4);
  });

  it('then header count before method: more headers win over a method match', () => {
    const withHeader = rankOf({ path: { type: 'Exact', value: '/a' }, headers: [{ name: 'x', value: '1', type: 'Exact' }] }, '/a');
    const withMethod = rankOf({ path: { type: 'Exact', value: '/a' }, method: 'GET' }, '/a');
    expect(compareRanks(withHeader, withMethod)).toBeGreaterThan(0);
    expect(compareRanks(withMethod, rankOf({ path: { type: 'Exact', value: '/a' } }, '/a'))).toBeGreaterThan(0);
  });

  it('a contained PathPrefix can lose to a broader regex; a contained regex cannot', () => {
    const outer = [{ path: { type: 'RegularExpression' as const, value: '^(?:/api/.*)$' } }];
    expect(outerCanWin([{ path: { type: 'PathPrefix', value: '/api/users' } }], outer)).toBe(true);
    expect(outerCanWin([{ path: { type: 'RegularExpression', value: '^(?:/api/users(/.*)?)$' } }], outer)).toBe(false);
    expect(outerCanWin([{ path: { type: 'Exact', value: '/api/users' } }], outer)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Whole translations, judged by an independent model of the proxy's choice (written from the reference, above).

interface Request { readonly path: string; readonly method: string; readonly headers?: Record<string, string> }
interface Match { path?: { type: string; value: string }; headers?: { name: string; value: string; type: string }[]; method?: string }

function pathAccepts(m: Match, path: string): number | undefined {
  const p = m.path ?? { type: 'PathPrefix', value: '/' };
  if (p.type === 'Exact') return p.value === path ? path.length : undefined;
  if (p.type === 'RegularExpression') return new RegExp(p.value).exec(path)?.[0] === path ? path.length : undefined;
  const prefix = p.value.replace(/\/+$/, '');
  const ok = prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
  return ok ? Math.max(prefix.length, 1) : undefined;
}

function score(m: Match, r: Request): number[] | undefined {
  const path = pathAccepts(m, r.path);
  if (path === undefined || (m.method !== undefined && m.method !== r.method)) return undefined;
  for (const h of m.headers ?? []) {
    const v = r.headers?.[h.name];
    if (v === undefined || (h.type === 'Exact' ? v !== h.value : new RegExp(h.value).exec(v)?.[0] !== v)) return undefined;
  }
  return [path, m.headers?.length ?? 0, 0, m.method ? 1 : 0];
}

function better(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** The route the proxy picks (all created together: the name breaks ties), and whether it admits `source`. */
function admits(resources: readonly LinkerdResource[], r: Request, source: string): boolean {
  let best: { route: LinkerdResource; s: number[] } | undefined;
  const routes = resources.filter((x) => x.kind === 'HTTPRoute').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const route of routes) {
    for (const rule of route.spec['rules'] as { matches?: Match[] }[]) {
      for (const m of rule.matches ?? [{}]) {
        const s = score(m, r);
        if (s && (!best || better(s, best.s) > 0)) best = { route, s };
      }
    }
  }
  if (!best) return false;
  const chosen = best.route.metadata.name;
  const authn = resources
    .filter((x) => x.kind === 'AuthorizationPolicy' && (x.spec['targetRef'] as { name: string }).name === chosen)
    .flatMap((p) => (p.spec['requiredAuthenticationRefs'] as { kind: string; name: string }[]).map((ref) => ref.name));
  return resources.some((x) => x.kind === 'MeshTLSAuthentication' && authn.includes(x.metadata.name) &&
    (x.spec['identityRefs'] as { name: string }[]).some((i) => i.name === source));
}

/** Namespace shop (injected), workload `api` with port http 8080 behind Service api; `containerLines`: e.g. a probe. */
const shopApi = (containerLines: string[] = []) => docs(
  namespace({ name: 'shop', injection: 'enabled' }),
  deployment({ name: 'api', namespace: 'shop', container: 'app', ports: [{ name: 'http', containerPort: 8080 }], containerLines }),
  service({ name: 'api', namespace: 'shop', ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
);
const WORKLOAD = shopApi();

function target(name: string, source: string, match: string): string {
  return trafficTarget({ name, namespace: 'shop', destination: 'api', sources: [source], rules: [{ name: 'routes', matches: [match] }] });
}

function translate(matches: string, targets: Record<string, string>) {
  const plan = migrate(repo({
    'w.yaml': WORKLOAD,
    'g.yaml': `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: routes, namespace: shop}\nspec:\n  matches:\n${matches}`,
    ...targets,
  }), { meshMode: 'smi' });
  const resources = plan.resources.map((r) => r.resource);
  const route = (name: string) => resources.find((r) => r.kind === 'HTTPRoute' && r.metadata.name.endsWith(name));
  return { plan, resources, route, ids: plan.findings.map((f) => f.id) };
}

describe('a contained PathPrefix match inside a broader regex match', () => {
  const run = () => translate(
    '    - {name: any-api, pathRegex: "/api/.*"}\n    - {name: users, pathRegex: "/api/users(/.*)?"}\n',
    { 'broad.yaml': target('broad', 'reader', 'any-api'), 'narrow.yaml': target('narrow', 'admin', 'users') },
  );

  it('is emitted as the same regular expression, so the path lengths tie and its name wins', () => {
    const { route, ids } = run();
    expect(route('routes-users')?.spec['rules']).toEqual([{ matches: [{ path: { type: 'RegularExpression', value: '^(?:/api/users(/.*)?)$' } }] }]);
    expect(ids).toContain('traffic-target/prefix-as-regex');
  });

  it('admits the inner route\'s own clients on its longer paths (no 403), and both on them', () => {
    const { resources, plan } = run();
    expect(admits(resources, { path: '/api/users/42', method: 'GET' }, 'admin')).toBe(true);
    expect(admits(resources, { path: '/api/users/42', method: 'GET' }, 'reader')).toBe(true);
    expect(admits(resources, { path: '/api/orders', method: 'GET' }, 'admin')).toBe(false);
    expect(plan.verification.uncovered).toEqual([]);
  });

  it('as a PathPrefix (the old output) the broader regex would have won and refused the inner route\'s clients', () => {
    const { resources } = run();
    const old = resources.map((r) => (r.kind === 'HTTPRoute' && r.metadata.name.endsWith('routes-users')
      ? { ...r, spec: { ...r.spec, rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api/users' } }] }] } }
      : r));
    expect(admits(old, { path: '/api/users/42', method: 'GET' }, 'admin')).toBe(false);
  });
});

describe('a partial overlap (neither match contains the other) gets an intersection route with both sources', () => {
  it('path inside path, methods differ: GET /api/orders/… admits both, the rest keeps its own sources', () => {
    const { resources, route, ids, plan } = translate(
      '    - {name: read-api, pathRegex: "/api/.*", methods: [GET]}\n    - {name: orders, pathRegex: "/api/orders(/.*)?"}\n',
      { 'a.yaml': target('a', 'reader', 'read-api'), 'b.yaml': target('b', 'orders', 'orders') },
    );
    expect(ids).toContain('traffic-target/overlap-intersection');
    expect(ids).not.toContain('traffic-target/overlapping-routes');
    expect(route('read-api-and-orders')?.spec['rules']).toEqual([{ matches: [{ path: { type: 'RegularExpression', value: '^(?:/api/orders(/.*)?)$' }, method: 'GET' }] }]);
    const get = { path: '/api/orders/7', method: 'GET' };
    const post = { path: '/api/orders/7', method: 'POST' };
    expect([admits(resources, get, 'reader'), admits(resources, get, 'orders')]).toEqual([true, true]);
    expect([admits(resources, post, 'reader'), admits(resources, post, 'orders')]).toEqual([false, true]);
    expect([admits(resources, { path: '/api/x', method: 'GET' }, 'reader'), admits(resources, { path: '/api/x', method: 'GET' }, 'orders')]).toEqual([true, false]);
    expect(plan.verification.uncovered).toEqual([]);
  });

  it('a header condition and a path: the intersection carries both', () => {
    const { resources, route } = translate(
      '    - {name: admins, headers: [{x-role: admin}]}\n    - {name: reports, pathRegex: "/reports", methods: [GET]}\n',
      { 'a.yaml': target('a', 'boss', 'admins'), 'b.yaml': target('b', 'clerk', 'reports') },
    );
    expect(route('admins-and-reports')?.spec['rules']).toEqual([{
      matches: [{ path: { type: 'Exact', value: '/reports' }, headers: [{ name: 'x-role', value: 'admin', type: 'Exact' }], method: 'GET' }],
    }]);
    const asAdmin = { path: '/reports', method: 'GET', headers: { 'x-role': 'admin' } };
    expect([admits(resources, asAdmin, 'boss'), admits(resources, asAdmin, 'clerk')]).toEqual([true, true]);
    expect(admits(resources, { path: '/reports', method: 'GET' }, 'boss')).toBe(false);
  });

  it('two regexes neither inside the other: reported, no intersection invented', () => {
    const { ids } = translate(
      '    - {name: api, pathRegex: "/api/.*"}\n    - {name: users-anywhere, pathRegex: "/.*/users"}\n',
      { 'a.yaml': target('a', 'one', 'api'), 'b.yaml': target('b', 'two', 'users-anywhere') },
    );
    expect(ids).toContain('traffic-target/overlapping-routes');
    expect(ids).not.toContain('traffic-target/overlap-intersection');
  });
});

describe('an empty header value', () => {
  const run = () => translate('    - {name: empty, pathRegex: /x, headers: [{x-empty: ""}]}\n', { 't.yaml': target('t', 'client', 'empty') });

  it('becomes RegularExpression ^$ (an Exact value has minLength 1), with a note', () => {
    const { route, ids } = run();
    expect(route('routes-empty')?.spec['rules']).toEqual([{ matches: [{ path: { type: 'Exact', value: '/x' }, headers: [{ name: 'x-empty', value: '^$', type: 'RegularExpression' }] }] }]);
    expect(ids).toContain('traffic-target/empty-header-value');
  });

  itWithShared.each(LINKERD_VERSIONS)('is schema-valid for Linkerd %s', (version) => {
    const plan = migrate(repo({
      'w.yaml': WORKLOAD,
      'g.yaml': 'apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: routes, namespace: shop}\nspec:\n  matches:\n    - {name: empty, pathRegex: /x, headers: [{x-empty: ""}]}\n',
      't.yaml': target('t', 'client', 'empty'),
    }), { meshMode: 'smi', linkerdVersion: version });
    const routes = plan.resources.map((r) => r.resource).filter((r) => r.kind === 'HTTPRoute');
    expect(routes.length).toBeGreaterThan(0);
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const r of routes) {
      const schema = JSON.parse(readFileSync(join(SCHEMAS, `linkerd-${version}`, `${r.apiVersion.replace('/', '_')}_HTTPRoute.json`), 'utf8')) as object;
      const validate = ajv.compile(schema);
      expect(validate(JSON.parse(JSON.stringify(r))), ajv.errorsText(validate.errors)).toBe(true);
    }
  });
});

describe('probe routes and OSM routes that accept the kubelet\'s GET', () => {
  const probed = shopApi(['readinessProbe: {httpGet: {path: /healthz, port: 8080}}']);
  const run = (regex: string) => {
    const plan = migrate(repo({
      'w.yaml': probed,
      'g.yaml': `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: routes, namespace: shop}\nspec:\n  matches:\n    - {name: m, pathRegex: "${regex}", methods: [GET]}\n`,
      't.yaml': target('t', 'client', 'm'),
    }), { meshMode: 'smi' });
    return plan.findings.filter((f) => f.id === 'probes/overlaps-route');
  };

  it('a GET route whose path ranks as high as the Exact probe path (a regex) is reported', () => {
    expect(run('/health.*')).toHaveLength(1);
  });

  it('a GET route on a shorter prefix loses to the probe route on the path: nothing to report', () => {
    expect(run('(/.*)?')).toEqual([]);
  });
});
