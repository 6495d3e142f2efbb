/**
 * Builders for the manifests that tests keep writing: a Deployment behind a Service, its ServiceAccount, a meshed
 * Namespace, the SMI TrafficTarget and HTTPRouteGroup between them, a kustomization. Each returns YAML text, not
 * objects, because the tests exercise the loader (its line numbers, comments, multi-document files) — and the text
 * is short and predictable so a test that asserts a line number can count it: every builder documents its layout.
 *
 * `repo()` (repo.ts) turns `{ path: text }` into the Map the core takes.
 *
 * Values are written in flow style (`{app: web}`) and quoted only where YAML would read them as something else.
 */
type Scalar = string | number | boolean;
type Value = Scalar | readonly Value[] | { readonly [key: string]: Value | undefined };

/** `value` as YAML flow text: `{app: web}`, `[80, 443]`, `"/api/.*"`. Keys whose value is undefined are left out. */
export function flow(value: Value): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter((e): e is [string, Value] => e[1] !== undefined);
    return `{${entries.map(([k, v]) => `${scalar(k)}: ${flow(v)}`).join(', ')}}`;
  }
  return typeof value === 'string' ? scalar(value) : String(value);
}

const PLAIN = /^(?:\.{1,2}\/|[A-Za-z0-9_/])[\w./-]*$/;
const NOT_A_STRING = /^(?:[-+]?\d+(?:\.\d*)?(?:e[-+]?\d+)?|true|false|null|yes|no|on|off|~)$/i;

function scalar(text: string): string {
  return PLAIN.test(text) && !NOT_A_STRING.test(text) ? text : JSON.stringify(text);
}

/** Documents joined into one multi-document file: `a`, `---`, `b`. */
export function docs(...documents: readonly string[]): string {
  return documents.map((d) => d.replace(/\n+$/, '')).join('\n---\n') + '\n';
}

function meta(name: string, namespace?: string, annotations?: Readonly<Record<string, string>>, labels?: Readonly<Record<string, string>>): string {
  return `metadata: ${flow({ name, namespace, labels, annotations })}`;
}

export type ContainerPort = {
  readonly name?: string;
  readonly containerPort: number;
};

export interface DeploymentInput {
  readonly name: string;
  readonly namespace?: string;
  /** `serviceAccountName`; the workload's name unless told, none with `null`. */
  readonly serviceAccount?: string | null;
  /** The pod labels, and the selector unless `selector` says otherwise; `{app: <name>}` unless told. */
  readonly labels?: Readonly<Record<string, string>>;
  /** `spec.selector` as YAML flow text, where it is not `{matchLabels: <labels>}` (e.g. `{matchExpressions: [...]}`). */
  readonly selector?: string;
  /** Annotations on the pod template. */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** The container's name; the workload's name unless told. */
  readonly container?: string;
  readonly image?: string;
  /** A bare number is `{containerPort: n}`. */
  readonly ports?: readonly (number | ContainerPort)[];
  /** More lines of the container, written as they stand under `- name:` (e.g. `readinessProbe: {...}`). */
  readonly containerLines?: readonly string[];
}

/**
 * A workload, 10 lines without pod annotations, image or ports (one more line each):
 * ```
 * 1 apiVersion: apps/v1
 * 2 kind: Deployment
 * 3 metadata: {name: web, namespace: shop}
 * 4 spec:
 * 5   selector: {matchLabels: {app: web}}
 * 6   template:
 * 7     metadata: {labels: {app: web}}            (pod annotations: the next line, `annotations: {...}`)
 * 8     spec:
 * 9       serviceAccountName: web
 * 10      containers:
 * 11        - name: web                           (then image:, ports: [...], the container lines)
 * ```
 */
export function deployment(input: DeploymentInput): string {
  const labels = input.labels ?? { app: input.name };
  const serviceAccount = input.serviceAccount === undefined ? input.name : input.serviceAccount;
  const ports = input.ports?.map((p) => (typeof p === 'number' ? { containerPort: p } : p));
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    meta(input.name, input.namespace),
    'spec:',
    `  selector: ${input.selector ?? `{matchLabels: ${flow(labels)}}`}`,
    '  template:',
    input.podAnnotations ? `    metadata:\n      labels: ${flow(labels)}\n      annotations: ${flow(input.podAnnotations)}` : `    metadata: {labels: ${flow(labels)}}`,
    '    spec:',
    ...(serviceAccount === null ? [] : [`      serviceAccountName: ${scalar(serviceAccount)}`]),
    '      containers:',
    `        - name: ${scalar(input.container ?? input.name)}`,
    ...(input.image ? [`          image: ${scalar(input.image)}`] : []),
    ...(ports ? [`          ports: ${flow(ports)}`] : []),
    ...(input.containerLines ?? []).map((l) => `          ${l}`),
    '',
  ].join('\n');
}

