import { describe, expect, it } from 'vitest';
import { repo } from '../../../test/support/repo.ts';
import { buildInventory } from '../inventory/inventory.ts';
import type { LinkerdResource } from '../linkerd/resources.ts';
import { loadRepository } from '../load/load.ts';
import { resolveOptions } from '../options.ts';
import { planFiles } from './plan.ts';

/** The planner's invariant (issue 7 item 1): a file is never deleted unless its replacement is written. */

const SPLIT = (weight: number) => `
  apiVersion: split.smi-spec.io/v1alpha2
  kind: TrafficSplit
  metadata: {name: bookstore-split, namespace: bookstore}
  spec:
    service: bookstore
    backends: [{service: bookstore-v1, weight: ${weight}}, {service: bookstore-v2, weight: ${100 - weight}}]
`;

const ROUTE: LinkerdResource = { apiVersion: 'policy.linkerd.io/v1beta3', kind: 'HTTPRoute', metadata: { name: 'bookstore' }, spec: {} };

function plan(files: Record<string, string>, translated: readonly string[]) {
  const load = loadRepository(repo(files));
  const { inventory } = buildInventory(load);
  const splits = inventory.osm('TrafficSplit');
  // Every version is consumed (a rule took it over), but only some get a translation written beside them.
  const resources = splits.filter((o) => translated.includes(o.doc.file)).map((origin) => ({ resource: ROUTE, origin }));
  return planFiles({ load, inventory, resources, edits: [], consumed: splits.map((object) => ({ object })), options: resolveOptions({}) });
}

describe('planFiles never deletes a file without its replacement', () => {
  it('keeps a version of an object defined in several files when nothing is written beside it, and says so', () => {
    const result = plan({ 'a/stage-1.yaml': SPLIT(100), 'a/stage-2.yaml': SPLIT(0) }, ['a/stage-2.yaml']);
    expect(result.files.map((f) => `${f.action} ${f.path}`)).toEqual(['create a/stage-2.linkerd.yaml', 'delete a/stage-2.yaml']);
    expect(result.findings).toEqual([expect.objectContaining({ id: 'plan/file-kept', file: 'a/stage-1.yaml', severity: 'warning' })]);
  });

  it('deletes each version whose translation is written beside it', () => {
    const result = plan({ 'a/stage-1.yaml': SPLIT(100), 'a/stage-2.yaml': SPLIT(0) }, ['a/stage-1.yaml', 'a/stage-2.yaml']);
    expect(result.files.filter((f) => f.action === 'delete').map((f) => f.path)).toEqual(['a/stage-1.yaml', 'a/stage-2.yaml']);
    expect(result.findings).toEqual([]);
  });

  it('still deletes the only definition of an object whose translation lives where it is used', () => {
    // An HTTPRouteGroup's translation is part of the TrafficTarget's: its file has nothing of its own to write.
    const result = plan({ 'a/split.yaml': SPLIT(50) }, []);
    expect(result.files.map((f) => `${f.action} ${f.path}`)).toEqual(['delete a/split.yaml']);
  });
});
