import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaProblems } from '../../../../test/support/crd-schemas.ts';
import { inventoryOf } from '../../../../test/support/repo.ts';
import { CORPUS, describeWithShared, readLazily } from '../../../../test/support/shared.ts';
import { migrate } from '../../index.ts';
import type { MeshMode } from '../../inventory/mesh-mode.ts';
import type { LinkerdResource } from '../../linkerd/resources.ts';
import { LINKERD_VERSIONS, resolveOptions, type MigrationOptionsInput } from '../../options.ts';
import { goDurationMs, linkerdDuration } from '../../linkerd/duration.ts';
import { retryAnnotations, translateRetryPolicy } from './retry-policy.ts';
import { translateRetries } from './retry.ts';

const MODE: MeshMode = { mode: 'permissive', source: 'option' };
const corpus = (path: string) => readFileSync(join(CORPUS, path), 'utf8');

/** openservicemesh_osm-docs …demos__retry_policy.md: curl retries to httpbin, 5xx, perTryTimeout 1s, numRetries 5. */
const DEMO = readLazily(() => corpus('openservicemesh_osm-docs/content__en__docs__demos__retry_policy.md.extracted.yaml'));
/** The guide: two Retry objects from bookbuyer, the second for bookstore-v2 only (5xx,retriable-4xx, 4s, 5 retries, 2ms). */
const GUIDE = readLazily(() => corpus('openservicemesh_osm-docs/content__en__docs__guides__traffic_management__retry_policy.md.extracted.yaml'));

const meshConfig = (flags: string) => `
apiVersion: config.openservicemesh.io/v1alpha2
kind: MeshConfig
metadata: {name: osm-mesh-config, namespace: osm-system}
spec:
  traffic: {enablePermissiveTrafficPolicyMode: true}
${flags}`;
const ENABLED = meshConfig('  featureFlags: {enableRetryPolicy: true}');

const service = (name: string, ns: string, annotations = '{app: x}') => `
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
  annotations: ${annotations}
spec: {selector: {app: ${name}}, ports: [{name: http, port: 14001}]}
`;

function run(files: Record<string, string>, options: MigrationOptionsInput = {}) {
  const { inventory } = inventoryOf(files);
  const out = translateRetries({ inventory, options: resolveOptions(options), meshMode: MODE });
  return {
    out,
    resources: out.resources.map((r) => r.resource),
    ids: out.findings.map((f) => f.id).sort(),
    messages: out.findings.map((f) => `${f.id} ${f.message}`),
    edits: out.edits.map((e) => (e.type === 'set-key' ? `${e.doc.file} ${e.key}=${e.value}` : e.type)),
  };
}

describeWithShared('the enableRetryPolicy feature flag', () => {
  // osm-semantics §3.4: "Retry is off unless featureFlags.enableRetryPolicy is set (chart default false)".
  it('without a MeshConfig, OSM never retried: nothing is generated and a finding says so', () => {
    const { edits, resources, ids, messages } = run({ 'retry.yaml': DEMO(), 's.yaml': service('httpbin', 'httpbin') });
    expect(edits).toEqual([]);
    expect(resources).toEqual([]);
    expect(ids).toEqual(['retry/feature-disabled']);
    expect(messages[0]).toContain('The repository has no MeshConfig, and OSM\'s default featureFlags.enableRetryPolicy is false');
    expect(messages[0]).toContain('Had it been on, this would be retry.linkerd.io/http: "5xx", retry.linkerd.io/limit: "5", retry.linkerd.io/timeout: "1s" on Service httpbin/httpbin');
  });

  it('says whether the MeshConfig turns the flag off or leaves it out', () => {
    const off = run({ 'retry.yaml': DEMO(), 'mc.yaml': meshConfig('  featureFlags: {enableRetryPolicy: false}') });
    expect(off.messages[0]).toContain('MeshConfig/osm-system/osm-mesh-config sets featureFlags.enableRetryPolicy: false');
    const absent = run({ 'retry.yaml': DEMO(), 'mc.yaml': meshConfig('') });
    expect(absent.messages[0]).toContain('leaves featureFlags.enableRetryPolicy out (default false)');
  });
});

