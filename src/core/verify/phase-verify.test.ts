import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, readTree } from '../../../test/support/shared.ts';
import { buildInventory } from '../inventory/inventory.ts';
import { decideMeshMode } from '../inventory/mesh-mode.ts';
import { loadRepository } from '../load/load.ts';
import { applyChanges, migrate } from '../migrate.ts';
import { resolveOptions } from '../options.ts';
import { describeSource } from './types.ts';
import { verifyPhase, type PhaseVerification } from './phase-verify.ts';

const shop = readTree(join(EXAMPLES, 'shop'));
const plan = migrate(shop, { strategy: 'phased' });
const phases = plan.phases ?? [];
const before = buildInventory(loadRepository(shop)).inventory;
const meshMode = decideMeshMode(before, resolveOptions()).meshMode;

function treeAfter(n: number): Map<string, string> {
  return phases.slice(0, n + 1).reduce((tree, p) => applyChanges(tree, p.files), new Map(shop));
}

function judge(tree: ReadonlyMap<string, string>): PhaseVerification {
  return verifyPhase({ before, meshMode, tree, linkerdVersion: '2.20', findings: plan.findings });
}

function outagePairs(v: PhaseVerification): string[] {
  return [...new Set(v.outages.map((d) => `${describeSource(d.request.source)} → ${d.request.workload}:${d.request.port}`))].sort();
}

/** Moves one namespace by hand: OSM's label and annotation off, Linkerd's injection on (what a phase's edit does). */
function moveNamespace(tree: Map<string, string>, namespace: string): Map<string, string> {
  const text = tree.get('namespaces.yaml') ?? '';
  const at = text.indexOf(`  name: ${namespace}\n`);
  const end = text.indexOf('---', at) === -1 ? text.length : text.indexOf('---', at);
  const doc = text.slice(at, end).replace('    openservicemesh.io/monitored-by: osm\n', '    team: shop\n').replace('openservicemesh.io/sidecar-injection: enabled', 'linkerd.io/inject: enabled');
  return new Map(tree).set('namespaces.yaml', text.slice(0, at) + doc + text.slice(end));
}

describe('verifyPhase: the mixed cluster of a phase, held to what OSM allowed before', () => {
  it('finds no outage in any phase of the plan, and the lock-down no wider than the translation', () => {
    for (const phase of phases) {
      expect(outagePairs(phase.verify as PhaseVerification), phase.id).toEqual([]);
      expect(phase.verify?.requests, phase.id).toBeGreaterThan(400);
    }
    expect(phases.at(-1)?.verify?.wider).toBe(plan.verification.differences.filter((d) => d.linkerd.allowed).length);
    // The bridge and the moves admit more than OSM did (permissive OSM, audit Servers): said, not hidden.
    expect(phases.slice(0, -1).every((p) => (p.verify?.wider ?? 0) > 0)).toBe(true);
  });

  // migration-strategies.md: "A moved caller reaching a callee still on OSM fails unless that callee's OSM side admits it".
  it('reports the outage of a wrong order: the caller moved before its callee', () => {
    const wrong = moveNamespace(treeAfter(0), 'storefront');
    expect(outagePairs(judge(wrong))).toEqual(['storefront.storefront → orders:8080']);
    expect(judge(wrong).outages[0]?.linkerd.reason).toMatch(/^Linkerd caller at an OSM server/);
  });

  // migration-strategies.md: "An OSM-meshed client reaches a destination OSM does not know only through the egress passthrough".
  it('reports the outage of a moved callee when OSM\'s egress passthrough is off', () => {
    const tree = treeAfter(1);
    const noEgress = new Map(tree).set('mesh-config.yaml', (tree.get('mesh-config.yaml') ?? '').replace('enableEgress: true', 'enableEgress: false'));
    expect(outagePairs(judge(tree))).toEqual([]);
    expect(outagePairs(judge(noEgress))).toEqual(['orders.orders → payments:8443']);
  });

  it('reports the outage of a moved callee whose Servers do not admit the callers still on OSM', () => {
    const tree = treeAfter(1);
    const enforced = new Map(tree).set('payments.linkerd.yaml', (tree.get('payments.linkerd.yaml') ?? '').replace('  accessPolicy: audit\n', ''));
    expect(outagePairs(judge(enforced))).toEqual(['orders.orders → payments:8443']);
  });
});
