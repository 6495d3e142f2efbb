import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../../test/support/repo.ts';
import { CORPUS, describeWithShared, itWithShared, SHARED } from '../../../../test/support/shared.ts';
import { resolveOptions, type MigrationOptionsInput } from '../../options.ts';
import { translateSurroundings } from './surroundings.ts';

function findings(files: Record<string, string>, options: MigrationOptionsInput = {}) {
  const { inventory } = inventoryOf(files);
  return translateSurroundings({ inventory, options: resolveOptions(options), meshMode: { mode: 'smi', source: 'option' } }).findings;
}

function ids(files: Record<string, string>) {
  return findings(files).map((f) => [f.id, f.line]);
}

/** A whole real repository (../shared/corpus/repos): Argo CD + Argo Rollouts with SMI + Traefik, meshed by OSM. */
const C089 = join(SHARED, 'corpus', 'repos', 'c089_devops-workshop-deployment');
const c089 = (...names: string[]) => Object.fromEntries(names.map((n) => [n, readFileSync(join(C089, n), 'utf8')]));

describe('translateSurroundings', () => {
  it('flags NetworkPolicies that open OSM ports or namespaces, and leaves others alone', () => {
    const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-osm, namespace: shop}\nspec:\n  podSelector: {}\n  egress:\n    - ports: [{port: 443}]\n    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: osm-system}}}]\n      ports: [{port: 15128}]\n';
    expect(ids({ 'np.yaml': policy })).toEqual([['surroundings/network-policy', 8]]);
    expect(ids({ 'np.yaml': policy.replace(/osm-system/, 'kube-system').replace('15128', '53') })).toEqual([]);
  });

  // osm-semantics §7.3: Flagger `provider: osm` writes SMI TrafficSplits (corpus fluxcd_flagger osm-canary.yaml).
  it('flags a Flagger canary on the OSM provider, an OSM install and the SMI CRDs', () => {
    expect(ids({
      'c.yaml': 'apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: podinfo, namespace: test}\nspec:\n  provider: osm\n',
      'h.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: osm, namespace: osm-system}\nspec:\n  chart:\n    spec: {chart: osm, sourceRef: {kind: HelmRepository, name: osm}}\n',
      'crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: traffictargets.access.smi-spec.io}\nspec:\n  group: access.smi-spec.io\n',
    })).toEqual([['surroundings/flagger-provider', 5], ['surroundings/crd', 5], ['surroundings/gitops-install', 4]]);
  });

  it('flags an Ingress that talks TLS to OSM sidecars', () => {
    const ingress = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"\n    nginx.ingress.kubernetes.io/configuration-snippet: |\n      proxy_ssl_name "web.shop.cluster.local";\n';
    expect(ids({ 'i.yaml': ingress })).toEqual([['surroundings/ingress', 7]]);
  });
});

// osm-semantics §7.4: "Argo writes TrafficSplit v1alpha1 by default (`--traffic-split-api-version` flag), which OSM
// never served"; linkerd-semantics §1: "TrafficSplit is served only by the separate linkerd-smi extension".
describeWithShared('Argo Rollouts with trafficRouting.smi', () => {
  it('flags the real Rollout of c089 on its smi line, with the Gateway API plugin and HTTPRoute that replace it', () => {
    const [hit, ...rest] = findings(c089('rollout.yaml', 'service.yaml', 'deployment.yaml'));
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ id: 'surroundings/argo-rollouts-smi', severity: 'warning', file: 'rollout.yaml', line: 41 });
    // rootService hello; Argo names the split after the Rollout; Service hello listens on 80.
    expect(hit?.message).toContain('Argo writes TrafficSplit hello (root Service hello, backends hello-stable and hello-canary) at run time');
    expect(hit?.message).toContain('the traffic shifting fails');
    expect(hit?.message).toContain('argoproj-labs/gatewayAPI:\n        httpRoute: hello');
    expect(hit?.message).toContain('apiVersion: gateway.networking.k8s.io/v1\n');
    expect(hit?.message).toContain('parentRefs: [{group: core, kind: Service, name: hello, port: 80}]');
    expect(hit?.message).toContain('{name: hello-canary, port: 80, weight: 0}');
  });

  it('follows the target version: v1beta1 HTTPRoutes before 2.18, only linkerd-smi before 2.14', () => {
    const message = (linkerdVersion: '2.16' | '2.13') => findings(c089('rollout.yaml', 'service.yaml'), { linkerdVersion })[0]?.message ?? '';
    expect(message('2.16')).toContain('apiVersion: gateway.networking.k8s.io/v1beta1\n');
    expect(message('2.16')).not.toContain('does not install the Gateway API CRDs');
    expect(message('2.13')).not.toContain('argoproj-labs/gatewayAPI:');
    expect(message('2.13')).toContain('install the linkerd-smi extension');
    expect(findings(c089('rollout.yaml'), { linkerdVersion: '2.19' })[0]?.message).toContain('does not install the Gateway API CRDs');
  });

  it('names the TrafficSplit in Git that Argo manages (the argo-rollouts docs example) and leaves other Rollouts alone', () => {
    const split = readFileSync(join(CORPUS, 'argoproj_argo-rollouts', 'docs__features__traffic-management__smi.md.extracted.yaml'), 'utf8');
    const rollout = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: rollout-example}\nspec:\n  strategy:\n    canary:\n      stableService: stable-svc\n      canaryService: canary-svc\n      trafficRouting:\n        smi:\n          rootService: root-svc\n          trafficSplitName: rollout-example-traffic-split\n';
    const [hit] = findings({ 'split.yaml': split, 'rollout.yaml': rollout });
    expect(hit?.message).toContain('Argo writes TrafficSplit rollout-example-traffic-split (root Service root-svc, backends stable-svc and canary-svc)');
    expect(hit?.message).toContain('TrafficSplit TrafficSplit/rollout-example-traffic-split in split.yaml is the one Argo manages');
    expect(hit?.message).toContain('port: <port>');
    const nginx = rollout.replace(/smi:\n.*\n.*\n/, 'nginx: {stableIngress: web}\n');
    expect(findings({ 'rollout.yaml': nginx })).toEqual([]);
  });
});

