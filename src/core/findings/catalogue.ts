import { inventoryFindings } from '../inventory/findings.ts';
import { serverPlanFindings } from '../linkerd/findings.ts';
import { loadFindings } from '../load/findings.ts';
import { migrateFindings } from '../migrate-findings.ts';
import { accessModelFindings } from '../osm/findings.ts';
import { phaseFindings } from '../phases/findings.ts';
import { planFindings } from '../plan/findings.ts';
import { probeFindings } from '../rules/probe-findings.ts';
import { rules } from '../rules/registry.ts';
import { routeMatchFindings } from '../rules/route-match-findings.ts';
import { unhandledFindings } from '../rules/unhandled-findings.ts';
import { docsAnchor, type FindingSet, type FindingSpec } from './define.ts';

/**
 * The findings declared outside the rule folders, beside the stage or shared module that raises them. A rule's own
 * findings come from the registry (each rule's `raises`), so this list only grows with a new stage.
 */
export const stageFindings = [
  loadFindings, inventoryFindings, accessModelFindings, serverPlanFindings, planFindings, phaseFindings, migrateFindings,
  unhandledFindings, probeFindings, routeMatchFindings,
] as const;

type Declared = (typeof rules)[number]['raises'] | (typeof stageFindings)[number];
type IdsOf<Set> = Set extends FindingSet ? keyof Set & string : never;

/** Every finding id the tool can raise. Ids are stable across releases: review comments, SARIF and `/osm2linkerd explain` refer to them. */
export type FindingId = IdsOf<Declared>;

export interface CatalogueEntry extends FindingSpec<never> {
  /** The fragment of the id's section in docs/findings.md. */
  readonly anchor: string;
}

/**
 * Every finding, collected from the rule registry and the stage modules, keyed by id in id order. An id is declared
 * once: a module that raises another's finding picks that declaration, so meeting one id with two declarations is a bug.
 */
export const catalogue: Readonly<Record<FindingId, CatalogueEntry>> = collect([...rules.map((r) => r.raises), ...stageFindings]);

function collect(sets: readonly FindingSet[]): Record<FindingId, CatalogueEntry> {
  const specs = new Map<string, FindingSpec<never>>();
  for (const set of sets) {
    for (const [id, spec] of Object.entries(set)) {
      const known = specs.get(id);
      if (known !== undefined && known !== spec) throw new Error(`finding ${id} is declared twice`);
      specs.set(id, spec);
    }
  }
  const ids = [...specs.keys()].sort();
  return Object.fromEntries(ids.map((id) => [id, { ...specs.get(id), anchor: docsAnchor(id) }])) as Record<FindingId, CatalogueEntry>;
}

export function isFindingId(value: string): value is FindingId {
  return Object.hasOwn(catalogue, value);
}