export type ServicePort = {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly appProtocol?: string;
};

export interface ServiceInput {
  readonly name: string;
  readonly namespace?: string;
  /** `{app: <name>}` unless told. */
  readonly selector?: Readonly<Record<string, string>>;
  /** A bare number is `{port: n}`. */
  readonly ports: readonly (number | ServicePort)[];
}

/**
 * A Service, 6 lines:
 * ```
 * 1 apiVersion: v1
 * 2 kind: Service
 * 3 metadata: {name: web, namespace: shop}
 * 4 spec:
 * 5   selector: {app: web}
 * 6   ports: [{name: http, port: 80, targetPort: http}]
 * ```
 */
export function service(input: ServiceInput): string {
  const ports = input.ports.map((p) => (typeof p === 'number' ? { port: p } : p));
  return [
    'apiVersion: v1',
    'kind: Service',
    meta(input.name, input.namespace),
    'spec:',
    `  selector: ${flow(input.selector ?? { app: input.name })}`,
    `  ports: ${flow(ports)}`,
    '',
  ].join('\n');
}

/** A ServiceAccount, 3 lines: `apiVersion`, `kind`, `metadata: {name, namespace}`. */
export function serviceAccount(input: { readonly name: string; readonly namespace?: string }): string {
  return ['apiVersion: v1', 'kind: ServiceAccount', meta(input.name, input.namespace), ''].join('\n');
}

