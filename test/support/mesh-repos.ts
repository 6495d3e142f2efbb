/**
 * Generated OSM repositories for the access graph: SMI mode, one Deployment per app in its own ServiceAccount, each
 * reachable over TCP by the ServiceAccounts listed as its callers (one TrafficTarget per app).
 */
export interface MeshApp {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
  readonly callers: readonly { readonly namespace: string; readonly name: string }[];
}

export function meshRepository(apps: readonly MeshApp[]): Map<string, string> {
  const q = (s: string) => JSON.stringify(s);
  const namespaces = [...new Set(apps.map((a) => a.namespace))];
  const files = new Map<string, string>();
  files.set('mesh-config.yaml', [
    'apiVersion: config.openservicemesh.io/v1alpha2',
    'kind: MeshConfig',
    'metadata: {name: osm-mesh-config, namespace: osm-system}',
    'spec: {traffic: {enablePermissiveTrafficPolicyMode: false}}',
    '',
  ].join('\n'));
  files.set('namespaces.yaml', namespaces.map((ns) => [
    'apiVersion: v1',
    'kind: Namespace',
    `metadata: {name: ${q(ns)}, labels: {openservicemesh.io/monitored-by: osm}, annotations: {openservicemesh.io/sidecar-injection: enabled}}`,
  ].join('\n')).join('\n---\n') + '\n');
  apps.forEach((app, i) => {
    const meta = `{name: ${q(app.name)}, namespace: ${q(app.namespace)}}`;
    files.set(`apps/app-${i}.yaml`, [
      'apiVersion: v1',
      'kind: ServiceAccount',
      `metadata: ${meta}`,
      '---',
      'apiVersion: v1',
      'kind: Service',
      `metadata: ${meta}`,
      `spec: {selector: {app: ${q(app.name)}}, ports: [{port: ${app.port}, targetPort: ${app.port}, appProtocol: tcp}]}`,
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: ${meta}`,
      'spec:',
      `  selector: {matchLabels: {app: ${q(app.name)}}}`,
      '  template:',
      `    metadata: {labels: {app: ${q(app.name)}}}`,
      '    spec:',
      `      serviceAccountName: ${q(app.name)}`,
      `      containers: [{name: app, image: example/app:1, ports: [{containerPort: ${app.port}}]}]`,
      '---',
      'apiVersion: specs.smi-spec.io/v1alpha4',
      'kind: TCPRoute',
      `metadata: ${meta}`,
      'spec: {matches: {ports: []}}',
      '---',
      'apiVersion: access.smi-spec.io/v1alpha3',
      'kind: TrafficTarget',
      `metadata: ${meta}`,
      'spec:',
      `  destination: {kind: ServiceAccount, name: ${q(app.name)}, namespace: ${q(app.namespace)}}`,
      `  rules: [{kind: TCPRoute, name: ${q(app.name)}}]`,
      '  sources:',
      ...app.callers.map((c) => `    - {kind: ServiceAccount, name: ${q(c.name)}, namespace: ${q(c.namespace)}}`),
      '',
    ].join('\n'));
  });
  return files;
}

/** Names that try to break out of a Mermaid label or statement, or carry Markdown and HTML. */
export const HOSTILE_NAMES = [
  'a"]; click n0 href "https://evil.test"; x["',
  '<img src=x onerror=alert(1)>',
  '%%{init: {"securityLevel": "loose"}}%%',
  '`**bold**` #quot; #35; end',
  'lifestyle:1 #35; style n0 fill:#f00;',
  'line\nbreak --> n1 ; subgraph',
] as const;

/** Two apps whose names, namespaces and callers are all hostile. */
export function hostileRepository(): Map<string, string> {
  const [a = '', b = '', c = '', d = '', e = '', f = ''] = HOSTILE_NAMES;
  return meshRepository([
    { namespace: 'shop', name: a, port: 8080, callers: [{ namespace: 'shop', name: b }, { namespace: 'shop', name: e }] },
    { namespace: 'shop', name: b, port: 9090, callers: [{ namespace: 'shop', name: a }] },
    { namespace: c, name: d, port: 7070, callers: [{ namespace: 'shop', name: a }, { namespace: 'shop', name: f }] },
  ]);
}

/** `namespaces` namespaces with one app each, every app called by the next `fanIn` apps: many edges. */
export function largeRepository(namespaces: number, fanIn: number): Map<string, string> {
  const ns = (i: number) => `team-${String(i % namespaces).padStart(2, '0')}`;
  return meshRepository(Array.from({ length: namespaces }, (_, i) => ({
    namespace: ns(i),
    name: `svc-${i}`,
    port: 8080,
    callers: Array.from({ length: fanIn }, (_, k) => ({ namespace: ns(i + k + 1), name: `svc-${(i + k + 1) % namespaces}` })),
  })));
}
