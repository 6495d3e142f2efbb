import { describe, expect, it } from 'vitest';
import { applyChanges, migrate } from '../../src/core/index.ts';
import { corpusRepositories } from '../support/shared.ts';

/**
 * Issue 8: on every corpus repository, a phased plan's phases applied one after the other give exactly the forklift
 * result, and the mixed-cluster verify of every phase finds no request OSM allowed that fails unexplained.
 */
describe.each(corpusRepositories().map((r) => [r.name, r.files] as const))('phased plan of corpus/%s', (_name, files) => {
  it('ends at the forklift result, with no unexplained outage in any phase', () => {
    const plan = migrate(files, { strategy: 'phased' });
    const phases = plan.phases ?? [];
    expect(phases.length).toBeGreaterThanOrEqual(2);
    const last = phases.reduce((tree, p) => applyChanges(tree, p.files), new Map(files));
    expect(last).toEqual(applyChanges(files, plan.files));
    for (const p of phases) expect(p.verify?.outages.filter((d) => d.coveredBy.length === 0) ?? [], p.id).toEqual([]);
  });
});