describeWithShared('Linkerd 2.16+ retry annotations', () => {
  it('annotates the destination Service and says every client now retries (corpus retry_policy demo)', () => {
    const { edits, ids, messages } = run({ 'retry.yaml': DEMO(), 'mc.yaml': ENABLED, 's.yaml': service('httpbin', 'httpbin') });
    expect(edits).toEqual(['s.yaml retry.linkerd.io/http=5xx', 's.yaml retry.linkerd.io/limit=5', 's.yaml retry.linkerd.io/timeout=1s']);
    expect(ids).toEqual(['retry/applies-to-all-clients', 'retry/not-expressible', 'retry/translated']);
    // osm-semantics §3.4: the policy "is applied to the client's outbound route to that Service" for the source only.
    expect(messages.find((m) => m.startsWith('retry/applies-to-all-clients'))).toContain('only from ServiceAccount curl/curl');
    expect(messages.find((m) => m.startsWith('retry/not-expressible'))).toContain('retryBackoffBaseInterval "1s"');
  });

  // linkerd-reference §5: a ServiceProfile for the Service takes precedence over its retry annotations.
  it('says the annotations do nothing while the repository keeps a ServiceProfile for the Service', () => {
    const profile = 'apiVersion: linkerd.io/v1alpha2\nkind: ServiceProfile\nmetadata: {name: httpbin.httpbin.svc.cluster.local, namespace: httpbin}\nspec: {routes: []}\n';
    const { ids, messages } = run({ 'retry.yaml': DEMO(), 'mc.yaml': ENABLED, 's.yaml': service('httpbin', 'httpbin'), 'sp.yaml': profile });
    expect(ids).toContain('retry/service-profile-overrides');
    expect(messages.find((m) => m.startsWith('retry/service-profile-overrides'))).toContain('Linkerd ignores the retry annotations');
    expect(run({ 'retry.yaml': DEMO(), 'mc.yaml': ENABLED, 's.yaml': service('httpbin', 'httpbin') }).ids).not.toContain('retry/service-profile-overrides');
  });

  it('says gRPC retry conditions need a GRPCRoute on the Service', () => {
    const grpc = DEMO().replace(/retryOn: .*/, 'retryOn: "5xx,unavailable"');
    const { messages } = run({ 'retry.yaml': grpc, 'mc.yaml': ENABLED, 's.yaml': service('httpbin', 'httpbin') });
    expect(messages.filter((m) => m.includes('retry.linkerd.io/grpc applies to gRPC routes'))).toHaveLength(1);
    const route = 'apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: r, namespace: httpbin}\nspec:\n  parentRefs: [{name: httpbin, kind: Service, group: core}]\n';
    expect(run({ 'retry.yaml': grpc, 'mc.yaml': ENABLED, 's.yaml': service('httpbin', 'httpbin'), 'r.yaml': route }).messages.some((m) => m.includes('applies to gRPC routes'))).toBe(false);
  });

  it('lets the first Retry win per source and destination (corpus retry_policy guide)', () => {
    const { edits, messages } = run({ 'retry.yaml': GUIDE(), 'mc.yaml': ENABLED, 's.yaml': service('bookstore', 'bookstore-v1') + '---' + service('bookstore', 'bookstore-v2') });
    // "The first matching policy wins" (osm-semantics §3.4): both Services get the first Retry's policy.
    expect(edits).toEqual([
      's.yaml retry.linkerd.io/http=5xx', 's.yaml retry.linkerd.io/limit=3', 's.yaml retry.linkerd.io/timeout=3s',
      's.yaml retry.linkerd.io/http=5xx', 's.yaml retry.linkerd.io/limit=3', 's.yaml retry.linkerd.io/timeout=3s',
    ]);
    expect(messages).toContainEqual(expect.stringMatching(/^retry\/conflicting-policies .*bookstore-v2\/bookstore after Retry\/retry already did: OSM used only the first matching Retry/));
  });

  it('does not pick between different policies from different clients', () => {
    const second = DEMO().replace('name: retry\n', 'name: retry-2\n').replaceAll('name: curl\n', 'name: other\n').replace('numRetries: 5', 'numRetries: 2');
    const { edits, messages } = run({ 'a.yaml': DEMO(), 'b.yaml': second, 'mc.yaml': ENABLED, 's.yaml': service('httpbin', 'httpbin') });
    expect(edits).toEqual([]);
    expect(messages.filter((m) => m.startsWith('retry/conflicting-policies'))).toHaveLength(2);
    expect(messages.find((m) => m.startsWith('retry/conflicting-policies'))).toContain('from curl/curl (Retry/curl/retry): retry.linkerd.io/http: "5xx", retry.linkerd.io/limit: "5"');
  });

  it('annotates a Service without an annotations mapping too (the planner creates it), and gives the lines when the Service is not in the repository', () => {
    const bare = service('httpbin', 'httpbin').replace('  annotations: {app: x}\n', '');
    const created = run({ 'retry.yaml': DEMO(), 'mc.yaml': ENABLED, 's.yaml': bare });
    expect(created.edits).toEqual(['s.yaml retry.linkerd.io/http=5xx', 's.yaml retry.linkerd.io/limit=5', 's.yaml retry.linkerd.io/timeout=1s']);
    expect(created.ids).toEqual(['retry/applies-to-all-clients', 'retry/not-expressible', 'retry/translated']);
    expect(created.messages.find((m) => m.startsWith('retry/translated'))).not.toContain('by hand');
    const missing = run({ 'retry.yaml': DEMO(), 'mc.yaml': ENABLED });
    expect(missing.ids).toEqual(['retry/destination-not-found', 'retry/not-expressible']);
  });

  it('ignores what OSM ignored: non-ServiceAccount sources, non-Service destinations, numRetries 0', () => {
    const badSource = DEMO().replace('kind: ServiceAccount', 'kind: Deployment');
    // The whole Retry did nothing: one finding, no policy details.
    expect(run({ 'r.yaml': badSource, 'mc.yaml': ENABLED }).ids).toEqual(['retry/invalid-reference']);
    const badDestination = DEMO().replace('kind: Service\n', 'kind: Pod\n');
    expect(run({ 'r.yaml': badDestination, 'mc.yaml': ENABLED, 's.yaml': service('httpbin', 'httpbin') }).edits).toEqual([]);
    const none = run({ 'r.yaml': DEMO().replace('numRetries: 5', 'numRetries: 0'), 'mc.yaml': ENABLED, 's.yaml': service('httpbin', 'httpbin') });
    expect(none.edits).toEqual([]);
    expect(none.ids).toContain('retry/ineffective');
  });

  it('names unknown fields', () => {
    const { messages } = run({ 'r.yaml': DEMO().replace('  retryPolicy:', '  timeout: 5s\n  retryPolicy:'), 'mc.yaml': ENABLED, 's.yaml': service('httpbin', 'httpbin') });
    expect(messages).toContainEqual(expect.stringMatching(/^retry\/unknown-field spec\.timeout of Retry\/curl\/retry/));
  });
});

