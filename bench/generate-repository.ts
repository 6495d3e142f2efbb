/**
 * Synthetic OSM repositories of about `resources` objects, in several shapes: the cost of the migration depends on
 * the shape (ports per workload, grants per destination, kustomize builds, phases), not only on the count.
 */
import type { MigrationOptionsInput } from '../src/core/index.ts';

export interface BenchShape {
  readonly name: string;
  readonly description: string;
  generate(resources: number): Map<string, string>;
  readonly options?: MigrationOptionsInput;
}

const serviceAccount = (name: string, ns?: string) =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}`;

const namespaced = (ns: string | undefined) => (ns ? `  namespace: ${ns}\n` : '');

/**
 * Namespaces of ten services each, every service with a Deployment, Service, ServiceAccount, HTTPRouteGroup and a
 * TrafficTarget allowing its neighbour.
 */
export function generatedRepository(resources: number): Map<string, string> {
  const files = new Map<string, string>();
  const perService = 5;
  const servicesPerNamespace = 10;
  const services = Math.ceil(resources / perService);
  for (let i = 0; i < services; i++) {
    const ns = `team-${Math.floor(i / servicesPerNamespace)}`;
    const name = `svc-${i}`;
    const client = `svc-${i % servicesPerNamespace === 0 ? i + 1 : i - 1}`;
    files.set(`apps/${ns}/${name}.yaml`, [
      serviceAccount(name, ns),
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n      annotations:\n        openservicemesh.io/sidecar-injection: enabled\n    spec:\n      serviceAccountName: ${name}\n      containers:\n        - name: app\n          image: example/app:1\n          ports:\n            - name: http\n              containerPort: 8080\n          readinessProbe:\n            httpGet:\n              path: /ready\n              port: http\n`,
      `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata:\n  name: ${name}-routes\n  namespace: ${ns}\nspec:\n  matches:\n    - name: api\n      pathRegex: /api/v[0-9]+/.*\n      methods: [GET, POST]\n    - name: health\n      pathRegex: /status\n`,
      `apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  destination:\n    kind: ServiceAccount\n    name: ${name}\n    namespace: ${ns}\n  rules:\n    - kind: HTTPRouteGroup\n      name: ${name}-routes\n      matches: [api, health]\n  sources:\n    - kind: ServiceAccount\n      name: ${client}\n      namespace: ${ns}\n`,
    ].join('---\n'));
  }
  return files;
}

/** A workload with two ports (http 8080, metrics 9090), its Service and ServiceAccount, placed by `ns` or not. */
function twoPortWorkload(name: string, ns: string | undefined, annotations = '        openservicemesh.io/sidecar-injection: enabled\n'): string[] {
  return [
    serviceAccount(name, ns),
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${namespaced(ns)}spec:\n  selector:\n    app: ${name}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n    - name: metrics\n      port: 9090\n      targetPort: 9090\n`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${namespaced(ns)}spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n      annotations:\n${annotations}    spec:\n      serviceAccountName: ${name}\n      containers:\n        - name: app\n          image: example/app:1\n          ports:\n            - name: http\n              containerPort: 8080\n            - name: metrics\n              containerPort: 9090\n          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: http\n`,
  ];
}

/** Two HTTPRouteGroups (regex, prefix-like and header matches) and two TrafficTargets for one destination. */
function twoGrants(name: string, ns: string | undefined, sources: readonly { name: string; ns: string }[]): string[] {
  const src = (list: readonly { name: string; ns: string }[]) => list.map((s) => `    - kind: ServiceAccount\n      name: ${s.name}\n      namespace: ${s.ns}\n`).join('');
  const dest = (nsName: string | undefined) => `  destination:\n    kind: ServiceAccount\n    name: ${name}\n${nsName ? `    namespace: ${nsName}\n` : ''}`;
  const half = Math.max(1, Math.ceil(sources.length / 2));
  return [
    `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata:\n  name: ${name}-api\n${namespaced(ns)}spec:\n  matches:\n    - name: versioned\n      pathRegex: /api/v[0-9]+/items/[a-z0-9-]+\n      methods: [GET, PUT]\n    - name: prefix\n      pathRegex: /api/.*\n      methods: [GET]\n`,
    `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata:\n  name: ${name}-admin\n${namespaced(ns)}spec:\n  matches:\n    - name: admin\n      pathRegex: /admin/.*\n      methods: [POST]\n      headers:\n        - x-admin-token: "[a-f0-9]{8}"\n    - name: metrics\n      pathRegex: /metrics\n      methods: [GET]\n`,
    `apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata:\n  name: ${name}-api\n${namespaced(ns)}spec:\n${dest(ns)}  rules:\n    - kind: HTTPRouteGroup\n      name: ${name}-api\n      matches: [versioned, prefix]\n  sources:\n${src(sources.slice(0, half))}`,
    `apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata:\n  name: ${name}-admin\n${namespaced(ns)}spec:\n${dest(ns)}  rules:\n    - kind: HTTPRouteGroup\n      name: ${name}-admin\n      matches: [admin, metrics]\n  sources:\n${src(sources.slice(half).length > 0 ? sources.slice(half) : sources)}`,
  ];
}

