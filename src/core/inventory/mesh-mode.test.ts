import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../test/support/repo.ts';
import { resolveOptions } from '../options.ts';
import { decideMeshMode } from './mesh-mode.ts';

const TT = 'apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata: {name: t, namespace: n}\nspec: {}\n';

describe('decideMeshMode', () => {
  it('reads MeshConfig; an absent flag is Go\'s false (SMI mode)', () => {
    const permissive = inventoryOf({ 'm.yaml': 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec: {traffic: {enablePermissiveTrafficPolicyMode: true}}\n' });
    expect(decideMeshMode(permissive.inventory, resolveOptions()).meshMode).toMatchObject({ mode: 'permissive', source: 'meshconfig' });
    const absent = inventoryOf({ 'm.yaml': 'apiVersion: config.openservicemesh.io/v1alpha1\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec: {sidecar: {logLevel: error}}\n' });
    expect(decideMeshMode(absent.inventory, resolveOptions()).meshMode.mode).toBe('smi');
  });

  // osm-semantics §4.1: v0.8 and earlier used the osm-config ConfigMap with snake_case keys.
  it('reads the legacy osm-config ConfigMap', () => {
    const legacy = inventoryOf({ 'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: osm-config, namespace: kube-system}\ndata: {permissive_traffic_policy_mode: "true"}\n' });
    expect(decideMeshMode(legacy.inventory, resolveOptions()).meshMode.mode).toBe('permissive');
  });

  it('assumes SMI mode when TrafficTargets exist without a MeshConfig, and asks to confirm', () => {
    const { inventory } = inventoryOf({ 't.yaml': TT });
    const result = decideMeshMode(inventory, resolveOptions());
    expect(result.meshMode).toEqual({ mode: 'smi', source: 'assumed' });
    expect(result.findings.map((f) => f.id)).toEqual(['mesh-mode/assumed-smi']);
  });

  it('lets the option decide', () => {
    const { inventory } = inventoryOf({ 't.yaml': TT });
    expect(decideMeshMode(inventory, resolveOptions({ meshMode: 'permissive' }))).toEqual({ meshMode: { mode: 'permissive', source: 'option' }, findings: [] });
  });
});
