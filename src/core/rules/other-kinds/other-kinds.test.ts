import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../../test/support/repo.ts';
import { migrate } from '../../migrate.ts';
import { resolveOptions } from '../../options.ts';
import { translateOtherKinds } from './other-kinds.ts';

function run(files: Record<string, string>) {
  const { inventory } = inventoryOf(files);
  return translateOtherKinds({ inventory, options: resolveOptions(), meshMode: { mode: 'smi', source: 'option' } });
}

describe('translateOtherKinds', () => {
  // osm-semantics §4.2: MeshRootCertificate (config v1alpha2, v1.2+) has no Linkerd equivalent.
  it('explains a MeshRootCertificate with its CA provider and trust domain', () => {
    const out = run({ 'mrc.yaml': 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshRootCertificate\nmetadata: {name: osm-mesh-root-certificate, namespace: osm-system}\nspec:\n  trustDomain: cluster.local\n  provider:\n    certManager: {issuerName: osm-ca, issuerKind: Issuer, issuerGroup: cert-manager.io}\n' });
    expect(out.findings.map((f) => [f.id, f.line])).toEqual([['other-kinds/mesh-root-certificate', 2]]);
    expect(out.findings[0]?.message).toContain('cert-manager issuer osm-ca, trust domain cluster.local');
    expect(out.consumed).toHaveLength(1);
    expect(out.resources).toEqual([]);
  });

  // osm-semantics §2.5 (IdentityBinding never supported), §3.5 (Telemetry main only, Backpressure removed in v0.8),
  // §4.3 (MultiClusterService removed in v1.2), §2.2 (UDPRoute).
  it('names each kind OSM never served, served only on main, or removed', () => {
    const doc = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x, namespace: n}\nspec: {}\n`;
    const out = run({
      'a.yaml': [
        doc('access.smi-spec.io/v1alpha4', 'IdentityBinding'), doc('policy.openservicemesh.io/v1alpha1', 'Telemetry'),
        doc('config.openservicemesh.io/v1alpha2', 'ExtensionService'), doc('config.openservicemesh.io/v1alpha1', 'MultiClusterService'),
        doc('policy.openservicemesh.io/v1alpha1', 'Backpressure'), doc('specs.smi-spec.io/v1alpha4', 'UDPRoute'),
      ].join('---\n'),
    });
    expect(out.findings.map((f) => f.id)).toEqual([
      'other-kinds/identity-binding', 'other-kinds/telemetry', 'other-kinds/telemetry', 'other-kinds/multi-cluster-service',
      'other-kinds/backpressure', 'other-kinds/udp-route',
    ]);
  });

  it('leaves no unhandled/osm-kind behind, and forklift removes the objects like every other OSM object', () => {
    const plan = migrate(new Map([['mrc.yaml', 'apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshRootCertificate\nmetadata: {name: m, namespace: osm-system}\nspec:\n  provider: {tresor: {ca: {secretRef: {name: osm-ca-bundle, namespace: osm-system}}}}\n']]));
    expect(plan.findings.map((f) => f.id)).toEqual(['other-kinds/mesh-root-certificate']);
    expect(plan.findings[0]?.message).toContain("OSM's built-in Tresor CA");
    expect(plan.files.map((f) => [f.path, f.action])).toEqual([['mrc.yaml', 'delete']]);
  });
});