// linkerd-reference §7.1: with `ingress` "the proxy routes on `:authority`/`Host`/`l5d-dst-override` … the ingress must
// strip incoming `l5d-dst-override` to avoid an open relay"; osm-semantics §4: OSM admitted an unmeshed controller
// through IngressBackend.
describe('ingress-controller CRDs in front of meshed Services', () => {
  itWithShared('flags the real Traefik IngressRoute of c089 on its first meshed backend, with the Linkerd setup', () => {
    const [hit, ...rest] = findings(c089('ingressroute.yaml', 'service.yaml', 'deployment.yaml'));
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ id: 'surroundings/ingress-crd', severity: 'warning', file: 'ingressroute.yaml', line: 13 });
    expect(hit?.message).toContain('routes to meshed Services (<namespace>/hello, <namespace>/hello-stable, <namespace>/hello-canary)');
    expect(hit?.message).toContain('linkerd.io/inject: ingress');
    expect(hit?.message).toContain('l5d-dst-override: hello.<namespace>.svc.cluster.local:80');
  });

  itWithShared('says nothing when the backends are not meshed, or are not in the repository', () => {
    const unmeshed = c089('ingressroute.yaml', 'service.yaml', 'deployment.yaml');
    unmeshed['deployment.yaml'] = unmeshed['deployment.yaml']?.replace(/\s+annotations:\n.*sidecar-injection.*\n/, '\n') ?? '';
    expect(unmeshed['deployment.yaml']).not.toContain('sidecar-injection');
    expect(findings(unmeshed)).toEqual([]);
    expect(findings(c089('ingressroute.yaml'))).toEqual([]);
  });

  it('reads Contour HTTPProxy, NGINX VirtualServer and Emissary Mapping backends', () => {
    const shop = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations: {openservicemesh.io/sidecar-injection: enabled}\n';
    const app = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, ports: [{containerPort: 8080}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n';
    const files = {
      'ns.yaml': shop,
      'app.yaml': app,
      'proxy.yaml': 'apiVersion: projectcontour.io/v1\nkind: HTTPProxy\nmetadata: {name: web, namespace: shop}\nspec:\n  routes:\n    - services:\n        - {name: other, port: 80}\n        - {name: web, port: 80}\n',
      'vs.yaml': 'apiVersion: k8s.nginx.org/v1\nkind: VirtualServer\nmetadata: {name: web, namespace: shop}\nspec:\n  upstreams:\n    - {name: web, service: web, port: 80}\n',
      'mapping.yaml': 'apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: web, namespace: edge}\nspec:\n  prefix: /\n  service: http://web.shop:80\n',
      'elsewhere.yaml': 'apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: web, namespace: edge}\nspec:\n  prefix: /\n  service: web:80\n',
    };
    const hits = findings(files);
    expect(hits.map((f) => [f.file, f.line])).toEqual([['mapping.yaml', 6], ['proxy.yaml', 8], ['vs.yaml', 6]]);
    expect(hits[0]?.message).toContain('routes to meshed Services (shop/web)');
    expect(hits[1]?.message).toContain('requestHeadersPolicy.set: [{name: l5d-dst-override, value: web.shop.svc.cluster.local:80}]');
    expect(hits[2]?.message).toContain('use-cluster-ip: true');
  });
});
