import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../../test/support/repo.ts';
import { resolveOptions } from '../../options.ts';
import { translateSurroundings } from './surroundings.ts';

function ids(files: Record<string, string>) {
  const { inventory } = inventoryOf(files);
  return translateSurroundings({ inventory, options: resolveOptions(), meshMode: { mode: 'smi', source: 'option' } }).findings.map((f) => [f.id, f.line]);
}

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
