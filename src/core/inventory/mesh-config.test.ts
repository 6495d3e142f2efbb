import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../test/support/repo.ts';
import { meshEgressPassthrough, meshExclusions, meshFeatureFlags, readMeshConfig, unionList } from './mesh-config.ts';

const MESH_CONFIG = (spec: string) => `apiVersion: config.openservicemesh.io/v1alpha1\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: kube-system}\nspec: ${spec}\n`;

describe('meshFeatureFlags', () => {
  // osm-semantics §4.1 table: enableEgressPolicy chart default true, enableRetryPolicy "**false**".
  it('has the chart defaults without a mesh configuration', () => {
    const flags = meshFeatureFlags(inventoryOf({}).inventory);
    expect(flags.enableEgressPolicy).toBe(true);
    expect(flags.enableRetryPolicy).toBe(false);
    expect(flags.explicit.size).toBe(0);
    expect(flags.meshConfig).toBeUndefined();
  });

  it('reads the flags a MeshConfig sets, and keeps the defaults for the others', () => {
    // corpus MicrosoftDocs_azure-aks-docs/articles__aks__open-service-mesh-deploy-addon-az-cli.md.extracted.yaml
    const { inventory } = inventoryOf({ 'm.yaml': MESH_CONFIG('{featureFlags: {enableEgressPolicy: false, enableMulticlusterMode: false, enableWASMStats: true, enableRetryPolicy: "yes"}}') });
    const flags = meshFeatureFlags(inventory);
    expect(flags.enableEgressPolicy).toBe(false);
    expect(flags.enableRetryPolicy).toBe(false);
    expect([...flags.explicit].sort()).toEqual(['enableEgressPolicy', 'enableMulticlusterMode', 'enableWASMStats']);
    expect(flags.meshConfig?.object.ref.name).toBe('osm-mesh-config');
  });

  it('reads the Helm preset ConfigMap\'s embedded MeshConfig JSON', () => {
    const preset = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: preset-mesh-config, namespace: osm-system}\ndata:\n  preset-mesh-config.json: |\n    {"traffic": {"enableEgress": true}, "featureFlags": {"enableRetryPolicy": true}}\n';
    const { inventory } = inventoryOf({ 'p.yaml': preset });
    expect(meshFeatureFlags(inventory).enableRetryPolicy).toBe(true);
    expect(meshEgressPassthrough(inventory).value).toBe(true);
    expect(readMeshConfig(inventory)?.form).toBe('preset-configmap');
  });
});

describe('readMeshConfig', () => {
  // osm-semantics §4.1: "v0.8 and earlier used the ConfigMap osm-config with snake_case keys".
  it('maps the legacy osm-config keys to MeshConfig paths and keeps the unknown ones aside', () => {
    const legacy = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: osm-config, namespace: kube-system}\ndata:\n  egress: "true"\n  envoy_log_level: error\n  outbound_ip_range_exclusion_list: "169.254.169.254/32, 168.63.129.16/32"\n  mesh_cidr_ranges: 10.0.0.0/8\n';
    const source = readMeshConfig(inventoryOf({ 'c.yaml': legacy }).inventory);
    expect(source?.spec).toEqual({
      traffic: { enableEgress: true, outboundIPRangeExclusionList: ['169.254.169.254/32', '168.63.129.16/32'] },
      sidecar: { logLevel: 'error' },
    });
    expect(source?.unmappedLegacyKeys).toEqual(['mesh_cidr_ranges']);
    expect(source?.locate(['sidecar', 'logLevel']).line).toBe(6);
  });

  it('leaves traffic.enableEgress undefined when the MeshConfig does not set it (the default changed in v1.2)', () => {
    expect(meshEgressPassthrough(inventoryOf({ 'm.yaml': MESH_CONFIG('{traffic: {}}') }).inventory).value).toBeUndefined();
    expect(meshEgressPassthrough(inventoryOf({ 'm.yaml': MESH_CONFIG('{traffic: {enableEgress: false}}') }).inventory).value).toBe(false);
  });
});

describe('meshExclusions', () => {
  // osm-semantics §5: pod exclusion annotations are a "Union with MeshConfig.traffic…ExclusionList".
  it('gives the valid, de-duplicated mesh-wide lists by the OSM pod annotation they were unioned with', () => {
    const { inventory } = inventoryOf({ 'm.yaml': MESH_CONFIG('{traffic: {outboundPortExclusionList: [6379, 6379, 70000], inboundPortExclusionList: [], outboundIPRangeExclusionList: [10.0.0.0/8, 10.1.2.3]}}') });
    const lists = meshExclusions(inventory);
    expect([...lists].map(([podKey, e]) => [podKey, e.list.linkerdKey, e.values])).toEqual([
      ['openservicemesh.io/outbound-port-exclusion-list', 'config.linkerd.io/skip-outbound-ports', ['6379']],
      ['openservicemesh.io/outbound-ip-range-exclusion-list', 'config.linkerd.io/skip-subnets', ['10.0.0.0/8']],
    ]);
    expect(meshExclusions(inventoryOf({}).inventory).size).toBe(0);
    expect(unionList(' 80, 8080 ,', ['8080', '9090'])).toBe('80,8080,9090');
  });
});