export interface NamespaceInput {
  readonly name: string;
  /** `openservicemesh.io/sidecar-injection` on the Namespace (an annotation). */
  readonly injection?: 'enabled' | 'disabled';
  /** `openservicemesh.io/monitored-by` (a label): the mesh that monitors the namespace. */
  readonly monitoredBy?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A Namespace: 3 lines (`apiVersion`, `kind`, `metadata: {name, labels, annotations}`), or with `block: true` the
 * layout `osm namespace add` leaves — one line a key, labels before annotations:
 * ```
 * 1 apiVersion: v1
 * 2 kind: Namespace
 * 3 metadata:
 * 4   name: shop
 * 5   labels:
 * 6     openservicemesh.io/monitored-by: osm
 * 7   annotations:
 * 8     openservicemesh.io/sidecar-injection: enabled
 * ```
 */
export function namespace(input: NamespaceInput & { readonly block?: boolean }): string {
  const labels = { ...(input.monitoredBy ? { 'openservicemesh.io/monitored-by': input.monitoredBy } : {}), ...input.labels };
  const annotations = { ...(input.injection ? { 'openservicemesh.io/sidecar-injection': input.injection } : {}), ...input.annotations };
  const some = (o: Record<string, string>) => (Object.keys(o).length > 0 ? o : undefined);
  if (!input.block) return ['apiVersion: v1', 'kind: Namespace', meta(input.name, undefined, some(annotations), some(labels)), ''].join('\n');
  const mapping = (key: string, o: Record<string, string>) => (some(o) ? [`  ${key}:`, ...Object.entries(o).map(([k, v]) => `    ${scalar(k)}: ${scalar(v)}`)] : []);
  return ['apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: ${scalar(input.name)}`, ...mapping('labels', labels), ...mapping('annotations', annotations), ''].join('\n');
}

export interface Identity {
  readonly name: string;
  readonly namespace?: string;
}

export interface TrafficTargetRule {
  readonly kind?: 'HTTPRouteGroup' | 'TCPRoute' | 'UDPRoute';
  readonly name: string;
  readonly matches?: readonly string[];
}

export interface TrafficTargetInput {
  readonly name: string;
  readonly namespace?: string;
  /** The destination ServiceAccount; in the target's namespace unless told. */
  readonly destination: string | Identity;
  readonly sources: readonly (string | Identity)[];
  readonly rules?: readonly TrafficTargetRule[];
}

/**
 * An SMI TrafficTarget: 5 lines of header and destination, then `rules:` with one line a rule (when there are rules),
 * then `sources:` with one line a source.
 * ```
 * 1 apiVersion: access.smi-spec.io/v1alpha3
 * 2 kind: TrafficTarget
 * 3 metadata: {name: web-to-api, namespace: shop}
 * 4 spec:
 * 5   destination: {kind: ServiceAccount, name: api, namespace: shop}
 * 6   rules:
 * 7     - {kind: HTTPRouteGroup, name: routes, matches: [users]}
 * 8   sources:
 * 9     - {kind: ServiceAccount, name: web, namespace: shop}
 * ```
 */
export function trafficTarget(input: TrafficTargetInput): string {
  const identity = (id: string | Identity) => {
    const { name, namespace } = typeof id === 'string' ? { name: id, namespace: input.namespace } : { namespace: input.namespace, ...id };
    return flow({ kind: 'ServiceAccount', name, namespace });
  };
  return [
    'apiVersion: access.smi-spec.io/v1alpha3',
    'kind: TrafficTarget',
    meta(input.name, input.namespace),
    'spec:',
    `  destination: ${identity(input.destination)}`,
    ...(input.rules ? ['  rules:', ...input.rules.map((r) => `    - ${flow({ kind: r.kind ?? 'HTTPRouteGroup', name: r.name, matches: r.matches })}`)] : []),
    '  sources:',
    ...input.sources.map((s) => `    - ${identity(s)}`),
    '',
  ].join('\n');
}

export type HttpMatch = {
  readonly name: string;
  readonly pathRegex?: string;
  readonly methods?: readonly string[];
};

/**
 * An SMI HTTPRouteGroup, 5 lines and one a match:
 * ```
 * 1 apiVersion: specs.smi-spec.io/v1alpha4
 * 2 kind: HTTPRouteGroup
 * 3 metadata: {name: routes, namespace: shop}
 * 4 spec:
 * 5   matches:
 * 6     - {name: users, pathRegex: /users, methods: [GET]}
 * ```
 */
export function httpRouteGroup(input: { readonly name: string; readonly namespace?: string; readonly matches: readonly HttpMatch[] }): string {
  return [
    'apiVersion: specs.smi-spec.io/v1alpha4',
    'kind: HTTPRouteGroup',
    meta(input.name, input.namespace),
    'spec:',
    '  matches:',
    ...input.matches.map((m) => `    - ${flow({ ...m })}`),
    '',
  ].join('\n');
}

export interface KustomizationPatch {
  readonly path: string;
  /** Written in flow style: `{kind: IngressBackend, name: web}`. */
  readonly target?: Readonly<Record<string, string>>;
}

export interface KustomizationInput {
  readonly namespace?: string;
  readonly resources?: readonly string[];
  readonly patchesStrategicMerge?: readonly string[];
  readonly patches?: readonly KustomizationPatch[];
  /** Any further fields, written as they stand (e.g. `patchesJson6902: [...]`). */
  readonly lines?: readonly string[];
}

/**
 * A kustomization.yaml, one line an entry, fields in this order:
 * ```
 * namespace: shop
 * resources:
 *   - ../base
 * patchesStrategicMerge:
 *   - ingress-patch.yaml
 * patches:
 *   - path: narrow.yaml
 *     target: {kind: IngressBackend, name: web}
 * ```
 */
export function kustomization(input: KustomizationInput): string {
  const list = (key: string, items?: readonly string[]) => (items ? [`${key}:`, ...items.map((r) => `  - ${scalar(r)}`)] : []);
  return [
    ...(input.namespace ? [`namespace: ${scalar(input.namespace)}`] : []),
    ...list('resources', input.resources),
    ...list('patchesStrategicMerge', input.patchesStrategicMerge),
    ...(input.patches ? ['patches:', ...input.patches.flatMap((p) => [`  - path: ${scalar(p.path)}`, ...(p.target ? [`    target: ${flow(p.target)}`] : [])])] : []),
    ...(input.lines ?? []),
    '',
  ].join('\n');
}

export type JsonPatchOperation = {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly value?: string;
};

/** A JSON 6902 patch file, three lines an operation: `- op: replace`, `  path: /spec/...`, `  value: ...`. */
export function jsonPatch(operations: readonly JsonPatchOperation[]): string {
  return [...operations.flatMap((o) => [`- op: ${o.op}`, `  path: ${o.path}`, ...(o.value === undefined ? [] : [`  value: ${scalar(o.value)}`])]), ''].join('\n');
}

export interface IngressBackendPort {
  readonly name: string;
  readonly port: number;
  readonly protocol?: string;
}

export type IngressSource = {
  readonly kind: 'IPRange' | 'Service' | 'AuthenticatedPrincipal';
  readonly name: string;
  readonly namespace?: string;
};

/**
 * An OSM IngressBackend, 6 lines (5 for a patch that leaves the backends out):
 * ```
 * 1 apiVersion: policy.openservicemesh.io/v1alpha1
 * 2 kind: IngressBackend
 * 3 metadata: {name: web, namespace: shop}
 * 4 spec:
 * 5   backends: [{name: web, port: {number: 8080, protocol: http}}]
 * 6   sources: [{kind: IPRange, name: 10.0.0.0/8}]
 * ```
 */
export function ingressBackend(input: { readonly name: string; readonly namespace?: string; readonly backends?: readonly IngressBackendPort[]; readonly sources: readonly IngressSource[] }): string {
  return [
    'apiVersion: policy.openservicemesh.io/v1alpha1',
    'kind: IngressBackend',
    meta(input.name, input.namespace),
    'spec:',
    ...(input.backends ? [`  backends: ${flow(input.backends.map((b) => ({ name: b.name, port: { number: b.port, protocol: b.protocol ?? 'http' } })))}`] : []),
    `  sources: ${flow(input.sources)}`,
    '',
  ].join('\n');
}

export type EgressPort = {
  readonly number: number;
  readonly protocol: string;
};

export interface EgressInput {
  readonly name: string;
  readonly namespace?: string;
  /** Source ServiceAccounts; in the Egress's namespace unless told. */
  readonly sources: readonly (string | Identity)[];
  readonly hosts?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly ports: readonly EgressPort[];
  /** Route matches, written as they stand (e.g. `{apiGroup: specs.smi-spec.io/v1alpha4, kind: HTTPRouteGroup, name: r}`). */
  readonly matches?: readonly string[];
}

/**
 * An OSM Egress, one line a field:
 * ```
 * 1 apiVersion: policy.openservicemesh.io/v1alpha1
 * 2 kind: Egress
 * 3 metadata: {name: out, namespace: shop}
 * 4 spec:
 * 5   sources: [{kind: ServiceAccount, name: api, namespace: shop}]
 * 6   hosts: [httpbin.org]                    (then ipAddresses:, when told)
 * 7   ports: [{number: 80, protocol: http}]   (then matches:, when told)
 * ```
 */
export function egress(input: EgressInput): string {
  const sources = input.sources.map((s) => ({ kind: 'ServiceAccount', namespace: input.namespace, ...(typeof s === 'string' ? { name: s } : s) }));
  return [
    'apiVersion: policy.openservicemesh.io/v1alpha1',
    'kind: Egress',
    meta(input.name, input.namespace),
    'spec:',
    `  sources: ${flow(sources.map((s) => ({ kind: s.kind, name: s.name, namespace: s.namespace })))}`,
    ...(input.hosts ? [`  hosts: ${flow(input.hosts)}`] : []),
    ...(input.ipAddresses ? [`  ipAddresses: ${flow(input.ipAddresses)}`] : []),
    `  ports: ${flow(input.ports)}`,
    ...(input.matches ? [`  matches: [${input.matches.join(', ')}]`] : []),
    '',
  ].join('\n');
}

/** An SMI TCPRoute, 4 lines: `apiVersion`, `kind`, `metadata`, `spec: {matches: {ports: [...]}}` (no ports: every port). */
export function tcpRoute(input: { readonly name: string; readonly namespace?: string; readonly ports?: readonly number[] }): string {
  const spec = input.ports ? `{matches: {ports: ${flow(input.ports)}}}` : '{}';
  return ['apiVersion: specs.smi-spec.io/v1alpha4', 'kind: TCPRoute', meta(input.name, input.namespace), `spec: ${spec}`, ''].join('\n');
}

/**
 * An OSM UpstreamTrafficSetting: 5 lines of header and host, then the spec lines as they stand (indented under spec).
 * ```
 * 1 apiVersion: policy.openservicemesh.io/v1alpha1
 * 2 kind: UpstreamTrafficSetting
 * 3 metadata: {name: web-limit, namespace: shop}
 * 4 spec:
 * 5   host: web.shop.svc.cluster.local
 * 6   rateLimit: {local: {http: {requests: 100, unit: second}}}
 * ```
 */
export function upstreamTrafficSetting(input: { readonly name: string; readonly namespace?: string; readonly host: string; readonly spec: readonly string[] }): string {
  return [
    'apiVersion: policy.openservicemesh.io/v1alpha1',
    'kind: UpstreamTrafficSetting',
    meta(input.name, input.namespace),
    'spec:',
    `  host: ${scalar(input.host)}`,
    ...input.spec.map((l) => `  ${l}`),
    '',
  ].join('\n');
}