describeWithShared('Linkerd before 2.16', () => {
  const PROFILE: LinkerdResource = {
    apiVersion: 'linkerd.io/v1alpha2',
    kind: 'ServiceProfile',
    metadata: { name: 'bookstore.bookstore-v2.svc.cluster.local', namespace: 'bookstore-v2', labels: { 'app.kubernetes.io/managed-by': 'osm2linkerd' } },
    spec: {
      // retriable-4xx is 409: it becomes a failure class so the route retries it.
      routes: [{ name: 'all', condition: { pathRegex: '.*' }, isRetryable: true, responseClasses: [{ condition: { status: { min: 409, max: 409 } }, isFailure: true }] }],
      retryBudget: { retryRatio: 0.2, minRetriesPerSecond: 10, ttl: '10s' },
    },
  };
  const ANNOTATIONS = ['s.yaml retry.linkerd.io/http=5xx,409', 's.yaml retry.linkerd.io/limit=5', 's.yaml retry.linkerd.io/timeout=4s'];

  // linkerd-reference §5: 2.12-2.15 retry only through ServiceProfiles; retry.linkerd.io/* annotations from 2.16.
  it.each(LINKERD_VERSIONS)('Linkerd %s: a retryable catch-all ServiceProfile before 2.16, annotations from 2.16', (version) => {
    const guideV2 = GUIDE().split('---\n')[1] ?? '';
    const { resources, edits } = run({ 'r.yaml': guideV2, 'mc.yaml': ENABLED, 's.yaml': service('bookstore', 'bookstore-v2') }, { linkerdVersion: version });
    expect(schemaProblems(version, resources)).toEqual([]);
    const annotated = !['2.12', '2.13', '2.14', '2.15'].includes(version);
    expect({ resources, edits }).toEqual(annotated ? { resources: [], edits: ANNOTATIONS } : { resources: [PROFILE], edits: [] });
  });

  it('leaves a TrafficSplit apex alone: a ServiceProfile would override its HTTPRoute', () => {
    const split = `
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: s, namespace: httpbin}
spec: {service: httpbin.httpbin.svc.cluster.local, backends: [{service: httpbin-v1, weight: 1}]}
`;
    const { resources, messages, ids } = run({ 'r.yaml': DEMO(), 'mc.yaml': ENABLED, 's.yaml': service('httpbin', 'httpbin'), 't.yaml': split }, { linkerdVersion: '2.14' });
    expect(resources).toEqual([]);
    // Nothing configured, so nothing widened either.
    expect(ids).not.toContain('retry/applies-to-all-clients');
    expect(messages.find((m) => m.startsWith('retry/service-profile'))).toContain('is the apex of a TrafficSplit');
  });
});

