import { describe, expect, it } from 'vitest';
import { namespace } from '../../../../test/support/manifests.ts';
import { inventoryOf } from '../../../../test/support/repo.ts';
import { resolveOptions } from '../../options.ts';
import { translateInjection } from './injection.ts';

// Modelled on fluxcd_flagger/kustomize__tester__deployment.yaml and osm-docs' namespace onboarding.
const FILES = {
  'ns.yaml': namespace({ name: 'shop', monitoredBy: 'osm', annotations: { 'openservicemesh.io/sidecar-injection': 'Yes', 'openservicemesh.io/metrics': 'enabled' }, block: true }),
  'd.yaml': `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tester
  namespace: shop
  annotations:
    openservicemesh.io/inbound-port-exclusion-list: "80"
spec:
  selector: {matchLabels: {app: tester}}
  template:
    metadata:
      labels: {app: tester, osm-proxy-uuid: 1234}
      annotations:
        openservicemesh.io/sidecar-injection: disabled
        openservicemesh.io/inbound-port-exclusion-list: "80, 8080"
        openservicemesh.io/outbound-ip-range-exclusion-list: 10.0.0.0/8
        openservicemesh.io/outbound-ip-range-inclusion-list: 10.1.0.0/16
        openservicemesh.io/sidecar-injection-typo: x
    spec: {containers: []}
`,
};

describe('translateInjection', () => {
  const { inventory } = inventoryOf(FILES);
  const out = translateInjection({ inventory, options: resolveOptions(), meshMode: { mode: 'smi', source: 'option' } });
  const intents = out.edits.map((e) => ({ ...e, doc: e.doc.file }));

  // osm-semantics §5: values are case-insensitive enabled/yes/true or disabled/no/false.
  it('rewrites sidecar-injection to linkerd.io/inject on Namespaces and pod templates', () => {
    expect(intents).toContainEqual({ type: 'rename-key', doc: 'ns.yaml', path: ['metadata', 'annotations'], key: 'openservicemesh.io/sidecar-injection', newKey: 'linkerd.io/inject', newValue: 'enabled' });
    expect(intents).toContainEqual({ type: 'rename-key', doc: 'd.yaml', path: ['spec', 'template', 'metadata', 'annotations'], key: 'openservicemesh.io/sidecar-injection', newKey: 'linkerd.io/inject', newValue: 'disabled' });
  });

  it('maps exclusion lists to config.linkerd.io/skip-*, normalising the list', () => {
    expect(intents).toContainEqual({ type: 'rename-key', doc: 'd.yaml', path: ['spec', 'template', 'metadata', 'annotations'], key: 'openservicemesh.io/inbound-port-exclusion-list', newKey: 'config.linkerd.io/skip-inbound-ports', newValue: '80,8080' });
    expect(intents).toContainEqual({ type: 'rename-key', doc: 'd.yaml', path: ['spec', 'template', 'metadata', 'annotations'], key: 'openservicemesh.io/outbound-ip-range-exclusion-list', newKey: 'config.linkerd.io/skip-subnets', newValue: '10.0.0.0/8' });
  });

  it('removes the labels and annotations Linkerd has no use for, and the pod key on the Deployment itself', () => {
    const removed = intents.filter((e) => e.type === 'remove-key').map((e) => 'key' in e && e.key).sort();
    expect(removed).toEqual(['openservicemesh.io/inbound-port-exclusion-list', 'openservicemesh.io/metrics', 'openservicemesh.io/monitored-by', 'osm-proxy-uuid']);
  });

  it('explains every change, keeps the inclusion list, and leaves unknown keys to the unhandled pass', () => {
    expect(out.findings.map((f) => f.id).sort()).toEqual([
      'injection/annotation-not-on-pod', 'injection/annotation-rewritten', 'injection/annotation-rewritten', 'injection/annotation-rewritten',
      'injection/annotation-rewritten', 'injection/ip-range-inclusion-unsupported', 'injection/metrics-removed',
      'injection/monitored-by-removed', 'injection/proxy-uuid-label', 'injection/skip-inbound-replaces-defaults',
    ]);
    expect(out.consumed.map((c) => c.path?.at(-1))).not.toContain('openservicemesh.io/sidecar-injection-typo');
  });

  it('refuses a value OSM refused', () => {
    const bad = inventoryOf({ 'ns.yaml': FILES['ns.yaml'].replace('"Yes"', 'enable') });
    const result = translateInjection({ inventory: bad.inventory, options: resolveOptions(), meshMode: { mode: 'smi', source: 'option' } });
    expect(result.findings.find((f) => f.id === 'injection/invalid-value')).toMatchObject({ file: 'ns.yaml', line: 8, severity: 'error' });
  });
});

