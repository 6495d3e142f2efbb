import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { docs, namespace, tcpRoute, trafficTarget } from '../../../../test/support/manifests.ts';
import { inventoryOf, repo } from '../../../../test/support/repo.ts';
import type { MeshMode } from '../../inventory/mesh-mode.ts';
import { migrate } from '../../migrate.ts';
import { resolveOptions, type LinkerdVersion } from '../../options.ts';
import { isRecord } from '../../values.ts';
import { translateMeshConfig } from './mesh-config.ts';

const SMI: MeshMode = { mode: 'smi', source: 'meshconfig' };

// corpus MicrosoftDocs_azure-aks-docs/articles__aks__open-service-mesh-deploy-addon-az-cli.md.extracted.yaml (metadata trimmed)
const AKS = `
apiVersion: config.openservicemesh.io/v1alpha1
kind: MeshConfig
metadata:
  name: osm-mesh-config
  namespace: kube-system
spec:
  certificate:
    serviceCertValidityDuration: 24h
  featureFlags:
    enableEgressPolicy: true
    enableMulticlusterMode: false
    enableWASMStats: true
  observability:
    enableDebugServer: true
    osmLogLevel: info
    tracing:
      address: jaeger.osm-system.svc.cluster.local
      enable: false
      endpoint: /api/v2/spans
      port: 9411
  sidecar:
    configResyncInterval: 0s
    enablePrivilegedInitContainer: false
    envoyImage: mcr.microsoft.com/oss/envoyproxy/envoy:v1.18.3
    initContainerImage: mcr.microsoft.com/oss/openservicemesh/init:v0.9.1
    logLevel: error
    maxDataPlaneConnections: 0
    resources: {}
  traffic:
    enableEgress: true
    enablePermissiveTrafficPolicyMode: true
    inboundExternalAuthorization:
      enable: false
      failureModeAllow: false
      statPrefix: inboundExtAuthz
      timeout: 1s
    useHTTPSIngress: false
`;

const NAMESPACE = namespace({ name: 'shop', monitoredBy: 'osm', injection: 'enabled', block: true });