/**
 * Issue 11's second shape: each namespace is a kustomization (`namespace:` places its files, which name none), every
 * workload has two ports, every service two TrafficTargets with regex, prefix and header matches, called from two
 * neighbours. 7 resources per service plus a Namespace and a kustomization per ten services.
 */
export function kustomizeNamespacesRepository(resources: number): Map<string, string> {
  const files = new Map<string, string>();
  const servicesPerNamespace = 10;
  const services = Math.ceil(resources / 7);
  const namespaces = Math.ceil(services / servicesPerNamespace);
  const resourcesOf: string[][] = Array.from({ length: namespaces }, () => []);
  for (let i = 0; i < services; i++) {
    const n = Math.floor(i / servicesPerNamespace);
    const ns = `shop-${n}`;
    const name = `svc-${i}`;
    const first = n * servicesPerNamespace;
    const peer = (k: number) => `svc-${first + ((i - first + k) % servicesPerNamespace)}`;
    const sources = [{ name: peer(1), ns }, { name: peer(2), ns }];
    files.set(`clusters/prod/${ns}/${name}.yaml`, [...twoPortWorkload(name, undefined), ...twoGrants(name, undefined, sources)].join('---\n'));
    resourcesOf[n]?.push(`${name}.yaml`);
  }
  resourcesOf.forEach((list, n) => {
    const ns = `shop-${n}`;
    files.set(`clusters/prod/${ns}/namespace.yaml`, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    openservicemesh.io/monitored-by: osm\n  annotations:\n    openservicemesh.io/sidecar-injection: enabled\n`);
    files.set(`clusters/prod/${ns}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${ns}\nresources:\n  - namespace.yaml\n${list.map((f) => `  - ${f}\n`).join('')}`);
  });
  return files;
}

/**
 * Bases and overlays: each app is a base (workload, Service, ServiceAccount, TrafficTarget, HTTPRouteGroup, its
 * kustomization), deployed by a staging or a production overlay of ten apps that sets their namespace and patches
 * the Deployment (strategic merge: replicas and a pod annotation) and the TrafficTarget's labels (JSON 6902).
 */
export function kustomizeOverlaysRepository(resources: number): Map<string, string> {
  const files = new Map<string, string>();
  const appsPerOverlay = 10;
  // 6 documents per base (its kustomization too) and two patches per app.
  const apps = Math.ceil(resources / 8);
  const groups = Math.ceil(apps / appsPerOverlay);
  for (let i = 0; i < apps; i++) {
    const name = `app-${i}`;
    const client = `app-${i % appsPerOverlay === 0 ? i + 1 : i - 1}`;
    const dir = `base/${name}`;
    files.set(`${dir}/workload.yaml`, [
      serviceAccount(name),
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n      annotations:\n        openservicemesh.io/sidecar-injection: enabled\n    spec:\n      serviceAccountName: ${name}\n      containers:\n        - name: app\n          image: example/app:1\n          ports:\n            - name: http\n              containerPort: 8080\n`,
    ].join('---\n'));
    const g = Math.floor(i / appsPerOverlay);
    const ns = `${g % 2 === 0 ? 'production' : 'staging'}-${g}`;
    files.set(`${dir}/access.yaml`, [
      `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata:\n  name: ${name}-routes\nspec:\n  matches:\n    - name: api\n      pathRegex: /api/.*\n      methods: [GET, POST]\n`,
      `apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata:\n  name: ${name}\nspec:\n  destination:\n    kind: ServiceAccount\n    name: ${name}\n  rules:\n    - kind: HTTPRouteGroup\n      name: ${name}-routes\n      matches: [api]\n  sources:\n    - kind: ServiceAccount\n      name: ${client}\n      namespace: ${ns}\n`,
    ].join('---\n'));
    files.set(`${dir}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - workload.yaml\n  - access.yaml\n`);
  }
  for (let g = 0; g < groups; g++) {
    const members = Array.from({ length: appsPerOverlay }, (_, k) => g * appsPerOverlay + k).filter((i) => i < apps);
    // One overlay deploys each base (two would leave its namespace ambiguous, and verify with nothing to compare).
    const env = g % 2 === 0 ? 'production' : 'staging';
    const ns = `${env}-${g}`;
    const dir = `overlays/${env}/group-${g}`;
    const patches: string[] = [];
    for (const i of members) {
      const name = `app-${i}`;
      files.set(`${dir}/${name}-deployment.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${env === 'production' ? 3 : 1}\n  template:\n    metadata:\n      annotations:\n        example.com/environment: ${env}\n`);
      files.set(`${dir}/${name}-sources.yaml`, `- op: add\n  path: /metadata/labels\n  value:\n    environment: ${env}\n`);
      patches.push(`  - path: ${name}-sources.yaml\n    target:\n      group: access.smi-spec.io\n      version: v1alpha3\n      kind: TrafficTarget\n      name: ${name}\n`);
    }
    files.set(`${dir}/kustomization.yaml`, [
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${ns}\nresources:\n${members.map((i) => `  - ../../../base/app-${i}\n`).join('')}`,
      `patchesStrategicMerge:\n${members.map((i) => `  - app-${i}-deployment.yaml\n`).join('')}`,
      `patches:\n${patches.join('')}`,
    ].join(''));
  }
  return files;
}

/**
 * Ten namespaces in a chain, migrated phase by phase: each service is called by the previous tier's service and by one
 * in tier-0 (no cycle, so every namespace is its own phase). The namespace count stays at ten: each phase's verify
 * reads the whole tree, so the cost grows with phases × repository by design, and the bench holds the phases fixed.
 */
export function phasedRepository(resources: number): Map<string, string> {
  const files = new Map<string, string>();
  const services = Math.ceil(resources / 7);
  const namespaces = Math.min(10, services);
  for (let i = 0; i < services; i++) {
    const n = i % namespaces;
    const ns = `tier-${n}`;
    const name = `svc-${i}`;
    // Callers live in the lower tiers: tier-0 calls everybody, the last tier nobody.
    const callers = n === 0 ? [] : [{ name: `svc-${i - 1}`, ns: `tier-${n - 1}` }, { name: `svc-${i - n}`, ns: 'tier-0' }];
    files.set(`namespaces/${ns}/${name}.yaml`, [...twoPortWorkload(name, ns), ...twoGrants(name, ns, callers.length > 0 ? callers : [{ name: `svc-${i}`, ns }])].join('---\n'));
  }
  for (let n = 0; n < namespaces; n++) {
    files.set(`namespaces/tier-${n}/namespace.yaml`, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tier-${n}\n  labels:\n    openservicemesh.io/monitored-by: osm\n  annotations:\n    openservicemesh.io/sidecar-injection: enabled\n`);
  }
  return files;
}

export const SHAPES: readonly BenchShape[] = [
  { name: 'generated', description: 'ten services per namespace, one port, one TrafficTarget each', generate: generatedRepository },
  { name: 'kustomize-namespaces', description: 'namespaces set by kustomize, two ports, two TrafficTargets with regex/prefix/header matches', generate: kustomizeNamespacesRepository },
  { name: 'overlays', description: 'bases deployed by overlays that set the namespace and patch (strategic merge, JSON 6902)', generate: kustomizeOverlaysRepository },
  { name: 'phased', description: 'ten namespaces in a call chain, two ports, two TrafficTargets, strategy phased', generate: phasedRepository, options: { strategy: 'phased' } },
];
