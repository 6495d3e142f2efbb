import { expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { migrate } from '../../src/core/index.ts';
import { buildInventory } from '../../src/core/inventory/inventory.ts';
import { loadRepository } from '../../src/core/load/load.ts';
import { readAccessModel } from '../../src/core/osm/access-model.ts';
import { rules } from '../../src/core/rules/registry.ts';
import { fieldCovered, specLeaves } from '../../src/core/rules/unhandled.ts';
import { formatRef } from '../../src/core/source.ts';
import { corpusRepositories, describeWithShared } from '../support/shared.ts';

/**
 * Every corpus repository migrates without a crash, and every OSM/SMI object in it is either translated (it is the
 * origin of a generated resource), named by a finding, or a route spec of a TrafficTarget that is one of those. Anything else would be
 * a silent drop.
 */
describeWithShared('the OSM corpus', () => {
  const repositories = corpusRepositories();

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

  it('accounts for every field of every OSM object: translated by its rule, or named in an unhandled/osm-field finding', () => {
    const known = new Map(rules.flatMap((rule) => Object.entries(rule.fields ?? {})));
    let fields = 0;
    let named = 0;
    const silent: string[] = [];
    for (const { files } of repositories) {
      const plan = migrate(files);
      const { inventory } = buildInventory(loadRepository(files));
      const reported = new Set(plan.findings.filter((f) => f.id === 'unhandled/osm-field').map((f) => `${f.resource} ${f.message.split(' ')[0]}`));
      const wholeUnhandled = new Set(plan.findings.filter((f) => f.id === 'unhandled/osm-kind').map((f) => f.resource));
      // An object no rule took is named whole (unhandled/osm-kind), its fields with it.
      for (const object of inventory.osmObjects.filter((o) => !wholeUnhandled.has(formatRef(o.ref)))) {
        const ref = formatRef(object.ref);
        const patterns = known.get(object.ref.kind) ?? [];
        for (const { shape } of specLeaves(object.body)) {
          fields++;
          if (reported.has(`${ref} ${shape}`)) named++;
          else if (!fieldCovered(patterns, shape)) silent.push(`${ref} ${shape}`);
        }
      }
    }
    expect(silent).toEqual([]);
    expect(fields).toBeGreaterThan(500);
    expect(named).toBeLessThan(fields);
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