function deployment(name: string, annotations?: string) {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata:
      labels: {app: ${name}}
${annotations ? `      annotations:\n${annotations.split('\n').map((l) => `        ${l}`).join('\n')}\n` : ''}    spec:
      serviceAccountName: ${name}
      containers: [{name: app}]
`;
}

function translate(files: Record<string, string>, version: LinkerdVersion = '2.20', meshMode: MeshMode = SMI) {
  const { inventory } = inventoryOf(files);
  return translateMeshConfig({ inventory, options: resolveOptions({ linkerdVersion: version }), meshMode });
}

/** `section.field` paths of a MeshConfig spec, one level down (groups like tracing are named with their fields). */
function fieldPaths(spec: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(spec).flatMap(([k, v]) => (isRecord(v) && Object.keys(v).length > 0 ? fieldPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('translateMeshConfig', () => {
  it('names every field of a real MeshConfig in a finding or translates it (no silent drop)', () => {
    const out = translate({ 'mc.yaml': AKS });
    const text = out.findings.map((f) => f.message).join('\n');
    const spec = parseAllDocuments(AKS)[0]?.toJS() as { spec: Record<string, unknown> };
    for (const path of fieldPaths(spec.spec)) expect(text, path).toContain(path);
    expect(out.consumed.map((c) => c.object.ref.kind)).toEqual(['MeshConfig']);
    expect(out.findings.map((f) => f.id)).toEqual(expect.arrayContaining([
      'mesh-config/certificate', 'mesh-config/feature-flag', 'mesh-config/control-plane-setting', 'mesh-config/proxy-setting',
      'mesh-config/traffic-policy-mode', 'mesh-config/egress-passthrough', 'mesh-config/no-effect', 'mesh-config/proxy-log-level',
    ]));
  });

  // osm-semantics §8.18: "There is no per-pod log level in OSM (sidecar.logLevel is mesh-wide)"; §5: pod exclusion
  // annotations are a "Union with MeshConfig.traffic.outboundPortExclusionList".
  it('writes proxy-log-level and the skip-* annotations on each meshed Namespace, merging with what is there', () => {
    const mesh = AKS.replace('    useHTTPSIngress: false', '    useHTTPSIngress: false\n    outboundPortExclusionList: [6379, 6379]\n    inboundPortExclusionList: [9090]\n    outboundIPRangeExclusionList: [169.254.169.254/32]');
    const ns = NAMESPACE.replace('    openservicemesh.io/sidecar-injection: enabled', '    openservicemesh.io/sidecar-injection: enabled\n    config.linkerd.io/skip-outbound-ports: "25"');
    const out = translate({ 'mc.yaml': mesh, 'ns.yaml': ns, 'd.yaml': deployment('api') });
    const edits = out.edits.map((e) => ({ ...e, doc: e.doc.file }));
    expect(edits).toEqual([
      { type: 'set-key', doc: 'ns.yaml', path: ['metadata', 'annotations'], key: 'config.linkerd.io/proxy-log-level', value: 'error' },
      { type: 'set-key', doc: 'ns.yaml', path: ['metadata', 'annotations'], key: 'config.linkerd.io/skip-outbound-ports', value: '25,6379' },
      { type: 'set-key', doc: 'ns.yaml', path: ['metadata', 'annotations'], key: 'config.linkerd.io/skip-inbound-ports', value: '9090' },
      { type: 'set-key', doc: 'ns.yaml', path: ['metadata', 'annotations'], key: 'config.linkerd.io/skip-subnets', value: '169.254.169.254/32' },
    ]);
    const inbound = out.findings.find((f) => f.id === 'mesh-config/exclusion-lists' && f.message.includes('skip-inbound-ports'));
    expect(inbound?.affects).toEqual([{ namespace: 'shop', port: 9090 }]);
  });

  it('leaves a pod with its own OSM exclusion annotation to the injection rule, which writes the union there', () => {
    const mesh = AKS.replace('    useHTTPSIngress: false', '    useHTTPSIngress: false\n    outboundPortExclusionList: [6379]');
    const out = translate({ 'mc.yaml': mesh, 'ns.yaml': NAMESPACE, 'd.yaml': deployment('api', 'openservicemesh.io/outbound-port-exclusion-list: "9091"') });
    expect(out.edits.filter((e) => e.doc.file === 'd.yaml')).toEqual([]);
    expect(out.findings.find((f) => f.id === 'mesh-config/exclusion-lists')?.message).toContain(
      'on Namespace/shop, Deployment/shop/api (merged into its openservicemesh.io/outbound-port-exclusion-list by the injection rule)',
    );
  });

  it('writes on the Namespace manifest or, without one, on every meshed pod template, with or without an annotations mapping', () => {
    // No Namespace manifest: api's pod template opts in itself, which meshes namespace shop; batch is meshed through it.
    const out = translate({ 'mc.yaml': AKS, 'a.yaml': deployment('api', 'openservicemesh.io/sidecar-injection: enabled'), 'b.yaml': deployment('batch') });
    expect(out.edits.map((e) => [e.doc.file, 'key' in e ? e.key : ''])).toEqual([
      ['a.yaml', 'config.linkerd.io/proxy-log-level'], ['b.yaml', 'config.linkerd.io/proxy-log-level'],
    ]);
    expect(out.findings.map((f) => f.id)).not.toContain('mesh-config/annotations-unplaced');
    // A Namespace manifest without an annotations mapping is written to (the planner creates the mapping), not its pods.
    const bare = NAMESPACE.replace(/ {2}annotations:\n.*\n/, '');
    const pods = translate({ 'mc.yaml': AKS, 'ns.yaml': bare, 'a.yaml': deployment('api', 'openservicemesh.io/sidecar-injection: enabled') });
    expect(pods.edits.map((e) => e.doc.file)).toEqual(['ns.yaml']);
  });

  it('says what it could not place: namespaces OSM meshed with no manifest or pod template in the repository', () => {
    const target = docs(
      trafficTarget({ name: 't', namespace: 'shop', destination: 'api', sources: [{ name: 'web', namespace: 'front' }], rules: [{ kind: 'TCPRoute', name: 'r' }] }),
      tcpRoute({ name: 'r', namespace: 'shop', ports: [8080] }),
    );
    const out = translate({ 'mc.yaml': AKS, 'd.yaml': deployment('api'), 't.yaml': target });
    expect(out.edits.map((e) => [e.doc.file, 'key' in e ? e.key : ''])).toEqual([['d.yaml', 'config.linkerd.io/proxy-log-level']]);
    expect(out.findings.find((f) => f.id === 'mesh-config/annotations-unplaced')?.message).toBe(
      'MeshConfig/kube-system/osm-mesh-config: config.linkerd.io/proxy-log-level: "error" could not be written: namespace front was meshed by OSM but has no Namespace manifest or meshed pod template in the repository. Add them to the Namespace manifests (or pod templates) where they are defined.',
    );
    const alone = translate({ 'mc.yaml': AKS });
    expect(alone.edits).toEqual([]);
    expect(alone.findings.find((f) => f.id === 'mesh-config/annotations-unplaced')?.message).toContain('the repository has no meshed Namespace manifest or pod template to write them on');
  });

  // osm-semantics §4.1 "Traps seen in real files": the osm-docs manifest nests the lists under observability.
  it('does not translate exclusion lists in the wrong section, and says why', () => {
    const misplaced = 'apiVersion: config.openservicemesh.io/v1alpha1\nkind: MeshConfig\nmetadata: {name: osm-mesh-config}\nspec:\n  observability:\n    outboundPortExclusionList: [8080]\n    inboundPortExclusionList: []\n';
    const out = translate({ 'mc.yaml': misplaced, 'ns.yaml': NAMESPACE });
    expect(out.edits).toEqual([]);
    expect(out.findings.map((f) => [f.id, f.line])).toEqual([['mesh-config/pruned-field', 6], ['mesh-config/no-effect', 2]]);
  });

  it('reads flags, tracing and certificates for what they changed, and flags what it does not know', () => {
    const mesh = 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config}\nspec:\n  featureFlags: {enableRetryPolicy: true, enableEnvoyActiveHealthChecks: true, enableSnapshotCacheMode: false, enableNewThing: true}\n  observability:\n    tracing: {enable: true, address: jaeger.tracing, port: 9411, endpoint: /api/v2/spans}\n  certificate:\n    ingressGateway: {subjectAltNames: [contour.osm-system.cluster.local], validityDuration: 24h, secret: {name: contour-client, namespace: osm-system}}\n  sidecar: {logLevel: loud}\n  extra: {}\n';
    const out = translate({ 'mc.yaml': mesh }, '2.18');
    const byId = (id: string) => out.findings.filter((f) => f.id === id).map((f) => f.message);
    expect(byId('mesh-config/feature-flag')[0]).toContain('the retry rule translates');
    expect(byId('mesh-config/feature-not-reproduced')[0]).toContain('enableEnvoyActiveHealthChecks');
    expect(byId('mesh-config/unknown-field').join('\n')).toContain('featureFlags.enableNewThing');
    expect(byId('mesh-config/unknown-field').join('\n')).toContain('extra');
    expect(byId('mesh-config/tracing')[0]).toContain('linkerd-jaeger');
    expect(byId('mesh-config/ingress-gateway-certificate')[0]).toContain('contour-client');
    expect(byId('mesh-config/invalid-value')[0]).toContain('"loud"');
    expect(byId('mesh-config/no-effect')[0]).toContain('featureFlags.enableSnapshotCacheMode: false');
    expect(translate({ 'mc.yaml': mesh }, '2.19').findings.find((f) => f.id === 'mesh-config/tracing')?.message).toContain('proxy.tracing.enabled');
  });

  // osm-semantics §4.1: osm-config keys `permissive_traffic_policy_mode`, `egress`, `envoy_log_level`, … (v0.8).
  it('translates the legacy osm-config ConfigMap like a MeshConfig and takes it over', () => {
    const legacy = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: osm-config, namespace: kube-system}\ndata:\n  egress: "true"\n  envoy_log_level: debug\n  permissive_traffic_policy_mode: "true"\n  mesh_cidr_ranges: 10.0.0.0/8\n';
    const out = translate({ 'c.yaml': legacy, 'ns.yaml': NAMESPACE }, '2.20', { mode: 'permissive', source: 'meshconfig' });
    expect(out.consumed.map((c) => c.object.ref.name)).toEqual(['osm-config']);
    expect(out.edits.map((e) => ('key' in e ? [e.key, 'value' in e ? e.value : ''] : []))).toEqual([['config.linkerd.io/proxy-log-level', 'debug']]);
    expect(out.findings.map((f) => [f.id, f.line]).sort()).toEqual([
      ['mesh-config/egress-passthrough', 5], ['mesh-config/legacy-configmap', 3], ['mesh-config/proxy-log-level', 6],
      ['mesh-config/traffic-policy-mode', 7], ['mesh-config/unknown-field', 8],
    ]);
  });

  it('names an empty MeshConfig too, so taking it over is never silent', () => {
    const out = translate({ 'mc.yaml': 'apiVersion: config.openservicemesh.io/v1alpha1\nkind: MeshConfig\nmetadata: {name: osm-mesh-config}\nspec: {}\n' });
    expect(out.findings.map((f) => [f.id, f.message])).toEqual([['mesh-config/no-effect', 'MeshConfig/osm-mesh-config: spec (empty) need nothing in Linkerd (empty, disabled or the default).']]);
  });

  it('translates the first mesh configuration only, and says so for the others', () => {
    const out = translate({ 'a.yaml': AKS, 'b.yaml': AKS.replace('logLevel: error', 'logLevel: debug') });
    expect(out.findings.filter((f) => f.id === 'mesh-config/duplicate').map((f) => f.file)).toEqual(['b.yaml']);
    expect(out.consumed).toHaveLength(2);
  });
});

describe('through the whole migration', () => {
  it('composes with the injection and default-policy edits on the same Namespace, and leaves the kustomization buildable', () => {
    const mesh = 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec:\n  sidecar: {logLevel: warning}\n  traffic: {enablePermissiveTrafficPolicyMode: false, outboundPortExclusionList: [6379]}\n';
    const plan = migrate(repo({ 'kustomization.yaml': 'resources:\n  - mesh-config.yaml\n  - ns.yaml\n  - d.yaml\n', 'mesh-config.yaml': mesh, 'ns.yaml': NAMESPACE, 'd.yaml': deployment('api') }));
    expect(plan.files.find((f) => f.path === 'ns.yaml')?.content).toBe([
      'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: shop', '  labels: {}', '  annotations:', '    linkerd.io/inject: enabled',
      '    config.linkerd.io/proxy-log-level: warn', '    config.linkerd.io/skip-outbound-ports: "6379"', '    config.linkerd.io/default-inbound-policy: deny', '',
    ].join('\n'));
    expect(plan.files.find((f) => f.path === 'mesh-config.yaml')?.action).toBe('delete');
    expect(plan.files.find((f) => f.path === 'kustomization.yaml')?.content).toBe('resources:\n  - ns.yaml\n  - d.yaml\n');
    expect(plan.findings.map((f) => f.id)).not.toContain('plan/edit-failed');
  });

  it('creates one annotations mapping on a pod template that has none, for its own and default-policy\'s keys', () => {
    const mesh = 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec:\n  sidecar: {logLevel: debug}\n  traffic: {enablePermissiveTrafficPolicyMode: false, inboundPortExclusionList: [9090]}\n';
    const target = 'apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata: {name: t, namespace: shop}\nspec:\n  destination: {kind: ServiceAccount, name: api, namespace: shop}\n  rules: [{kind: TCPRoute, name: r}]\n  sources: [{kind: ServiceAccount, name: api, namespace: shop}]\n---\napiVersion: specs.smi-spec.io/v1alpha4\nkind: TCPRoute\nmetadata: {name: r, namespace: shop}\nspec: {matches: {ports: [8080]}}\n';
    const d = deployment('api').replace(/^\n/, '');
    const plan = migrate(repo({ 'mc.yaml': mesh, 'd.yaml': d, 't.yaml': target }));
    expect(plan.files.find((f) => f.path === 'd.yaml')?.content).toBe(d.replace(
      '      labels: {app: api}\n',
      [
        '      labels: {app: api}', '      annotations:', '        config.linkerd.io/proxy-log-level: debug',
        '        config.linkerd.io/skip-inbound-ports: "9090"', '        config.linkerd.io/default-inbound-policy: deny', '',
      ].join('\n'),
    ));
    expect(plan.findings.map((f) => f.id)).not.toContain('plan/edit-failed');
    expect(plan.findings.map((f) => f.id)).not.toContain('mesh-config/annotations-unplaced');
  });

  // osm-semantics §5: pod exclusion annotations are a "Union with MeshConfig.traffic.outboundPortExclusionList".
  it('rewrites a pod\'s own OSM exclusion list to the union with the mesh-wide one, on its own line and nowhere else', () => {
    const mesh = 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec:\n  traffic: {outboundPortExclusionList: [6379, 9091], outboundIPRangeExclusionList: [10.0.0.0/8]}\n';
    const d = deployment('api', 'openservicemesh.io/outbound-port-exclusion-list: "9091, 25"').replace(/^\n/, '');
    const plan = migrate(repo({ 'mc.yaml': mesh, 'ns.yaml': NAMESPACE, 'd.yaml': d }));
    expect(plan.files.find((f) => f.path === 'd.yaml')?.content).toBe(d.replace(
      '        openservicemesh.io/outbound-port-exclusion-list: "9091, 25"\n',
      '        config.linkerd.io/skip-outbound-ports: "9091,25,6379"\n',
    ));
    const ns = plan.files.find((f) => f.path === 'ns.yaml')?.content ?? '';
    expect(ns).toContain('    config.linkerd.io/skip-outbound-ports: "6379,9091"\n    config.linkerd.io/skip-subnets: 10.0.0.0/8\n');
    expect(plan.findings.find((f) => f.id === 'injection/annotation-rewritten' && f.file === 'd.yaml')?.message).toBe(
      'openservicemesh.io/outbound-port-exclusion-list becomes config.linkerd.io/skip-outbound-ports: "9091,25,6379" on Deployment/shop/api (its own "9091,25" plus traffic.outboundPortExclusionList of MeshConfig/osm-system/osm-mesh-config, which OSM added to it).',
    );
    expect(plan.findings.map((f) => f.id)).not.toContain('plan/edit-failed');
  });
});
