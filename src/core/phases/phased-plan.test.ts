import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { EXAMPLES, readTree } from '../../../test/support/shared.ts';
import { applyChanges, migrate } from '../migrate.ts';
import type { MigrationPhase } from '../plan/types.ts';

const bookstore = readTree(join(EXAMPLES, 'bookstore'));
const shop = readTree(join(EXAMPLES, 'shop'));

/** The tree after each phase, checking that every change applies to exactly the tree the phases before it left. */
function applyInOrder(files: ReadonlyMap<string, string>, phases: readonly MigrationPhase[]): Map<string, string>[] {
  const trees = [new Map(files)];
  for (const phase of phases) {
    const before = trees.at(-1) as Map<string, string>;
    for (const f of phase.files) expect(before.get(f.path), `${phase.id} ${f.path}`).toBe(f.action === 'create' ? undefined : f.previous);
    trees.push(applyChanges(before, phase.files));
  }
  return trees;
}

function documents(text: string | undefined): Record<string, unknown>[] {
  return parseAllDocuments(text ?? '').map((d) => d.toJS() as Record<string, unknown>).filter(Boolean);
}

function servers(text: string | undefined): Record<string, unknown>[] {
  return documents(text).filter((d) => d['kind'] === 'Server').map((d) => d['spec'] as Record<string, unknown>);
}

describe('phased plan', () => {
  it('orders the phases: bridge, callees before callers (a cycle together), lock-down', () => {
    expect(migrate(bookstore, { strategy: 'phased' }).phases?.map((p) => p.id)).toEqual(['00-bridge', '01-bookwarehouse', '02-bookstore', '03-bookbuyer', '04-lock-down']);
    const phases = migrate(shop, { strategy: 'phased' }).phases ?? [];
    expect(phases.map((p) => p.id)).toEqual(['00-bridge', '01-payments', '02-inventory-orders', '03-storefront', '04-lock-down']);
    expect(phases[2]?.findings.map((f) => f.id)).toContain('phases/call-cycle');
  });

  it.each([['bookstore', bookstore], ['shop', shop]] as const)('%s: the phases applied in order give exactly the forklift result', (_name, files) => {
    const phased = migrate(files, { strategy: 'phased' });
    const forklift = migrate(files);
    const trees = applyInOrder(files, phased.phases ?? []);
    expect(trees.at(-1)).toEqual(applyChanges(files, forklift.files));
    expect(phased.files).toEqual(forklift.files);
  });

  it('keeps every OSM document until the lock-down, and lets OSM admit cross-mesh calls from the bridge on', () => {
    const phases = migrate(shop, { strategy: 'phased' }).phases ?? [];
    const trees = applyInOrder(shop, phases);
    for (const tree of trees.slice(1, -1)) {
      for (const path of ['orders.yaml', 'inventory.yaml', 'payments.yaml']) {
        expect(documents(tree.get(path)).filter((d) => d['kind'] === 'TrafficTarget').length, path).toBeGreaterThan(0);
      }
      // migration-strategies.md: "Phase 0 (bridge): … OSM in permissive mode with egress passthrough".
      const traffic = (documents(tree.get('mesh-config.yaml'))[0]?.['spec'] as { traffic: Record<string, unknown> }).traffic;
      expect(traffic).toEqual({ enablePermissiveTrafficPolicyMode: true, enableEgress: true });
    }
    expect(trees.at(-1)?.has('mesh-config.yaml')).toBe(false);
  });

  it('moves one namespace group per phase, its Servers in audit until the lock-down enforces them', () => {
    const phases = migrate(shop, { strategy: 'phased' }).phases ?? [];
    const trees = applyInOrder(shop, phases);
    const payments = (i: number) => servers(trees[i]?.get('payments.linkerd.yaml'));
    expect(payments(1)).toEqual([]);
    // migration-strategies.md: "its Servers admit the not-yet-moved callers as unauthenticated (audit where available)".
    expect(payments(2).map((s) => s['accessPolicy'])).toEqual(['audit']);
    expect(payments(4).map((s) => s['accessPolicy'])).toEqual(['audit']);
    expect(payments(5).map((s) => s['accessPolicy'])).toEqual([undefined]);
    expect(servers(trees[2]?.get('orders.linkerd.yaml'))).toEqual([]);
    const namespaces = (i: number) => documents(trees[i]?.get('namespaces.yaml')).map((d) => (d['metadata'] as { annotations: Record<string, string> }).annotations);
    expect(namespaces(2).map((a) => a['linkerd.io/inject'])).toEqual([undefined, undefined, undefined, 'enabled']);
    expect(namespaces(2)[3]?.['config.linkerd.io/default-inbound-policy']).toBe('audit');
    expect(namespaces(5).map((a) => a['config.linkerd.io/default-inbound-policy'])).toEqual(['deny', 'deny', 'deny', 'deny']);
  });

  it('changes a Service protocol only once no caller on OSM depends on it', () => {
    // osm-semantics §6.5: OSM picks a port's protocol from appProtocol; bookstore (still on OSM in phase 1) calls mysql.
    const phases = migrate(bookstore, { strategy: 'phased' }).phases ?? [];
    const changed = phases.map((p) => p.files.some((f) => f.path === 'bookwarehouse/mysql.yaml'));
    expect(changed).toEqual([false, false, true, false, false]);
    expect(phases[2]?.findings.map((f) => f.id)).toContain('service-ports/app-protocol-rewritten');
  });

  it('before Linkerd 2.16 (no audit), moved Servers authorize every network until the lock-down', () => {
    const phases = migrate(shop, { strategy: 'phased', linkerdVersion: '2.15' }).phases ?? [];
    const trees = applyInOrder(shop, phases);
    const docs = documents(trees[2]?.get('payments.linkerd.yaml'));
    const server = docs.find((d) => d['kind'] === 'Server');
    const name = (server?.['metadata'] as { name: string }).name;
    const policy = docs.find((d) => d['kind'] === 'AuthorizationPolicy' && (d['metadata'] as { name: string }).name === `${name}-phase`);
    expect(policy?.['spec']).toMatchObject({ targetRef: { kind: 'Server', name }, requiredAuthenticationRefs: [{ kind: 'NetworkAuthentication', name: 'osm2linkerd-phase-all-networks' }] });
    expect(docs.find((d) => d['kind'] === 'NetworkAuthentication' && (d['metadata'] as { name: string }).name === 'osm2linkerd-phase-all-networks')?.['spec']).toEqual({ networks: [{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }] });
    expect(documents(trees.at(-1)?.get('payments.linkerd.yaml')).some((d) => (d['metadata'] as { name: string }).name.endsWith('-phase'))).toBe(false);
  });

  it('shows every finding of the translation in exactly one phase', () => {
    const plan = migrate(bookstore, { strategy: 'phased' });
    const shown = (plan.phases ?? []).flatMap((p) => p.findings).filter((f) => !f.id.startsWith('phases/'));
    expect(shown).toHaveLength(plan.findings.length);
    expect(new Set(shown)).toEqual(new Set(plan.findings));
  });
});