describe('Helm values files', () => {
  it('rewrites OSM annotation keys wherever values carry them, and flags the others', () => {
    const values = 'replicaCount: 1\npodAnnotations:\n  # mesh it\n  openservicemesh.io/sidecar-injection: "true"\n  openservicemesh.io/inbound-port-exclusion-list: "8080, 9090"\n  openservicemesh.io/unknown: x\n';
    const { inventory } = inventoryOf({ 'chart/values.yaml': values });
    const out = translateInjection({ inventory, options: resolveOptions(), meshMode: { mode: 'smi', source: 'option' } });
    expect(out.edits.map((e) => ({ ...e, doc: e.doc.file }))).toEqual([
      { type: 'rename-key', doc: 'chart/values.yaml', path: ['podAnnotations'], key: 'openservicemesh.io/sidecar-injection', newKey: 'linkerd.io/inject', newValue: 'enabled' },
      { type: 'rename-key', doc: 'chart/values.yaml', path: ['podAnnotations'], key: 'openservicemesh.io/inbound-port-exclusion-list', newKey: 'config.linkerd.io/skip-inbound-ports', newValue: '8080,9090' },
    ]);
    expect(out.findings.map((f) => [f.id, f.line])).toEqual([
      ['injection/annotation-rewritten', 4], ['injection/annotation-rewritten', 5], ['unhandled/osm-annotation', 6],
    ]);
  });
});

// osm-semantics §5: a pod's exclusion annotation is a "Union with MeshConfig.traffic…ExclusionList"; in Linkerd the
// pod's config.linkerd.io/skip-* hides the namespace's, so the rewritten line carries the union.
describe('mesh-wide exclusion lists', () => {
  const MESH = 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec:\n  traffic:\n    outboundPortExclusionList: [6379]\n    inboundPortExclusionList: [80, 9090]\n    outboundIPRangeExclusionList: [169.254.169.254/32, bogus]\n';

  it('rewrites each pod exclusion list to its union with the MeshConfig list, pod values first', () => {
    const { inventory } = inventoryOf({ ...FILES, 'mc.yaml': MESH });
    const out = translateInjection({ inventory, options: resolveOptions(), meshMode: { mode: 'smi', source: 'option' } });
    const renames = out.edits.flatMap((e) => (e.type === 'rename-key' && e.doc.file === 'd.yaml' ? [[e.newKey, e.newValue]] : []));
    expect(renames).toEqual([
      ['linkerd.io/inject', 'disabled'],
      ['config.linkerd.io/skip-inbound-ports', '80,8080,9090'],
      ['config.linkerd.io/skip-subnets', '10.0.0.0/8,169.254.169.254/32'],
    ]);
    const messages = out.findings.map((f) => f.message);
    expect(messages).toContain('openservicemesh.io/inbound-port-exclusion-list becomes config.linkerd.io/skip-inbound-ports: "80,8080,9090" on Deployment/shop/tester (its own "80,8080" plus traffic.inboundPortExclusionList of MeshConfig/osm-system/osm-mesh-config, which OSM added to it).');
    expect(messages).toContain('config.linkerd.io/skip-inbound-ports: "80,8080,9090" on Deployment/shop/tester replaces Linkerd\'s default skipped inbound ports (4567,4568).');
  });

  it('merges in Helm values files too, and reads the legacy osm-config list', () => {
    const legacy = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: osm-config, namespace: osm-system}\ndata:\n  outbound_ip_range_exclusion_list: "10.0.0.0/8, 172.16.0.0/12"\n';
    const values = 'podAnnotations:\n  openservicemesh.io/outbound-ip-range-exclusion-list: 10.0.0.0/8\n';
    const { inventory } = inventoryOf({ 'chart/values.yaml': values, 'c.yaml': legacy });
    const out = translateInjection({ inventory, options: resolveOptions(), meshMode: { mode: 'smi', source: 'option' } });
    expect(out.edits.map((e) => (e.type === 'rename-key' ? e.newValue : e.type))).toEqual(['10.0.0.0/8,172.16.0.0/12']);
  });
});

