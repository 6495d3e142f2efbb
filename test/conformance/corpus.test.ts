import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { migrate } from '../../src/core/index.ts';
import { buildInventory } from '../../src/core/inventory/inventory.ts';
import { loadRepository } from '../../src/core/load/load.ts';
import { readAccessModel } from '../../src/core/osm/access-model.ts';
import { formatRef } from '../../src/core/source.ts';
import { corpusRepositories } from '../support/shared.ts';

/**
 * Every corpus repository migrates without a crash, and every OSM/SMI object in it is either translated (it is the
 * origin of a generated resource), named by a finding, or a route spec of a TrafficTarget that is one of those. Anything else would be
 * a silent drop.
 */
const repositories = corpusRepositories();

describe('the OSM corpus', () => {
  it('has repositories to check', () => {
    expect(repositories.length).toBeGreaterThan(15);
  });

  it.each(repositories.map((r) => [r.name, r.files] as const))('%s: no crash, no silent drop', (_name, files) => {
    const plan = migrate(files);
    const { inventory } = buildInventory(loadRepository(files));
    const origins = new Set(plan.resources.map((r) => formatRef(r.origin.ref)));
    const flagged = new Set(plan.findings.map((f) => f.resource));
    const usedByTranslatedTargets = new Set(
      readAccessModel(inventory).policies.filter((p) => origins.has(formatRef(p.target.ref)) || flagged.has(formatRef(p.target.ref))).flatMap((p) => [
        ...p.httpMatches.map((m) => formatRef(m.object.ref)),
        ...p.tcpRoutes.map((t) => formatRef(t.ref)),
      ]),
    );
    const silent = inventory.osmObjects
      .map((o) => formatRef(o.ref))
      .filter((ref) => !origins.has(ref) && !flagged.has(ref) && !usedByTranslatedTargets.has(ref));
    expect(silent).toEqual([]);
    // Every file the migration writes is YAML that parses back (no errors), generated or edited.
    for (const file of plan.files.filter((f) => f.action !== 'delete')) {
      expect(parseAllDocuments(file.content).flatMap((d) => d.errors.map((e) => e.message)), file.path).toEqual([]);
    }
    expect(plan.verification.uncovered.map((d) => d.linkerd.reason)).toEqual([]);
  });

  it('migrates every corpus file on its own too', () => {
    let files = 0;
    for (const repository of repositories) {
      for (const [path, text] of repository.files) {
        expect(() => migrate(new Map([[path, text]])), path).not.toThrow();
        files++;
      }
    }
    expect(files).toBeGreaterThan(100);
  });
});