describe('retryPolicy fields', () => {
  it('maps Envoy conditions to Linkerd\'s and names the ones Linkerd lacks', () => {
    const t = translateRetryPolicy({ retryOn: 'gateway-error, retriable-4xx,unavailable,reset,bogus', numRetries: 2, perTryTimeout: '250us' });
    expect(retryAnnotations(t)).toEqual([
      ['retry.linkerd.io/http', 'gateway-error,409'],
      ['retry.linkerd.io/grpc', 'unavailable'],
      ['retry.linkerd.io/limit', '2'],
      ['retry.linkerd.io/timeout', '1ms'],
    ]);
    expect(t.dropped.map((d) => d.message)).toEqual([
      expect.stringContaining('retryOn "reset": OSM retried requests whose connection or stream was reset'),
      expect.stringContaining('retryOn "bogus" is not an Envoy retry condition'),
      expect.stringContaining('perTryTimeout 250us is finer than Linkerd\'s milliseconds: 1ms is used'),
    ]);
  });

  // A structural CRD rejects a wrong-typed field: the object never existed in OSM, so nothing may be generated.
  it('treats a Retry whose fields OSM\'s API server rejected as never applied', () => {
    expect(translateRetryPolicy({ retryOn: '5xx', numRetries: 3, perTryTimeout: 100 }).ineffective).toContain('rejected the Retry');
    expect(translateRetryPolicy({ retryOn: '5xx', numRetries: '3' }).ineffective).toContain('rejected the Retry');
    expect(translateRetryPolicy({ retryOn: '5xx', numRetries: 3, perTryTimeout: '1s' }).ineffective).toBeUndefined();
  });

  it('has no retries for an unknown-only retryOn, and no per-try timeout for 0s', () => {
    expect(translateRetryPolicy({ retryOn: 'bogus', numRetries: 3 }).ineffective).toContain('names no condition Envoy knows');
    expect(translateRetryPolicy({ retryOn: '5xx', numRetries: 3, perTryTimeout: '0s' }).perTryTimeout).toBeUndefined();
    expect(retryAnnotations(translateRetryPolicy({ retryOn: 'connect-failure', numRetries: 3 }))).toEqual([]);
  });

  it('writes Go durations the way Linkerd parses them (integer and ms|s|m|h|d)', () => {
    const text = (d: string) => linkerdDuration(goDurationMs(d) ?? -1).text;
    expect(['3s', '1.5s', '1m30s', '2ms', '90m', '24h', '0.1s'].map(text)).toEqual(['3s', '1500ms', '90s', '2ms', '90m', '1d', '100ms']);
    expect(goDurationMs('3')).toBeUndefined();
    expect(goDurationMs('0')).toBe(0);
  });
});

describeWithShared('through the whole migration', () => {
  it('writes the annotations into the Service file losslessly and removes the Retry', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: httpbin # the upstream\n  namespace: httpbin\n  annotations:\n    owner: web\nspec:\n  ports: [{port: 14001}]\n';
    const plan = migrate(new Map([['retry.yaml', DEMO()], ['mc.yaml', ENABLED.replace(/^\n/, '')], ['svc.yaml', svc]]));
    expect(plan.files.find((f) => f.path === 'svc.yaml')?.content).toBe(svc.replace(
      '    owner: web\n',
      '    owner: web\n    retry.linkerd.io/http: 5xx\n    retry.linkerd.io/limit: "5"\n    retry.linkerd.io/timeout: 1s\n',
    ));
    expect(plan.files.find((f) => f.path === 'retry.yaml')?.action).toBe('delete');
  });

  it('creates one annotations mapping on a Service that has none, holding the retry and the failure accrual annotations', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: httpbin\n  namespace: httpbin\nspec:\n  ports: [{port: 14001}]\n';
    const breaker = 'apiVersion: policy.openservicemesh.io/v1alpha1\nkind: UpstreamTrafficSetting\nmetadata: {name: cb, namespace: httpbin}\nspec:\n  host: httpbin.httpbin.svc.cluster.local\n  connectionSettings:\n    http:\n      circuitBreaking: {errorAmountThreshold: 3}\n';
    const plan = migrate(new Map([['retry.yaml', DEMO()], ['mc.yaml', ENABLED.replace(/^\n/, '')], ['svc.yaml', svc], ['cb.yaml', breaker]]));
    expect(plan.files.find((f) => f.path === 'svc.yaml')?.content).toBe(svc.replace(
      '  namespace: httpbin\n',
      [
        '  namespace: httpbin', '  annotations:',
        '    balancer.linkerd.io/failure-accrual: consecutive', '    balancer.linkerd.io/failure-accrual-consecutive-max-failures: "3"',
        '    retry.linkerd.io/http: 5xx', '    retry.linkerd.io/limit: "5"', '    retry.linkerd.io/timeout: 1s', '',
      ].join('\n'),
    ));
    expect(plan.findings.map((f) => f.id)).not.toContain('plan/edit-failed');
  });
});