// osm-semantics §5: "`osm namespace add <ns>` writes the label `monitored-by=<mesh>` plus the annotation
// `sidecar-injection: enabled`" — in the cluster, not in Git. linkerd-reference §7.1: "ns unset/`disabled`+pod unset →
// no" injection, and §3.1: "Linkerd can only enforce policy on meshed pods".
describe('namespaces meshed outside Git', () => {
  const deployment = (ns: string | undefined, podAnnotations = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api${ns ? `, namespace: ${ns}` : ''}}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata:
      labels: {app: api}${podAnnotations}
    spec:
      serviceAccountName: api
      containers: [{name: api, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: api${ns ? `, namespace: ${ns}` : ''}}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: http}]
`;
  const target = (sourceNs = 'front') => `
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: front-to-api, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: [{kind: TCPRoute, name: any}]
  sources: [{kind: ServiceAccount, name: web, namespace: ${sourceNs}}]
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: any, namespace: shop}
spec: {}
`;
  // The Namespace manifest as the demo repositories write it, before `osm namespace add` ran against the cluster.
  const bareNamespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
  const run = (files: Record<string, string>) => {
    const { inventory } = inventoryOf(files);
    return translateInjection({ inventory, options: resolveOptions(), meshMode: { mode: 'smi', source: 'option' } });
  };
  const ours = (out: ReturnType<typeof run>) => out.findings.filter((f) => f.id.startsWith('injection/namespace-inject'));

  it('adds linkerd.io/inject: enabled to a Namespace manifest that carries no injection annotation', () => {
    const out = run({ 'ns.yaml': bareNamespace, 'api.yaml': deployment('shop'), 'tt.yaml': target() });
    expect(out.edits.map((e) => ({ ...e, doc: e.doc.file }))).toContainEqual({ type: 'set-key', doc: 'ns.yaml', path: ['metadata', 'annotations'], key: 'linkerd.io/inject', value: 'enabled' });
    const [added, ...rest] = ours(out);
    expect(added).toMatchObject({ id: 'injection/namespace-inject-added', severity: 'warning', file: 'ns.yaml', line: 4 });
    expect(added?.message).toContain('treats its pods as meshed (Deployment api): OSM\'s injection was set outside Git (osm namespace add)');
    // The source namespace `front` has neither manifest nor workload here: its injection is outside Git too.
    expect(rest.map((f) => [f.id, f.file, f.message.match(/kubectl annotate namespace \S+ \S+/)?.[0]])).toEqual([
      ['injection/namespace-inject-outside-git', 'tt.yaml', 'kubectl annotate namespace front linkerd.io/inject=enabled'],
    ]);
  });

  it('without a Namespace manifest, warns with the exact command and what happens if it is skipped', () => {
    const out = run({ 'api.yaml': deployment('shop'), 'tt.yaml': target('shop') });
    expect(out.edits.filter((e) => e.type === 'set-key')).toEqual([]);
    expect(ours(out).map((f) => [f.id, f.severity, f.file, f.line])).toEqual([['injection/namespace-inject-outside-git', 'warning', 'api.yaml', 2]]);
    const message = ours(out)[0]?.message ?? '';
    expect(message).toContain('kubectl annotate namespace shop linkerd.io/inject=enabled');
    expect(message).toContain('its pods run without a Linkerd proxy once OSM is removed, and every policy generated for them is inert');
    // verify cannot know whether these pods get a proxy: the step explains every difference that hangs on it.
    expect(ours(out)[0]?.affects).toEqual([{ namespace: 'shop' }]);
  });

  it('asks for the namespace a namespace-less file is applied to when a Server is generated for its pods', () => {
    const ingress = 'kind: IngressBackend\napiVersion: policy.openservicemesh.io/v1alpha1\nmetadata: {name: api}\nspec:\n  backends: [{name: api, port: {number: 8080, protocol: http}}]\n  sources: [{kind: IPRange, name: 10.0.0.0/8}]\n';
    const out = run({ 'api.yaml': deployment(undefined), 'ib.yaml': ingress });
    expect(ours(out).map((f) => [f.id, f.file])).toEqual([['injection/namespace-inject-outside-git', 'api.yaml']]);
    expect(ours(out)[0]?.message).toContain('kubectl annotate namespace <ns> linkerd.io/inject=enabled');
  });

  it('leaves alone what Git already decides: the namespace annotation, the pod template, an ignored namespace', () => {
    const annotated = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations: {openservicemesh.io/sidecar-injection: enabled}\n';
    expect(ours(run({ 'ns.yaml': annotated, 'api.yaml': deployment('shop'), 'tt.yaml': target('shop') }))).toEqual([]);
    const pod = '\n      annotations: {openservicemesh.io/sidecar-injection: enabled}';
    expect(ours(run({ 'api.yaml': deployment('shop', pod), 'tt.yaml': target('shop') }))).toEqual([]);
    const ignored = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {openservicemesh.io/ignore: "true"}\n';
    const out = run({ 'ns.yaml': ignored, 'api.yaml': deployment('shop'), 'tt.yaml': target('shop') });
    expect(ours(out)).toEqual([]);
    expect(out.edits.filter((e) => e.type === 'set-key' && e.key === 'linkerd.io/inject').map((e) => e.type === 'set-key' && e.value)).toEqual(['disabled']);
  });

  // The Argo Rollout of corpus repos/c089: `workloadRef` to a Deployment whose pod template asks for the sidecar.
  it('reads a Rollout with workloadRef as the pods of the Deployment it references, which decide injection', () => {
    const rollout = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: api, namespace: shop}\nspec:\n  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n';
    const pod = '\n      annotations: {openservicemesh.io/sidecar-injection: enabled}';
    expect(ours(run({ 'api.yaml': deployment('shop', pod), 'rollout.yaml': rollout, 'tt.yaml': target('shop') }))).toEqual([]);
  });

  it('says nothing for workloads the migration does not treat as meshed', () => {
    expect(ours(run({ 'ns.yaml': bareNamespace, 'api.yaml': deployment('shop') }))).toEqual([]);
  });
});
