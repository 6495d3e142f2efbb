/**
 * A synthetic OSM repository of about `resources` objects: namespaces of a few services each, every service with a
 * Deployment, Service, ServiceAccount, HTTPRouteGroup and TrafficTarget allowing its neighbour.
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
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n`,
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n      annotations:\n        openservicemesh.io/sidecar-injection: enabled\n    spec:\n      serviceAccountName: ${name}\n      containers:\n        - name: app\n          image: example/app:1\n          ports:\n            - name: http\n              containerPort: 8080\n          readinessProbe:\n            httpGet:\n              path: /ready\n              port: http\n`,
      `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata:\n  name: ${name}-routes\n  namespace: ${ns}\nspec:\n  matches:\n    - name: api\n      pathRegex: /api/v[0-9]+/.*\n      methods: [GET, POST]\n    - name: health\n      pathRegex: /status\n`,
      `apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  destination:\n    kind: ServiceAccount\n    name: ${name}\n    namespace: ${ns}\n  rules:\n    - kind: HTTPRouteGroup\n      name: ${name}-routes\n      matches: [api, health]\n  sources:\n    - kind: ServiceAccount\n      name: ${client}\n      namespace: ${ns}\n`,
    ].join('---\n'));
  }
  return files;
}
